"""Inactivity follow-up checks (Saitama 2(2)ケ): a phone call or postcard is logged with
the employment status found; only a call that reached the seeker is a contact, so it
takes them off the list, while a postcard or an unanswered call leaves them on it."""

from __future__ import annotations

import datetime as dt

import pytest

from secondcareer.consultations.models import InactivityCheck
from secondcareer.consultations.selectors import (
    RECHECK_DAYS,
    count_check_results,
    employment_checks_due,
    inactive_seekers,
    latest_found_status,
)
from secondcareer.consultations.services import inactivity_check_record
from secondcareer.consultations.tests.conftest import another_seeker, at, record
from secondcareer.core.errors import DomainError
from secondcareer.core.models import AuditEntry
from secondcareer.people.models import Seeker
from secondcareer.programs.models import Program

LAST = dt.date(2027, 1, 9)  # the last consultation
ON = dt.date(2027, 4, 10)  # 3 months and 1 day later: out of contact


def inactive_ids(program: Program, on: dt.date = ON) -> list[int]:
    return [row.seeker.pk for row in inactive_seekers(program, on)]


def due_ids(program: Program, on: dt.date = ON) -> list[int]:
    rows, _counts = employment_checks_due([(program, None)], on, limit=50)
    return [row.seeker.pk for row in rows]


def log(seeker: Seeker, actor, method: str, result: str, done_on: dt.date = ON, **kw):  # type: ignore[no-untyped-def]
    today = kw.pop("today", done_on)
    return inactivity_check_record(
        program=seeker.program,
        seeker=seeker,
        actor=actor,
        method=method,
        result=result,
        done_on=done_on,
        now=at(today, 18),
        **kw,
    )


@pytest.fixture
def out_of_contact(saitama, st_consultant) -> Seeker:
    seeker = another_seeker(saitama, 1)
    record(seeker, st_consultant, LAST)
    assert inactive_ids(saitama) == [seeker.pk]
    return seeker


@pytest.mark.parametrize("result", ["working", "searching", "stopped"])
def test_a_call_that_reached_the_seeker_takes_them_off_the_list(
    saitama, st_consultant, out_of_contact, result
):
    check = log(out_of_contact, st_consultant, "phone", result)
    assert check.reached and check.case is not None
    assert check.last_contact_on == LAST and check.due_on == dt.date(2027, 4, 10)
    assert inactive_ids(saitama) == []
    assert due_ids(saitama) == []
    # The call is a contact on its day: 3 months and 1 day after it, they are back,
    # and due for the next check.
    assert inactive_ids(saitama, dt.date(2027, 7, 10)) == []
    assert inactive_ids(saitama, dt.date(2027, 7, 11)) == [out_of_contact.pk]
    assert due_ids(saitama, dt.date(2027, 7, 11)) == [out_of_contact.pk]


def test_an_unreachable_call_leaves_the_seeker_on_the_list_and_due_again_later(
    saitama, st_consultant, out_of_contact
):
    check = log(out_of_contact, st_consultant, "phone", "unreachable")
    assert not check.reached
    assert inactive_ids(saitama) == [out_of_contact.pk]
    assert due_ids(saitama) == []  # just tried
    later = ON + dt.timedelta(days=RECHECK_DAYS)
    assert due_ids(saitama, later - dt.timedelta(days=1)) == []
    assert due_ids(saitama, later) == [out_of_contact.pk]


@pytest.mark.parametrize("result", ["unreachable", "working"])
def test_a_postcard_is_never_a_contact(saitama, st_consultant, out_of_contact, result):
    check = log(out_of_contact, st_consultant, "postcard", result)
    assert not check.reached and check.reached_at is None
    assert inactive_ids(saitama) == [out_of_contact.pk]
    # A reply that gave a status means the status is known: not due any more.
    assert due_ids(saitama, ON + dt.timedelta(days=90)) == (
        [out_of_contact.pk] if result == "unreachable" else []
    )


