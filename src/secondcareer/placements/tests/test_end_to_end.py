"""Placements end to end (issue 14, "Done when"): a match → a referral → application
support → hired → the placement → follow-ups at 1, 3 and 6 months → one missed
becomes overdue (time travel) → a "left" outcome reopens support. Through the API as a
consultant would, on SQLite and on PostgreSQL (``TEST_DB=postgres``)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from secondcareer.consultations.models import Case, ConsultationRecord, PlanStatus, SupportPlan
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.jobs.models import Employer, WageType
from secondcareer.jobs.services import posting_create
from secondcareer.matching.feed import FEEDS, SEEKER_INDEXES
from secondcareer.matching.selectors import seeker_matches
from secondcareer.matching.services import profile_save
from secondcareer.people.models import Seeker, User
from secondcareer.placements.counting import counts
from secondcareer.programs.models import ConsultationKind, Program

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    FEEDS.invalidate()
    SEEKER_INDEXES.invalidate()
    yield
    FEEDS.invalidate()
    SEEKER_INDEXES.invalidate()


def at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), TOKYO), tick=False)


def api(client: Client, method: str, path: str, body: Any = None, status: int = 200) -> Any:
    if method == "get":
        response = client.get(path)
    else:
        response = getattr(client, method)(path, json.dumps(body), content_type="application/json")
    assert response.status_code == status, response.content
    return response.json()


def case_status(client: Client, seeker: Seeker) -> str:
    cases = api(client, "get", "/api/cases?program=alpha")
    return next(c["status"] for c in cases if c["seeker_id"] == seeker.pk)


def test_match_to_referral_to_placement_to_followups_to_overdue_to_left_reopening_support(
    program: Program,
    seeker: Seeker,
    employer: Employer,
    consultant: User,
    retention_kind: ConsultationKind,
    client_for: Any,
) -> None:
    case = Case.objects.create(
        program=program, seeker=seeker, consultant=consultant, opened_on=dt.date(2026, 10, 1)
    )
    SupportPlan.objects.create(
        case=case,
        version=1,
        status=PlanStatus.APPROVED,
        goals="清掃の仕事で週3日働く",
        approved_by=consultant,
        approved_on=dt.date(2026, 10, 1),
    )
    with at(TODAY):
        client = client_for(consultant)
        cleaning = posting_create(
            program=program,
            employer=employer,
            occupation="ビル清掃スタッフ",
            description="オフィスビルの床と窓の清掃",
            wage_from=1200,
            wage_type=WageType.HOURLY,
            days_per_week=3,
            working_hours="9時00分～13時00分",
            employment_type="パート労働者",
            workplace_area=seeker.area,
            referral_deadline=dt.date(2027, 1, 31),
            today=TODAY,
        )
        profile_save(
            program=program,
            seeker=seeker,
            by=consultant,
            wished_occupations=["清掃"],
            days_per_week=3,
            hours_per_day=4,
            max_commute_minutes=45,
            min_wage=1100,
            min_wage_type="hourly",
        )
        assert case_status(client, seeker) == "in_support"

        # 1. the match
        matches = seeker_matches(program=program, seeker=seeker, on=TODAY)
        assert matches and matches[0].posting.pk == cleaning.pk

        # 2. the referral, and 3. application support
        referral = api(
            client,
            "post",
            "/api/referrals",
            {"program": "alpha", "seeker_id": seeker.pk, "posting_id": matches[0].posting.pk},
            status=201,
        )
        assert referral["status"] == "proposed"
        assert referral["counts_as_own_developed"] is True
        path = f"/api/referrals/{referral['id']}"
        for kind, minutes in (
            ("resume_review", 30),
            ("career_history_review", 30),
            ("mock_interview", 45),
        ):
            api(client, "post", f"{path}/support", {"kind": kind, "minutes": minutes}, status=201)

        # 4. through the pipeline to hired, which creates the placement
        for status in ("applied", "document_screening", "interview", "offered"):
            api(client, "patch", path, {"status": status})
        hired = api(
            client,
            "patch",
            path,
            {
                "status": "hired",
                "note": "12月1日から勤務",
                "placement": {
                    "start_on": "2026-12-01",
                    "employment_type": "non_regular",
                    "weekly_hours": 12,
                    "wage": 1200,
                    "wage_type": "hourly",
                    "confirmed_by": "employer",
                },
            },
        )
        assert [c["to_status"] for c in hired["changes"]] == [
            "proposed",
            "applied",
            "document_screening",
            "interview",
            "offered",
            "hired",
        ]
        assert [s["kind"] for s in hired["supports"]] == [
            "resume_review",
            "career_history_review",
            "mock_interview",
        ]
        placement = api(client, "get", f"/api/placements/{hired['placement_id']}")
        assert placement["age_at_start"] == 66
        assert placement["source"] == "referral"
        # 5. follow-ups at 1, 3 and 6 months
        followups = {f["months"]: f for f in placement["followups"]}
        assert {m: f["due"] for m, f in followups.items()} == {
            1: "2027-01-01",
            3: "2027-03-01",
            6: "2027-06-01",
        }
        assert case_status(client, seeker) == "follow_up"

    # The 1-month follow-up is done on time, with an interview (a consultation record).
    with at(dt.date(2027, 1, 6)):
        client = client_for(consultant)  # a new day, a new sign-in
        done = api(
            client,
            "patch",
            f"/api/followups/{followups[1]['id']}",
            {
                "outcome": "continuing",
                "interview_minutes": 20,
                "interview_method": "phone",
                "note": "順調",
            },
        )
        assert done["done_on"] == "2027-01-06"
        record = ConsultationRecord.objects.get(pk=done["consultation_id"])
        assert record.kind == retention_kind

    # 6. the 3-month one is missed: overdue from the day after it was due.
    with at(dt.date(2027, 3, 1)):
        client = client_for(consultant)  # a new day, a new sign-in
        assert api(client, "get", "/api/followups?program=alpha&overdue=true") == []
    with at(dt.date(2027, 3, 2)):
        client = client_for(consultant)  # a new day, a new sign-in
        overdue = api(client, "get", "/api/followups?program=alpha&overdue=true")
        assert [(f["months"], f["overdue"]) for f in overdue] == [(3, True)]
        out = io.StringIO()
        call_command("followups-due", "--program", "alpha", "--on", "2027-03-02", stdout=out)
        assert json.loads(out.getvalue()) == [
            {
                "placement_id": placement["id"],
                "seeker_id": seeker.pk,
                "months": 3,
                "due": "2027-03-01",
                "overdue": True,
            }
        ]
        assert case_status(client, seeker) == "follow_up"

    # 7. at the 6-month call the seeker says they left: support reopens.
    with at(dt.date(2027, 6, 2)):
        client = client_for(consultant)  # a new day, a new sign-in
        api(
            client,
            "patch",
            f"/api/followups/{followups[6]['id']}",
            {
                "outcome": "left",
                "left_on": "2027-05-15",
                "left_reason": "腰を痛めて続けられなくなった",
                "interview_minutes": 30,
            },
        )
        assert case_status(client, seeker) == "in_support"
        still_open = api(client, "get", "/api/followups?program=alpha&done=false")
        assert [f["months"] for f in still_open] == [3]  # the missed one stays listed

    figures = counts(program, dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert (figures["referrals"].cases, figures["referrals_own"].cases) == (1, 1)
    assert (figures["placements"].people, figures["placements_65"].people) == (1, 1)
    assert figures["followups_done"].cases == 1
