"""``reservations_import``: many bookings with their history at once (a hand-over from
another system, the demo's year), under the rules of the single booking services."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine

from secondcareer.booking.models import Reservation, ReservationStatus, SlotCounter
from secondcareer.booking.services import (
    ReservationImport,
    reservation_create,
    reservations_import,
)
from secondcareer.conftest import register_seeker
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditEntry
from secondcareer.programs.models import Service, Venue

# The clock stands on Friday 15 January 2027, 12:00 in Japan; no roster is planned, so
# every Saitama slot has the preset's minimum staffing: one seat.
NOW = dt.datetime(2027, 1, 15, 12, 0, tzinfo=TOKYO)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, 1, day, hour, minute, tzinfo=TOKYO)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def consultation(saitama) -> Service:
    return Service.objects.get(program=saitama, code="consultation")


@pytest.fixture
def lark(saitama) -> Venue:
    return Venue.objects.get(program=saitama, name="ラーク所沢")  # Thu, Fri, Sat


@pytest.fixture
def kawagoe(saitama) -> Venue:
    return Venue.objects.get(program=saitama, name="ウェスタ川越")  # also Thursdays


@pytest.fixture
def yamada(saitama):
    return register_seeker(saitama, birth_date=dt.date(1960, 5, 1))


@pytest.fixture
def sato(saitama):
    return register_seeker(
        saitama, birth_date=dt.date(1958, 3, 3), family="佐藤", family_kana="サトウ"
    )


def row(seeker, service, venue, start, **fields) -> ReservationImport:
    defaults = {
        "method": "in_person",
        "channel": "phone",
        "booked_at": min(start - dt.timedelta(days=3), NOW - dt.timedelta(hours=1)),
    }
    return ReservationImport(
        seeker_id=seeker.pk,
        service_id=service.pk,
        venue_id=venue.pk if venue else None,
        start=start,
        **{**defaults, **fields},
    )


def test_an_import_keeps_each_booking_s_history_and_counts_the_seats_it_holds(
    saitama, consultation, lark, yamada, sato, receptionist
):
    result = reservations_import(
        program=saitama,
        rows=[
            row(
                yamada,
                consultation,
                lark,
                at(7, 10),
                booked_at=at(4, 11),
                booked_by=receptionist,
                status=ReservationStatus.ATTENDED,
                closed_at=at(7, 11, 10),
            ),
            row(
                sato,
                consultation,
                lark,
                at(7, 11),
                channel="web",
                method="in_person",
                booked_at=at(2, 21),
                status=ReservationStatus.CANCELLED,
                closed_at=at(5, 9),
                closed_by=receptionist,
            ),
            row(sato, consultation, lark, at(21, 13), booked_at=at(14, 15)),
        ],
    )

    assert result.refused == []
    attended, cancelled, coming = (Reservation.objects.get(pk=r.pk) for r in result.created)
    assert (attended.status, attended.created_at, attended.updated_at) == (
        ReservationStatus.ATTENDED,
        at(4, 11),
        at(7, 11, 10),
    )
    assert attended.created_by == receptionist
    assert (cancelled.status, cancelled.cancelled_at, cancelled.created_by) == (
        ReservationStatus.CANCELLED,
        at(5, 9),
        None,  # booked on the web by the seeker
    )
    assert (coming.status, coming.ends_at) == (ReservationStatus.CONFIRMED, at(21, 14))
    held = {(c.starts_at, c.held, c.capacity) for c in SlotCounter.objects.all()}
    assert held == {(at(7, 10), 1, 1), (at(21, 13), 1, 1)}  # a cancelled booking holds none
    entries = Counter(
        (e.action, e.note) for e in AuditEntry.objects.filter(object_type="booking.reservation")
    )
    assert entries == {("create", ""): 3, ("update", "attended"): 1, ("update", "cancel"): 1}


def test_an_import_leaves_out_and_reports_what_the_booking_services_would_refuse(
    saitama, consultation, lark, kawagoe, yamada, sato
):
    live = reservation_create(
        program=saitama,
        seeker=sato,
        service=consultation,
        start=at(21, 10),
        venue=lark,
        method="in_person",
        channel="phone",
    )

    result = reservations_import(
        program=saitama,
        rows=[
            row(yamada, consultation, lark, at(21, 10)),  # 0: the seat is taken already
            row(yamada, consultation, lark, at(22, 10)),  # 1: fine
            row(yamada, consultation, lark, at(17, 10)),  # 2: a Sunday: no ラーク then
            row(yamada, consultation, lark, at(21, 12)),  # 3: the lunch break
            row(sato, consultation, lark, at(22, 11)),  # 4: fine
            row(sato, consultation, kawagoe, at(21, 10)),  # 5: sato is at ラーク then
            row(yamada, consultation, lark, at(28, 10), booked_at=at(15, 12, 30)),  # 6: future
            row(  # 7: attended before it began
                yamada,
                consultation,
                lark,
                at(14, 10),
                status=ReservationStatus.ATTENDED,
                closed_at=at(14, 9),
            ),
            row(yamada, consultation, lark, at(23, 10), method="video"),  # 8: no video here
        ],
    )

    refused = {index: error.code for index, error in result.refused}
    assert refused == {
        0: "full",
        2: "no_slot",
        3: "no_slot",
        5: "overlap",
        6: "invalid",
        7: "invalid",
        8: "invalid",
    }
    assert all(error.message for _, error in result.refused)  # for whoever reads the report
    assert "booked_at" in dict(result.refused)[6].field_errors
    assert "method" in dict(result.refused)[8].field_errors
    assert sorted((r.seeker_id, r.starts_at) for r in result.created) == [
        (yamada.pk, at(22, 10)),
        (sato.pk, at(22, 11)),
    ]
    assert Reservation.objects.count() == 3
    counters = {c.starts_at: c.held for c in SlotCounter.objects.filter(held__gt=0)}
    assert counters == {at(21, 10): 1, at(22, 10): 1, at(22, 11): 1}
    assert live.pk in set(Reservation.objects.values_list("pk", flat=True))


def test_the_open_bookings_limit_applies_to_self_service_rows_as_at_their_booking_time(
    saitama, consultation, lark, yamada
):
    limit = 3  # the default policy
    rows = [
        row(yamada, consultation, lark, at(day, 10), channel="line", booked_at=at(14, 20))
        for day in (21, 22, 23, 28)
    ]

    result = reservations_import(program=saitama, rows=rows)

    assert len(result.created) == limit
    assert [(index, error.code) for index, error in result.refused] == [(3, "too_many")]