def test_a_check_before_the_last_contact_does_not_count_for_the_next_round(
    saitama, st_consultant, out_of_contact
):
    log(out_of_contact, st_consultant, "postcard", "working", done_on=dt.date(2026, 12, 1))
    assert due_ids(saitama) == [out_of_contact.pk]


def test_seekers_still_in_touch_are_not_due(saitama, st_consultant, out_of_contact):
    recent = another_seeker(saitama, 2)
    record(recent, st_consultant, dt.date(2027, 3, 1))
    assert due_ids(saitama) == [out_of_contact.pk]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"method": "fax"}, "method"),
        ({"result": "retired"}, "result"),
        ({"done_on": ON + dt.timedelta(days=1)}, "done_on"),
        ({"employer_note": "x" * 201}, "employer_note"),
    ],
)
def test_bad_checks_are_refused_in_japanese_and_nothing_is_written(
    saitama, st_consultant, out_of_contact, change, field
):
    values = {"method": "phone", "result": "working", "done_on": ON, "today": ON, **change}
    with pytest.raises(DomainError) as refused:
        log(out_of_contact, st_consultant, **values)
    assert field in (refused.value.field_errors or {})
    assert any("\u3040" <= ch <= "\u9fff" for ch in refused.value.message)
    assert not InactivityCheck.objects.exists()


def test_kobe_has_no_inactivity_follow_up(kobe, preset_staff):
    seeker = another_seeker(kobe, 1)
    with pytest.raises(DomainError) as refused:
        log(seeker, None, "phone", "working")
    assert refused.value.code == "not_configured"


def test_a_seeker_of_another_program_is_refused(saitama, kobe, st_consultant):
    stranger = another_seeker(kobe, 1)
    with pytest.raises(DomainError):
        inactivity_check_record(
            program=saitama, seeker=stranger, actor=st_consultant, method="phone", result="working"
        )


def test_each_check_writes_one_audit_entry(saitama, st_consultant, out_of_contact):
    check = log(out_of_contact, st_consultant, "phone", "searching")
    entries = AuditEntry.objects.filter(object_type="consultations.inactivitycheck")
    assert [(e.action, e.object_id, e.actor_id) for e in entries] == [
        ("create", str(check.pk), st_consultant.pk)
    ]


def test_the_reports_get_counts_per_status_and_the_latest_status_found(
    saitama, st_consultant, out_of_contact
):
    other = another_seeker(saitama, 2)
    record(other, st_consultant, LAST)
    log(out_of_contact, st_consultant, "phone", "unreachable", done_on=dt.date(2027, 4, 10))
    log(out_of_contact, st_consultant, "postcard", "searching", done_on=dt.date(2027, 4, 20))
    log(other, st_consultant, "phone", "working", done_on=dt.date(2027, 4, 11))
    log(other, st_consultant, "phone", "unreachable", done_on=dt.date(2027, 5, 1))
    april = count_check_results([saitama], dt.date(2027, 4, 1), dt.date(2027, 4, 30))
    assert april == {saitama.pk: {"working": 1, "searching": 1, "stopped": 0, "unreachable": 1}}
    found = latest_found_status(saitama)
    assert {k: v.result for k, v in found.items()} == {
        out_of_contact.pk: "searching",
        other.pk: "working",  # the later unreachable call found nothing new
    }
    assert latest_found_status(saitama, on=dt.date(2027, 4, 15)).keys() == {other.pk}


def test_checks_due_take_two_queries_whatever_the_number_of_seekers(
    saitama, st_consultant, django_assert_num_queries
):
    def due() -> int:
        with django_assert_num_queries(2):
            rows, counts = employment_checks_due([(saitama, None)], ON, limit=5)
        assert len(rows) == min(5, counts.get(saitama.pk, 0))
        return counts.get(saitama.pk, 0)

    record(another_seeker(saitama, 1), st_consultant, LAST)
    assert due() == 1
    for n in range(2, 12):
        seeker = another_seeker(saitama, n)
        record(seeker, st_consultant, LAST)
        if n % 3 == 0:
            log(seeker, st_consultant, "postcard", "unreachable")
    assert due() == 11 - 3
