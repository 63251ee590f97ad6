"""インターンシップ参加者数: confirmed and done internships with a day in the range,
people counted once (人) and internships every time (件), with the records behind the
figure, in one query whatever the data."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secondcareer.core.jpcalendar import TOKYO
from secondcareer.placements.internship_counting import (
    counted_internships,
    internship_participants,
)
from secondcareer.placements.internship_models import InternshipKind
from secondcareer.placements.internships.services import internship_confirm, internship_update
from secondcareer.placements.tests.internship_helpers import (
    both_consents,
    employer,
    internship,
    participant,
)

pytestmark = pytest.mark.django_db

DECEMBER = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=TOKYO), tick=False):
        yield


def confirmed(program, host, seeker, start_on, days=1):  # type: ignore[no-untyped-def]
    item = internship(
        program,
        kind=InternshipKind.OBSERVATION,
        host=host,
        seeker=seeker,
        start_on=start_on,
        days=days,
    )
    both_consents(item)
    internship_confirm(internship=item, by=None)
    return item


def test_the_figures_equal_a_hand_count(program, other_program):
    host = employer(program)
    a, b, c = participant(program), participant(program, 1), participant(program, 2)
    a1 = confirmed(program, host, a, dt.date(2026, 12, 8))
    a2 = confirmed(program, host, a, dt.date(2026, 12, 15))  # a again: 1 person, 2 件
    b1 = confirmed(program, host, b, dt.date(2026, 11, 30), days=2)  # its 2nd day is in December
    confirmed(program, host, c, dt.date(2027, 1, 5))  # after the range
    internship(program, seeker=c, host=host, start_on=dt.date(2026, 12, 9))  # planned only
    cancelled = confirmed(program, host, c, dt.date(2026, 12, 10))
    internship_update(internship=cancelled, by=None, status="cancelled")
    other = participant(other_program)
    confirmed(other_program, employer(other_program), other, dt.date(2026, 12, 8))

    figures = internship_participants(program, *DECEMBER)
    assert (figures.people, figures.internships) == (2, 3)
    assert figures.seeker_ids == sorted([a.pk, b.pk])
    assert figures.by_seeker == {a.pk: [a1.pk, a2.pk], b.pk: [b1.pk]}
    assert [i.pk for i in counted_internships(program, *DECEMBER)] == [b1.pk, a1.pk, a2.pk]
    assert internship_participants(program, dt.date(2026, 11, 1), dt.date(2026, 11, 30)).people == 1


def test_one_query_whatever_the_data(program):
    host = employer(program)
    confirmed(program, host, participant(program), dt.date(2026, 12, 8))
    with CaptureQueriesContext(connection) as few:
        internship_participants(program, *DECEMBER)
    for n in range(1, 6):
        confirmed(program, host, participant(program, n), dt.date(2026, 12, 8 + n))
    with CaptureQueriesContext(connection) as many:
        assert internship_participants(program, *DECEMBER).people == 6
    assert len(few.captured_queries) == len(many.captured_queries) == 1
