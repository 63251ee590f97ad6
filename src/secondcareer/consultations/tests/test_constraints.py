"""What must never happen twice is refused by the database, whatever code writes it:
one open case per seeker and program, one current plan per case, one record per
reservation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from secondcareer.consultations.models import Case, PlanStatus, SupportPlan
from secondcareer.consultations.services import case_close, plan_revise
from secondcareer.consultations.status import CaseStatus, case_status
from secondcareer.consultations.tests.conftest import record
from secondcareer.core.errors import DomainError


def test_a_second_open_case_for_the_same_seeker_is_refused(saitama, st_seeker, st_consultant):
    record(st_seeker, st_consultant, dt.date(2027, 1, 7))
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(program=saitama, seeker=st_seeker, opened_on=dt.date(2027, 1, 8))


def test_after_closing_a_consultation_opens_a_new_case(saitama, st_seeker, st_consultant, frozen):
    record(st_seeker, st_consultant, dt.date(2027, 1, 7))
    frozen(dt.date(2027, 2, 1))
    first = case_close(case=Case.objects.get(seeker=st_seeker), actor=st_consultant)
    assert first.status == CaseStatus.CLOSED
    with pytest.raises(DomainError):
        case_close(case=first, actor=st_consultant)
    record(st_seeker, st_consultant, dt.date(2027, 3, 4))
    second = Case.objects.get(seeker=st_seeker, closed_on__isnull=True)
    assert second.pk != first.pk
    assert second.anchor_on == dt.date(2027, 3, 4)
    assert second.reviews.get().due_on == dt.date(2027, 6, 4)


def test_two_current_plans_are_refused(saitama, st_seeker, st_consultant, frozen):
    record(st_seeker, st_consultant, dt.date(2027, 1, 7))
    case = Case.objects.get(seeker=st_seeker)
    frozen(dt.date(2027, 1, 8))
    plan_revise(case=case, actor=st_consultant, goals="目標")
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportPlan.objects.create(
            case=case,
            version=2,
            goals="もう一つの現行版",
            status=PlanStatus.APPROVED,
            approved_by=st_consultant,
            approved_on=dt.date(2027, 1, 8),
        )
    plan_revise(case=case, actor=st_consultant, goals="目標（改訂）")
    plan_revise(case=case, actor=st_consultant, goals="目標（再改訂）")
    statuses = list(case.plans.order_by("version").values_list("version", "status"))
    assert statuses == [(1, "superseded"), (2, "superseded"), (3, "approved")]


def test_an_approved_plan_needs_its_approver(saitama, st_seeker, st_consultant):
    record(st_seeker, st_consultant, dt.date(2027, 1, 7))
    case = Case.objects.get(seeker=st_seeker)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportPlan.objects.create(case=case, version=1, goals="目標", status=PlanStatus.APPROVED)


def test_a_reservation_has_one_record(saitama, st_seeker, st_consultant):
    from secondcareer.booking.services import reservation_create
    from secondcareer.consultations.services import consultation_record_create
    from secondcareer.consultations.tests.conftest import at
    from secondcareer.programs.models import Service, Venue

    reservation = reservation_create(
        program=saitama,
        seeker=st_seeker,
        service=Service.objects.get(program=saitama, code="consultation"),
        start=at(dt.date(2027, 1, 7)),
        venue=Venue.objects.get(program=saitama, name="ラーク所沢"),
        method="in_person",
        channel="phone",
        now=at(dt.date(2027, 1, 4)),
    )
    now = at(dt.date(2027, 1, 7), 18)
    args = {"program": saitama, "seeker": st_seeker, "actor": st_consultant, "now": now}
    consultation_record_create(reservation=reservation, **args)
    with pytest.raises(DomainError) as twice:
        consultation_record_create(reservation=reservation, **args)
    assert twice.value.code == "conflict"


def test_a_no_show_is_recorded_without_opening_a_case(saitama, st_seeker, st_consultant):
    no_show = record(st_seeker, st_consultant, dt.date(2027, 1, 7), attendance="no_show")
    assert (no_show.attendance, no_show.case) == ("no_show", None)
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("facts", "status"),
    [
        ({"closed": False, "has_records": False, "has_plan": False}, "intake"),
        ({"closed": False, "has_records": True, "has_plan": False}, "planning"),
        ({"closed": False, "has_records": True, "has_plan": True}, "in_support"),
        ({"closed": False, "has_records": True, "has_plan": True, "placed": True}, "placed"),
        (
            {"closed": False, "has_records": True, "has_plan": True, "in_followup": True},
            "follow_up",
        ),
        ({"closed": True, "has_records": True, "has_plan": True, "in_followup": True}, "closed"),
    ],
)
def test_the_status_is_derived_from_the_facts(facts, status):
    assert case_status(**facts) == status


def test_a_list_of_cases_derives_its_statuses_in_one_query(
    saitama, st_consultant, django_assert_num_queries
):
    from secondcareer.consultations.tests.conftest import another_seeker

    for n in range(1, 6):
        record(another_seeker(saitama, n), st_consultant, dt.date(2027, 1, n))
    with django_assert_num_queries(1):
        statuses = [c.status for c in Case.objects.with_status_facts()]
    assert statuses == ["planning"] * 5


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "nothing", "相談の種類 nothing はこの事業にありません"),
        ("method", "fax", "相談方法は chat, phone, video, in_person のいずれか"),
        ("channel", "moon", "実施場所は online, venue のいずれか"),
        ("minutes", 601, "相談時間は0〜600分"),
        ("topics", ["weather"], "相談の話題 weather はこの事業の分類にありません"),
        ("attendance", "late", "来談は attended, no_show のいずれか"),
    ],
)
def test_a_wrong_field_is_refused_with_its_name_and_a_japanese_message(
    saitama, st_seeker, st_consultant, field, value, message
):
    with pytest.raises(DomainError, match=message) as refused:
        record(st_seeker, st_consultant, dt.date(2027, 1, 7), **{field: value})
    assert list(refused.value.field_errors) == [field]


def test_a_future_start_is_refused_and_a_past_one_accepted(saitama, st_seeker, st_consultant):
    from secondcareer.consultations.tests.conftest import at

    day = dt.date(2027, 1, 7)
    with pytest.raises(DomainError, match="まだ始まっていない相談"):
        record(st_seeker, st_consultant, day, now=at(day, 9))
    entered_later = record(st_seeker, st_consultant, day, now=at(dt.date(2027, 2, 1)))
    assert entered_later.started_at == at(day)


def test_a_seeker_of_another_program_is_refused(saitama, kobe, st_consultant):
    from secondcareer.consultations.tests.conftest import another_seeker

    stranger = another_seeker(kobe, 1)
    with pytest.raises(DomainError) as refused:
        from secondcareer.consultations.services import consultation_record_create

        consultation_record_create(
            program=saitama,
            seeker=stranger,
            actor=st_consultant,
            method="phone",
            minutes=30,
            start=dt.datetime(2027, 1, 7, 1, tzinfo=dt.UTC),
            now=dt.datetime(2027, 1, 8, tzinfo=dt.UTC),
        )
    assert refused.value.code == "not_found"
