"""``seed-demo``'s referrals to public support bodies follow the same rules as those
staff record: a case whose records touched on living hardship, a body of the seeker's
area, a date after that consultation and before the reference day, outcomes mixed and
dated; some hardship cases are left as suggestions for the case page."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Min

from secondcareer.booking import demo as booking_demo
from secondcareer.consultations.models import (
    Case,
    RecordTopic,
    ReferralOutcome,
    SupportReferral,
)
from secondcareer.consultations.tests.test_demo_history import HISTORY, SEEKERS, TODAY
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.programs.models import Program
from secondcareer.programs.services import program_load_preset

# Enough seekers that a few percent of records (the demo's hardship share) give a few
# dozen hardship cases.
MORE_SEEKERS = SEEKERS * 4


@pytest.fixture(scope="module")
def seeded_programs(django_db_setup: None, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(booking_demo, "HISTORY_DAYS", HISTORY)
        with transaction.atomic():
            for slug in ("saitama", "kobe"):
                program_load_preset(path_or_name=slug)
                call_command(
                    "seed-demo",
                    program=slug,
                    seekers=MORE_SEEKERS,
                    seed=5,
                    today=TODAY.isoformat(),
                    stdout=io.StringIO(),
                )
            yield
            transaction.set_rollback(True)


@pytest.fixture(params=["saitama", "kobe"])
def seeded(request: pytest.FixtureRequest, seeded_programs: None, db: None) -> Program:
    return Program.objects.get(slug=request.param)


def test_hardship_cases_are_referred_to_a_body_of_their_area_with_mixed_outcomes(
    seeded: Program,
) -> None:
    hardship = dict(
        RecordTopic.objects.filter(
            topic__program=seeded, topic__suggests_referral=True, record__case__isnull=False
        )
        .values("record__case_id")
        .annotate(first=Min("record__started_at"))
        .values_list("record__case_id", "first")
    )
    referrals = list(
        SupportReferral.objects.filter(case__program=seeded).select_related("body", "case__seeker")
    )
    assert len(hardship) >= 5
    assert referrals, "no demo referral"
    referred = Counter(r.case_id for r in referrals)
    assert max(referred.values()) == 1
    assert set(referred) <= set(hardship)  # only cases whose records suggested one
    assert len(referred) < len(hardship)  # some are left as suggestions
    for r in referrals:
        assert r.body.program_id == seeded.pk
        areas = {a.pk for a in r.body.areas.all()}
        assert not areas or r.case.seeker.area_id in areas
        assert hardship[r.case_id].astimezone(TOKYO).date() <= r.referred_on < TODAY
        assert r.reason and r.referred_by_id is not None
        if r.outcome == ReferralOutcome.PENDING:
            assert r.outcome_on is None
        else:
            assert r.referred_on <= r.outcome_on < TODAY
    outcomes = Counter(r.outcome for r in referrals)
    assert len(outcomes) >= 2, outcomes
    assert (
        not Case.objects.filter(program=seeded, referrals__isnull=False)
        .exclude(pk__in=list(hardship))
        .exists()
    )
