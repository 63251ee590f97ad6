"""``seed-demo``'s matching profiles: every demo seeker has one, in the program's own
areas, wishing occupations the demo postings offer, so the demo's recommendation
screens show real lists."""

from __future__ import annotations

from secondcareer.consultations.tests.test_demo_history import (  # noqa: F401 - fixtures
    SEEKERS,
    TODAY,
    seeded,
    seeded_programs,
)
from secondcareer.jobs.demo import JOBS
from secondcareer.matching.models import SeekerProfile
from secondcareer.matching.selectors import posting_matches, seeker_matches
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
