"""``seed-demo``'s jobs: a CP932 Hello Work file of about 1,000 postings per program,
imported by the same service as ``import-hellowork`` (importing it again changes
nothing), in the program's areas, with employers developed over the past year."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import time_machine
from django.conf import settings
from django.core.management import call_command

from secondcareer.consultations.tests.test_demo_history import (  # noqa: F401 - fixtures
    SEED,
    SEEKERS,
    TODAY,
    seeded,
    seeded_programs,
)
from secondcareer.core.demodata import DemoContext
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.jobs.demo import hellowork_csv
from secondcareer.jobs.models import DevelopmentActivity, Employer, JobPosting, PostingSource
from secondcareer.jobs.selectors import newly_developed
from secondcareer.programs.models import Program


def test_the_demo_imports_a_cp932_hellowork_file_that_reimports_unchanged(
    seeded: Program,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    postings = JobPosting.objects.filter(program=seeded)
    assert postings.count() == 1000
    assert not postings.exclude(source=PostingSource.HELLOWORK).exists()
    # every posting lies in one of the program's own areas, received by the reference day
    assert not postings.filter(workplace_area__isnull=True).exists()
    assert not postings.exclude(workplace_area__program=seeded).exists()
    assert not postings.filter(received_on__gt=TODAY).exists()

    # the file the demo leaves for people to try ``import-hellowork`` on
    path = settings.VAR_DIR / f"demo-hellowork-{seeded.slug}.csv"
    path.read_bytes().decode("cp932")  # Shift_JIS, as Hello Work's downloads are
    # ``var/`` is shared by every test worker, and other tests seed the demo on other
    # days, so the bytes are regenerated here exactly as this fixture's seed-demo made them
    areas = list(seeded.areas.order_by("id").values_list("name", flat=True))
    context = DemoContext(program=seeded, seekers=SEEKERS, seed=SEED, log=lambda _: None)
    data = hellowork_csv(seeded.slug, areas, TODAY, context.rng("jobs.hellowork"))
    data.decode("cp932")
    source = tmp_path / "hellowork.csv"
    source.write_bytes(data)
    out = io.StringIO()
    # on the demo's reference day (later, some postings are past their 紹介期限日 and close)
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(12), TOKYO), tick=False):
        call_command("import-hellowork", str(source), program=seeded.slug, stdout=out)
    assert "新規 0 件、更新 0 件、変更なし 1000 件" in out.getvalue()


def test_the_demo_employers_have_senior_facts_and_a_year_of_development(
    seeded: Program,  # noqa: F811 - the fixture
) -> None:
    employers = Employer.objects.filter(program=seeded)
    assert employers.count() == 120
    assert not employers.filter(retirement_age__isnull=True).exists()
    activities = DevelopmentActivity.objects.filter(employer__program=seeded)
    assert activities.count() > 60
    assert not activities.filter(on__gt=TODAY).exists()
    assert not activities.filter(on__lte=TODAY - dt.timedelta(days=365)).exists()
    assert not activities.exclude(by__memberships__program=seeded).exists()
    # the fiscal year KPI counts employers first developed in it
    fiscal_year = TODAY.year if TODAY.month >= 4 else TODAY.year - 1
    developed = newly_developed(seeded, fiscal_year)
    assert 0 < len(list(developed)) <= employers.count()
