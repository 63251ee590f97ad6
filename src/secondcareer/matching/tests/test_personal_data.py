"""What matching holds on a seeker goes into ``export-person`` and loses its free text
when the seeker is anonymised; the working conditions stay."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable

import pytest
from django.core.management import call_command

from secondcareer.consultations.models import Case
from secondcareer.core.services import personal_data_anonymise
from secondcareer.jobs.models import JobPosting
from secondcareer.matching.models import SeekerProfile
from secondcareer.matching.services import digest_mark, match_decide, profile_save
from secondcareer.matching.tests.conftest import row
from secondcareer.people.models import Seeker, User
from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db

LONG_AGO = dt.datetime(2020, 3, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def kept(
    program: Program, seeker: Seeker, consultant: User, import_rows: Callable[..., str]
) -> SeekerProfile:
    import_rows([row(1)])
    profile = profile_save(
        program=program,
        seeker=seeker,
        by=consultant,
        days_per_week=3,
        wished_areas=["gamma"],
        wished_occupations=["経理"],
        career_history="A社で経理を20年",
        skills="Excel",
        tags=["事務希望"],
    )
    posting = JobPosting.objects.get()
    match_decide(program=program, seeker=seeker, posting=posting, choice="pin", by=consultant)
    digest_mark(program=program, seeker=seeker, postings=[posting], now=LONG_AGO)
    return profile


def test_the_export_holds_the_profile_the_choices_and_the_digest(
    kept: SeekerProfile, seeker: Seeker
) -> None:
    out = io.StringIO()
    call_command("export-person", "--program", "alpha", "--seeker", str(seeker.pk), stdout=out)
    sections = {s["key"]: s for s in json.loads(out.getvalue())["sections"]}
    (profile,) = sections["matching.profiles"]["rows"]
    assert profile["career_history"] == "A社で経理を20年"
    assert profile["wished_areas"] == ["ガンマ市"]
    assert profile["tags"] == ["事務希望"]
    assert sections["matching.decisions"]["rows"][0]["choice"] == "固定"
    assert sections["matching.digests"]["count"] == 1


def test_anonymising_blanks_the_free_text_and_keeps_the_conditions(
    kept: SeekerProfile, program: Program, seeker: Seeker, consultant: User
) -> None:
    Case.objects.create(
        program=program,
        seeker=seeker,
        consultant=consultant,
        opened_on=dt.date(2019, 4, 1),
        anchor_on=dt.date(2019, 4, 1),
        closed_on=dt.date(2020, 3, 1),
    )
    SeekerProfile.objects.filter(pk=kept.pk).update(updated_at=LONG_AGO)
    seeker.match_decisions.update(at=LONG_AGO)
    summary = personal_data_anonymise(program=program, before=dt.date(2021, 4, 1))
    assert summary.anonymised == 1
    kept.refresh_from_db()
    assert (kept.career_history, kept.skills, kept.wished_occupations, kept.tags) == (
        "",
        "",
        [],
        [],
    )
    assert kept.days_per_week == 3
    assert [a.code for a in kept.wished_areas.all()] == ["gamma"]
