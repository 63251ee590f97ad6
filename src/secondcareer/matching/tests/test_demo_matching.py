"""``seed-demo``'s matching profiles: every demo seeker has one, in the program's own
areas, wishing occupations the demo postings offer, so the demo's recommendation
screens show real lists."""

from __future__ import annotations

import re

from secondcareer.consultations.tests.test_demo_history import (  # noqa: F401 - fixtures
    SEEKERS,
    TODAY,
    seeded,
    seeded_programs,
)
from secondcareer.jobs.demo import JOBS
from secondcareer.matching.models import SeekerProfile
from secondcareer.matching.selectors import posting_matches, seeker_matches, seekers_matches
from secondcareer.people.models import Seeker
from secondcareer.programs.models import Program


def test_every_demo_seeker_has_a_profile_in_the_programs_areas(
    seeded: Program,  # noqa: F811 - the fixture
) -> None:
    seekers = Seeker.objects.filter(program=seeded)
    profiles = SeekerProfile.objects.filter(program=seeded).prefetch_related("wished_areas")
    assert profiles.count() == seekers.count() == SEEKERS
    occupations = {job[0] for job in JOBS}
    for profile in profiles:
        assert set(profile.wished_occupations) <= occupations
        assert profile.wished_occupations and profile.career_history
        assert all(area.program_id == seeded.pk for area in profile.wished_areas.all())
    assert not profiles.filter(updated_at__date__gt=TODAY).exists()


def test_the_demo_gives_most_seekers_recommendations_and_postings_candidates(
    seeded: Program,  # noqa: F811 - the fixture
) -> None:
    seekers = list(Seeker.objects.filter(program=seeded).order_by("id")[:20])
    lists = [seeker_matches(program=seeded, seeker=s, top=5, on=TODAY) for s in seekers]
    assert sum(1 for found in lists if found) >= len(seekers) * 0.6
    best = next(found[0] for found in lists if found)
    assert best.reasons and all(isinstance(r, str) for r in best.reasons)
    assert posting_matches(program=seeded, posting=best.posting, top=10, on=TODAY)


def test_the_demo_recommendations_state_plausible_hourly_wages(
    seeded: Program,  # noqa: F811 - the fixture
) -> None:
    # a 月給 posting in the demo is full-time, so its hourly equivalent is one a senior
    # would recognise (a monthly wage over four hours a day read as 時給3,846円 once)
    seekers = list(Seeker.objects.filter(program=seeded).order_by("id")[:40])
    found = seekers_matches(program=seeded, seekers=seekers, top=10, on=TODAY)
    hourly = [
        int(match.group(1).replace(",", ""))
        for matches in found.values()
        for m in matches
        for reason in m.reasons
        if (match := re.search(r"時給([\d,]+)円", reason))
    ]
    assert hourly
    assert max(hourly) <= 2000, max(hourly)
