"""The case screens as staff use them: the day's schedule → record (pre-filled from the
reservation) → case page → plan → review, access per role, audit per opening, bad input."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from secondcareer.booking.models import ReservationStatus
from secondcareer.booking.services import reservation_create
from secondcareer.consultations.models import (
    Case,
    CaseAssignment,
    ConsultationRecord,
    PlanStatus,
    SupportPlan,
)
from secondcareer.consultations.status import CaseStatus
from secondcareer.consultations.tests.conftest import another_seeker, at, record, staff
from secondcareer.core.models import AuditEntry
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role, User
from secondcareer.programs.models import Program, Service, Venue
from secondcareer.scheduling.services import shift_pattern_create

DAY = dt.date(2027, 1, 7)  # a Thursday: ラーク所沢 is open
NOTE = "年金を受給しながら週3日程度の勤務を希望。"


def as_user(user: User) -> Client:
    return sign_in_staff(Client(), user)


def case_views(case: Case) -> int:
    return AuditEntry.objects.filter(
        object_type="consultations.case", object_id=str(case.pk), action="view"
    ).count()


@pytest.fixture
def booked(saitama: Program, st_seeker: Any, st_consultant: User) -> Any:
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
    return reservation_create(
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


def test_from_the_days_schedule_to_a_record_a_case_a_plan_and_a_done_review(
    saitama, st_seeker, st_consultant, st_manager, booked, frozen
):
    frozen(DAY)
    consultant = as_user(st_consultant)
    home = consultant.get(reverse("workspace:home")).content.decode()
    record_url = reverse("consultations:record_create", args=["saitama"])
    assert f"{record_url}?reservation={booked.pk}" in home
    assert "山田 太郎さんの相談を記録する" in home

    # The form is pre-filled from the reservation: kind, method, place, consultant, time.
    form = consultant.get(record_url, {"reservation": booked.pk}).content.decode()
    assert re.search(r'<option value="job_consultation" selected>', form)
    assert re.search(r'value="in_person"[^>]*checked|<option value="in_person" selected>', form)
    assert 'value="2027-01-07T10:00"' in form
    assert 'value="45"' in form

    response = consultant.post(
        record_url,
        {
            "reservation": booked.pk,
            "attendance": "attended",
            "kind": "job_consultation",
            "method": "in_person",
            "channel": "venue",
            "consultant": st_consultant.pk,
            "start": "2027-01-07T10:00",
            "minutes": "45",
            "topics": ["work_wishes", "income_pension"],
            "notes": NOTE,
            "next_action": "求人票を3件用意する",
            "next_contact_on": "2027-01-21",
        },
    )
    case = Case.objects.get(seeker=st_seeker)
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:case_detail", args=["saitama", case.pk])
    booked.refresh_from_db()
    assert booked.status == ReservationStatus.ATTENDED
    assert (case.consultant, case.anchor_on) == (st_consultant, DAY)

    before = case_views(case)
    page = consultant.get(response["Location"]).content.decode()
    assert case_views(case) == before + 1
    assert NOTE in page and "年金" in page and "求人票を3件用意する" in page
    assert "記録済み" in consultant.get(reverse("workspace:home")).content.decode()

    # The plan, saved and approved in one step.
    plan_url = reverse("consultations:plan_edit", args=["saitama", case.pk])
    response = consultant.post(
        plan_url,
        {
            "goals": "年金と両立できる週3日の仕事",
            "steps": "希望条件の整理\n求人の紹介\n\n応募書類の作成",
            "target_on": "2027-06-30",
            "action": "approve",
        },
    )
    assert response.status_code == 302
    plan = SupportPlan.objects.get(case=case)
    assert (plan.status, plan.steps) == (
        PlanStatus.APPROVED,
        ["希望条件の整理", "求人の紹介", "応募書類の作成"],
    )
    assert Case.objects.with_status_facts().get(pk=case.pk).status == CaseStatus.IN_SUPPORT

    # Three months on, the review is on the home, overdue a week later; a revision does it.
    frozen(dt.date(2027, 4, 14))
    consultant = as_user(st_consultant)  # the old session has expired by now
    home = consultant.get(reverse("workspace:home")).content.decode()
    assert "初回相談から3か月" in home and "期限切れ" in home
    consultant.post(
        plan_url, {"goals": "週3日の事務補助", "steps": "面接練習", "action": "approve"}
    )
    review = case.reviews.get(number=1)
    assert review.done_on == dt.date(2027, 4, 14)
    assert review.plan is not None and review.plan.version == 2
    page = consultant.get(reverse("consultations:case_detail", args=["saitama", case.pk]))
    assert "第2版（現行" in page.content.decode()


def test_a_no_show_is_recorded_and_opens_no_case(saitama, st_seeker, st_consultant, booked, frozen):
    frozen(DAY)
    response = as_user(st_consultant).post(
        reverse("consultations:record_create", args=["saitama"]),
        {
            "reservation": booked.pk,
            "attendance": "no_show",
            "kind": "job_consultation",
            "method": "in_person",
            "channel": "venue",
            "consultant": st_consultant.pk,
            "start": "2027-01-07T10:00",
            "minutes": "45",
        },
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == ReservationStatus.NO_SHOW
    assert ConsultationRecord.objects.get(reservation=booked).attendance == "no_show"
    assert not Case.objects.filter(seeker=st_seeker).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minutes", "abc", "相談時間は分の数字で入力してください。"),
        ("minutes", "0", "相談時間は1分以上で入力してください。"),
        ("start", "2027-13-45T99:00", "開始日時を「2026-12-03 14:00」の形で入力してください。"),
        ("kind", "no-such-kind", "一覧にある相談の種類を選んでください。"),
    ],
)
def test_bad_input_on_the_record_form_gets_a_japanese_message_and_saves_nothing(
    saitama, st_seeker, st_consultant, frozen, field, value, message
):
    frozen(DAY)
    data = {
        "seeker": st_seeker.pk,
        "attendance": "attended",
        "kind": "job_consultation",
        "method": "phone",
        "channel": "online",
        "consultant": st_consultant.pk,
        "start": "2027-01-07T10:00",
        "minutes": "45",
        "notes": NOTE,
    }
    data[field] = value
    response = as_user(st_consultant).post(
        reverse("consultations:record_create", args=["saitama"]), data
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert NOTE in response.content.decode()  # what was typed is kept
    assert not ConsultationRecord.objects.exists()


def test_a_future_start_is_refused_by_the_service_on_the_form(
    saitama, st_seeker, st_consultant, frozen
):
    frozen(DAY)
    response = as_user(st_consultant).post(
        reverse("consultations:record_create", args=["saitama"]),
        {
            "seeker": st_seeker.pk,
            "attendance": "attended",
            "kind": "job_consultation",
            "method": "phone",
            "channel": "online",
            "consultant": st_consultant.pk,
            "start": "2027-03-01T10:00",
            "minutes": "45",
        },
    )
    assert response.status_code == 422
    assert not ConsultationRecord.objects.exists()


def test_access_to_a_case_page_by_role(saitama, kobe, st_seeker, st_consultant, frozen):
    frozen(DAY)
    record(st_seeker, st_consultant, DAY, notes=NOTE, topics=["income_pension"])
    case = Case.objects.get(seeker=st_seeker)
    plan_url = reverse("consultations:plan_edit", args=["saitama", case.pk])
    url = reverse("consultations:case_detail", args=["saitama", case.pk])
    other = staff(saitama, Role.CONSULTANT, "-other")
    reception = staff(saitama, Role.RECEPTION)
    developer = staff(saitama, Role.JOB_DEVELOPER)
    city = staff(saitama, Role.MUNICIPALITY)
    kobe_manager = staff(kobe, Role.MANAGER)
    manager = staff(saitama, Role.MANAGER)

    assert as_user(other).get(url).status_code == 404  # another consultant's unshared case
    assert as_user(other).get(plan_url).status_code == 404
    assert as_user(city).get(url).status_code == 403  # the municipality sees no person
    assert as_user(kobe_manager).get(url).status_code == 404  # another program
    for user in (reception, developer):
        client = as_user(user)
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "山田 太郎" in page
        assert NOTE not in page and "年金" not in page  # no notes, no topics
        assert client.get(plan_url).status_code == 403
    page = as_user(manager).get(url).content.decode()
    assert NOTE in page
    # One audit entry per opening (the refused ones wrote none).
    assert case_views(case) == 3


def test_a_consultant_sees_only_their_caseload_in_the_list_and_a_manager_sees_all(
    saitama, st_seeker, st_consultant, st_consultant2, st_manager, frozen
):
    frozen(DAY)
    record(st_seeker, st_consultant, DAY)
    theirs = another_seeker(saitama, 7)
    record(theirs, st_consultant2, DAY)
    url = reverse("consultations:case_list", args=["saitama"])
    mine = as_user(st_consultant).get(url).content.decode()
    assert "山田 太郎" in mine and "鈴木 一郎7" not in mine
    everyone = as_user(st_manager).get(url).content.decode()
    assert "山田 太郎" in everyone and "鈴木 一郎7" in everyone


def test_a_group_session_records_attendance_for_many_by_card_number(saitama, st_consultant, frozen):
    frozen(DAY)
    people = [another_seeker(saitama, n) for n in range(1, 5)]
    response = as_user(st_consultant).post(
        reverse("consultations:group_record", args=["saitama"]),
        {
            "kind": "job_consultation",
            "start": "2027-01-07T14:00",
            "minutes": "120",
            "attended": "\n".join(p.card_number for p in people[:3]),
            "no_show": f"{people[3].card_number}\n",
        },
    )
    assert response.status_code == 302
    rows = ConsultationRecord.objects.order_by("seeker_id")
    assert [r.attendance for r in rows] == ["attended"] * 3 + ["no_show"]
    assert len({r.group for r in rows}) == 1
    assert Case.objects.filter(program=saitama).count() == 3


def test_a_group_session_with_an_unknown_card_number_saves_nobody(saitama, st_consultant, frozen):
    frozen(DAY)
    one = another_seeker(saitama, 1)
    response = as_user(st_consultant).post(
        reverse("consultations:group_record", args=["saitama"]),
        {
            "kind": "job_consultation",
            "start": "2027-01-07T14:00",
            "minutes": "120",
            "attended": f"{one.card_number}\nだれか",
        },
    )
    assert response.status_code == 422
    assert "「だれか」は利用者カード番号でも利用者番号でもありません。" in response.content.decode()
    assert not ConsultationRecord.objects.exists()


def test_a_manager_reassigns_a_case_and_the_history_shows_it(
    saitama, st_seeker, st_consultant, st_consultant2, st_manager, frozen
):
    frozen(DAY)
    record(st_seeker, st_consultant, DAY)
    case = Case.objects.get(seeker=st_seeker)
    url = reverse("consultations:case_assign", args=["saitama", case.pk])
    assert as_user(st_consultant).post(url, {"consultant": st_consultant2.pk}).status_code == 403
    response = as_user(st_manager).post(url, {"consultant": st_consultant2.pk, "note": "異動"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.consultant == st_consultant2
    assert CaseAssignment.objects.filter(case=case).count() == 2
    # The old consultant no longer sees it; the new one does.
    detail = reverse("consultations:case_detail", args=["saitama", case.pk])
    assert as_user(st_consultant).get(detail).status_code == 404
    assert as_user(st_consultant2).get(detail).status_code == 200


def test_the_manager_review_cannot_be_done_by_the_consultant(
    saitama, st_seeker, st_consultant, st_manager, frozen
):
    frozen(DAY)
    record(st_seeker, st_consultant, DAY)
    case = Case.objects.get(seeker=st_seeker)
    consultant = as_user(st_consultant)
    plan_url = reverse("consultations:plan_edit", args=["saitama", case.pk])
    consultant.post(plan_url, {"goals": "目標", "action": "approve"})
    frozen(dt.date(2027, 4, 7))
    as_user(st_consultant).post(plan_url, {"goals": "目標2", "action": "approve"})
    assert case.reviews.get(months=3).done_on == dt.date(2027, 4, 7)
    frozen(dt.date(2027, 7, 8))
    consultant = as_user(st_consultant)
    response = consultant.post(plan_url, {"goals": "目標3", "action": "approve"})
    assert response.status_code == 422
    assert "運営管理責任者" in response.content.decode()
    assert case.reviews.get(months=6).done_on is None
    review = case.reviews.get(months=6)
    done = reverse("consultations:review_done", args=["saitama", case.pk, review.pk])
    as_user(st_manager).post(done, {"outcome": "計画どおり継続"})
    review.refresh_from_db()
    assert (review.done_on, review.done_by) == (dt.date(2027, 7, 8), st_manager)
