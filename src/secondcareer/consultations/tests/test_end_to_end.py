"""Reservation → consultation record → case with a plan → review due → plan revised →
review done (issue 12, "Done when")."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from secondcareer.booking.models import ReservationStatus
from secondcareer.booking.services import reservation_create
from secondcareer.consultations.models import Case, ConsultationRecord
from secondcareer.consultations.services import (
    case_assign,
    consultation_record_create,
    plan_revise,
)
from secondcareer.consultations.status import CaseStatus
from secondcareer.consultations.tests.conftest import at
from secondcareer.core.models import AuditEntry
from secondcareer.programs.models import Service, Venue
from secondcareer.scheduling.services import shift_pattern_create

DAY = dt.date(2027, 1, 7)  # a Thursday: ラーク所沢 is open


def reviews_due(on: str, program: str = "saitama") -> list[dict[str, object]]:
    out = io.StringIO()
    call_command("reviews-due", "--program", program, "--on", on, "--format", "json", stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def test_reservation_to_record_to_case_to_plan_to_review_due_to_revision_to_done(
    saitama, st_seeker, st_consultant, st_consultant2, st_manager, frozen
):
    consultation = Service.objects.get(program=saitama, code="consultation")
    lark = Venue.objects.get(program=saitama, name="ラーク所沢")
    shift_pattern_create(
        program=saitama,
        consultant=st_consultant,
        venue=lark,
        weekday=DAY.weekday(),
        start=dt.time(9, 45),
        end=dt.time(16, 15),
        valid_from=dt.date(2026, 12, 1),
    )
    reservation = reservation_create(
        program=saitama,
        seeker=st_seeker,
        service=consultation,
        start=at(DAY),
        venue=lark,
        method="in_person",
        channel="phone",
        consultant_id=st_consultant.pk,
        now=at(dt.date(2027, 1, 4)),
    )

    # The record opens from the reservation: every field comes from it.
    frozen(DAY)
    record = consultation_record_create(
        program=saitama,
        seeker=st_seeker,
        actor=st_consultant,
        reservation=reservation,
        topics=["work_wishes", "income_pension"],
        notes="年金を受給しながら週3日程度の勤務を希望。",
        next_action="求人票を3件用意する",
        next_contact_on=dt.date(2027, 1, 21),
    )
    assert (record.kind.code, record.method, record.channel, record.consultant) == (
        "job_consultation",
        "in_person",
        "venue",
        st_consultant,
    )
    assert (record.started_at, record.minutes) == (at(DAY), 45)  # 60-minute slot, 45 to talk
    assert sorted(record.topics.values_list("code", flat=True)) == ["income_pension", "work_wishes"]
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.ATTENDED

    case = Case.objects.get(seeker=st_seeker, closed_on__isnull=True)
    assert (case.consultant, case.anchor_on, case.opened_on) == (st_consultant, DAY, DAY)
    assert case.status == CaseStatus.PLANNING
    plan = plan_revise(
        case=case,
        actor=st_consultant,
        goals="年金と両立できる週3日の仕事",
        steps=["希望条件の整理", "求人の紹介", "応募書類の作成"],
        target_on=dt.date(2027, 6, 30),
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_SUPPORT
    assert case.target_on == dt.date(2027, 6, 30)

    # Not due the day before 3 months; due on the day, with the assigned consultant.
    assert reviews_due("2027-04-06") == []
    case = case_assign(case=case, consultant=st_consultant2, actor=st_manager)
    assert reviews_due("2027-04-07") == [
        {
            "seeker_id": st_seeker.pk,
            "kind": "consultant",
            "due": "2027-04-07",
            "assignee": st_consultant2.username,
        }
    ]
    assert list(case.assignments.values_list("consultant__username", flat=True)) == [
        st_consultant.username,
        st_consultant2.username,
    ]

    # Overdue by a week, then revised: the review is done, the manager's is next.
    frozen(dt.date(2027, 4, 14))
    revised = plan_revise(
        case=case, actor=st_consultant2, goals="週3日の事務補助", steps=["面接練習"]
    )
    plan.refresh_from_db()
    assert (plan.status, revised.status, revised.approved_by) == (
        "superseded",
        "approved",
        st_consultant2,
    )
    three = case.reviews.get(number=1)
    assert (three.done_on, three.plan) == (dt.date(2027, 4, 14), revised)
    assert reviews_due("2027-04-14") == []
    assert reviews_due("2027-07-07") == [
        {"seeker_id": st_seeker.pk, "kind": "manager", "due": "2027-07-07", "assignee": None}
    ]
    assert AuditEntry.objects.filter(note="reviews-due", object_id=str(st_seeker.pk)).count() == 2
    assert ConsultationRecord.objects.filter(case=case).count() == 1


def test_reviews_due_leaves_out_closed_cases_and_other_programs(
    saitama, kobe, st_seeker, st_consultant, frozen
):
    from secondcareer.consultations.services import case_close
    from secondcareer.consultations.tests.conftest import record

    record(st_seeker, st_consultant, DAY)
    assert len(reviews_due("2027-04-07")) == 1
    assert reviews_due("2027-04-07", program="kobe") == []
    frozen(dt.date(2027, 2, 1))
    case_close(case=Case.objects.get(seeker=st_seeker), actor=st_consultant, reason="就職")
    assert reviews_due("2027-04-07") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--on", "2027-04-10"), "--program で事業の識別子を指定してください"),
        (("--program", "nowhere"), "事業「nowhere」は登録されていません"),
        (("--program", "saitama", "--on", "2027-13-01"), "日付は YYYY-MM-DD で指定してください"),
        (("--program", "saitama", "--format", "csv"), "--format には json のいずれか"),
    ],
)
def test_reviews_due_bad_input_is_a_japanese_command_error(saitama, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("reviews-due", *args, stdout=io.StringIO())
