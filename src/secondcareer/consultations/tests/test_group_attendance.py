"""A group session (巡回相談, Kobe Ⅲ-2) records attendance for many seekers in one call,
in bulk: a fixed number of statements whatever the size of the group."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secondcareer.consultations.models import Case, ConsultationRecord
from secondcareer.consultations.services import consultation_group_record
from secondcareer.consultations.tests.conftest import another_seeker, at, record, staff
from secondcareer.core.errors import DomainError
from secondcareer.core.models import AuditEntry
from secondcareer.people.models import User

DAY = dt.date(2027, 1, 14)


@pytest.fixture
def kobe_consultant(kobe):
    return staff(kobe, "consultant")


def group(kobe, consultant, attended, no_show=(), **kw):
    return consultation_group_record(
        program=kobe,
        actor=consultant,
        attended=attended,
        no_show=no_show,
        kind="life_career",
        start=at(DAY, 13),
        minutes=90,
        topics=["work_wishes"],
        now=at(DAY, 18),
        **kw,
    )


def test_one_call_records_everyone_and_opens_the_cases_of_first_comers(kobe, kobe_consultant):
    known, new, missing = (another_seeker(kobe, n) for n in (1, 2, 3))
    record(known, kobe_consultant, dt.date(2027, 1, 7), kind="life_career", method="video")
    known_case = Case.objects.get(seeker=known)

    records = group(kobe, kobe_consultant, [known, new], no_show=[missing])

    assert {(r.seeker_id, r.attendance) for r in records} == {
        (known.pk, "attended"),
        (new.pk, "attended"),
        (missing.pk, "no_show"),
    }
    assert len({r.group for r in records}) == 1
    assert all(
        (r.method, r.channel, r.minutes, r.kind.code) == ("in_person", "venue", 90, "life_career")
        for r in records
    )
    assert ConsultationRecord.objects.get(seeker=known, group__isnull=False).case == known_case
    new_case = Case.objects.get(seeker=new)
    assert (new_case.anchor_on, new_case.consultant) == (DAY, kobe_consultant)
    assert new_case.assignments.count() == 1
    assert not Case.objects.filter(seeker=missing).exists()
    topics = ConsultationRecord.objects.filter(group=records[0].group).values_list(
        "topics__code", flat=True
    )
    assert list(topics) == ["work_wishes"] * 3
    assert AuditEntry.objects.filter(object_type="consultations.consultationrecord").count() == 4


def test_the_number_of_statements_does_not_grow_with_the_group(kobe, kobe_consultant):
    def statements(size: int, first: int) -> int:
        seekers = [another_seeker(kobe, n) for n in range(first, first + size)]
        fresh = User.objects.get(pk=kobe_consultant.pk)  # no roles remembered on it
        with CaptureQueriesContext(connection) as queries:
            group(kobe, fresh, seekers[:-1], no_show=seekers[-1:])
        return len(queries)

    assert statements(3, 1) == statements(25, 4)


def test_saitama_group_members_get_their_first_review(saitama, st_consultant):
    seekers = [another_seeker(saitama, n) for n in (1, 2)]
    consultation_group_record(
        program=saitama,
        actor=st_consultant,
        attended=seekers,
        start=at(dt.date(2026, 11, 30), 13),
        minutes=60,
        now=at(dt.date(2026, 11, 30), 18),
    )
    dues = Case.objects.filter(seeker__in=seekers).values_list("reviews__due_on", flat=True)
    assert list(dues) == [dt.date(2027, 2, 28)] * 2


def test_a_group_needs_someone_and_nobody_twice(kobe, kobe_consultant):
    seeker = another_seeker(kobe, 1)
    with pytest.raises(DomainError, match="出席者を1人以上"):
        group(kobe, kobe_consultant, [])
    with pytest.raises(DomainError, match="同じ利用者が2回"):
        group(kobe, kobe_consultant, [seeker], no_show=[seeker])
    assert not ConsultationRecord.objects.exists()
