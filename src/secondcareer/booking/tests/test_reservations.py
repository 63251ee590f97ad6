"""The booking services, one request at a time (races are in test_concurrency.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secondcareer.booking.models import Reservation, ReservationStatus, SlotCounter
from secondcareer.booking.selectors import availability
from secondcareer.booking.services import (
    consultant_absence_mark,
    reservation_cancel,
    reservation_create,
    reservation_mark_attended,
    reservation_reassign,
    reservation_reschedule,
)
from secondcareer.conftest import register_seeker
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditEntry
from secondcareer.people.services import staff_create
from secondcareer.programs.models import Service, Venue
from secondcareer.scheduling.services import shift_pattern_create

NOW = dt.datetime(2027, 1, 1, 10, 0, tzinfo=TOKYO)


def at(day: int, hour: int, month: int = 1) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, 0, tzinfo=TOKYO)


@pytest.fixture
def lark(saitama):
    return Venue.objects.get(program=saitama, name="ラーク所沢")


@pytest.fixture
def consultation(saitama):
    return Service.objects.get(program=saitama, code="consultation")


@pytest.fixture
def yamada(saitama):
    return register_seeker(saitama, birth_date=dt.date(1960, 5, 1))


@pytest.fixture
def sato(saitama):
    return register_seeker(
        saitama,
        birth_date=dt.date(1958, 3, 3),
        family="佐藤",
        given="次郎",
        family_kana="サトウ",
        given_kana="ジロウ",
        phone="080-3333-4444",
    )


def book(seeker, service, start, venue=None, channel="phone", **kw):
    return reservation_create(
        program=seeker.program,
        seeker=seeker,
        service=service,
        start=start,
        venue=venue,
        method=kw.pop("method", "in_person"),
        channel=channel,
        now=kw.pop("now", NOW),
        **kw,
    )


def free_at(program, service, start, venue=None):
    rows = availability(
        program=program,
        service_code=service.code,
        start=start.date(),
        end=start.date(),
        venue=venue,
    )
    return next(r.free for r in rows if r.slot.start == start)


def test_a_booking_takes_the_seat_everywhere_at_once(
    saitama, consultation, lark, yamada, receptionist
):
    assert free_at(saitama, consultation, at(7, 10), lark) == 1
    reservation = book(yamada, consultation, at(7, 10), lark, actor=None)
    assert reservation.status == ReservationStatus.CONFIRMED
    assert reservation.ends_at - reservation.starts_at == dt.timedelta(hours=1)
    assert free_at(saitama, consultation, at(7, 10), lark) == 0
    assert SlotCounter.objects.get().held == 1
    assert AuditEntry.objects.filter(object_type="booking.reservation", action="create").exists()


def test_the_last_seat_goes_to_one_caller_and_the_next_gets_full_with_alternatives(
    saitama, consultation, lark, yamada, sato
):
    book(yamada, consultation, at(7, 10), lark)
    with pytest.raises(DomainError) as caught:
        book(sato, consultation, at(7, 10), lark, channel="line")
    error = caught.value
    assert (error.code, error.status) == ("full", 409)
    assert "満席" in error.message
    alternatives = error.details["alternatives"]
    assert alternatives and all(a["free"] > 0 for a in alternatives)
    assert "2027年1月7日(木) 11:00" in error.message  # the next hour is the nearest free slot
    assert Reservation.objects.filter(seeker=sato).count() == 0


def test_a_full_slot_is_refused_without_a_rollback_and_writes_nothing(
    saitama, consultation, lark, yamada, sato
):
    # Nothing was written, so the transaction ends with a commit: psycopg forgets
    # every prepared statement of the connection on a rollback, so a rush of 満席
    # answers would make every booking after each one parse and plan again.
    book(yamada, consultation, at(7, 10), lark)
    audit_before = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as queries, pytest.raises(DomainError) as caught:
        book(sato, consultation, at(7, 10), lark, channel="line")
    assert caught.value.code == "full"
    statements = [q["sql"].upper() for q in queries.captured_queries]
    assert not [s for s in statements if s.startswith("ROLLBACK")], statements
    assert SlotCounter.objects.get().held == 1
    assert Reservation.objects.filter(seeker=sato).count() == 0
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_the_connection_keeps_its_prepared_statements_after_a_full_slot(
    saitama, consultation, lark, yamada, sato
):
    def prepared() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return {row[0] for row in cursor.fetchall()}

    # Six bookings: psycopg prepares a statement the sixth time it runs.
    for day, hour in [(7, 10), (7, 11), (7, 13), (7, 14), (7, 15), (14, 10)]:
        book(yamada, consultation, at(day, hour), lark)
    seat_statements = {s for s in prepared() if "booking_slotcounter" in s.lower()}
    assert seat_statements
    with pytest.raises(DomainError) as caught:
        book(sato, consultation, at(7, 10), lark)
    assert caught.value.code == "full"
    assert seat_statements <= prepared()


def test_one_seeker_cannot_hold_two_overlapping_bookings(saitama, consultation, lark, yamada):
    book(yamada, consultation, at(7, 10), lark)
    tokorozawa_lark_friday = at(8, 10)
    book(yamada, consultation, tokorozawa_lark_friday, lark)
    kawagoe = Venue.objects.get(program=saitama, name="ウェスタ川越")  # also Thursdays
    with pytest.raises(DomainError) as caught:
        book(yamada, consultation, at(7, 10), kawagoe)
    assert caught.value.code == "overlap"


def test_a_time_outside_the_timetable_is_not_a_slot(saitama, consultation, lark, yamada):
    with pytest.raises(DomainError) as caught:
        book(yamada, consultation, at(7, 12), lark)  # lunch break 12:00–13:00
    assert caught.value.code == "no_slot"
    with pytest.raises(DomainError):
        book(
            yamada,
            consultation,
            at(11, 10),
            Venue.objects.get(program=saitama, name="所沢地方庁舎"),
        )


def test_wrong_method_venue_or_program_is_refused_with_field_messages(
    saitama, kobe, consultation, lark, yamada
):
    with pytest.raises(DomainError) as caught:
        book(yamada, consultation, at(7, 10), lark, method="video")
    assert "method" in caught.value.field_errors
    with pytest.raises(DomainError) as caught:
        book(yamada, consultation, at(7, 10), None)
    assert "venue" in caught.value.field_errors
    online = Service.objects.get(program=kobe, code="online")
    with pytest.raises(DomainError) as caught:
        reservation_create(
            program=kobe,
            seeker=yamada,
            service=online,
            start=at(7, 10),
            method="chat",
            channel="line",
            now=NOW,
        )
    assert "seeker_id" in caught.value.field_errors


def test_self_service_booking_needs_notice_but_reception_can_book_up_to_the_start(
    saitama, consultation, lark, yamada, sato
):
    just_before = at(7, 10) - dt.timedelta(minutes=30)
    with pytest.raises(DomainError) as caught:
        book(yamada, consultation, at(7, 10), lark, channel="line", now=just_before)
    assert caught.value.code == "too_late"
    assert book(sato, consultation, at(7, 10), lark, channel="phone", now=just_before).pk


def test_self_service_booking_has_a_window_and_a_limit_of_open_bookings(
    saitama, consultation, lark, yamada
):
    with pytest.raises(DomainError) as caught:
        book(yamada, consultation, at(7, 10, month=6), lark, channel="web")
    assert caught.value.code == "too_early"
    for day in (7, 8, 9):
        book(yamada, consultation, at(day, 10), lark, channel="web")
    with pytest.raises(DomainError) as caught:
        book(yamada, consultation, at(14, 10), lark, channel="web")
    assert caught.value.code == "too_many"


def test_cancelling_releases_the_seat_and_cannot_happen_twice(
    saitama, consultation, lark, yamada, sato
):
    reservation = book(yamada, consultation, at(7, 10), lark)
    reservation_cancel(reservation=reservation, channel="phone", now=NOW)
    assert free_at(saitama, consultation, at(7, 10), lark) == 1
    assert book(sato, consultation, at(7, 10), lark).pk
    with pytest.raises(DomainError) as caught:
        reservation_cancel(reservation=reservation, channel="phone", now=NOW)
    assert caught.value.code == "conflict"


def test_a_seeker_cannot_cancel_online_after_the_cutoff_but_staff_can(
    saitama, consultation, lark, yamada
):
    reservation = book(yamada, consultation, at(7, 10), lark)
    late = at(7, 10) - dt.timedelta(minutes=20)
    with pytest.raises(DomainError) as caught:
        reservation_cancel(reservation=reservation, channel="line", now=late)
    assert caught.value.code == "too_late"
    reservation_cancel(reservation=reservation, channel="staff", now=late)
    assert Reservation.objects.get(pk=reservation.pk).status == ReservationStatus.CANCELLED


def test_rescheduling_moves_the_booking_and_frees_the_old_seat(saitama, consultation, lark, yamada):
    old = book(yamada, consultation, at(7, 10), lark)
    new = reservation_reschedule(reservation=old, start=at(8, 14), channel="phone", now=NOW)
    old.refresh_from_db()
    assert old.status == ReservationStatus.CANCELLED and old.rescheduled_to == new
    assert new.starts_at == at(8, 14) and new.status == ReservationStatus.CONFIRMED
    assert free_at(saitama, consultation, at(7, 10), lark) == 1
    assert free_at(saitama, consultation, at(8, 14), lark) == 0


def test_rescheduling_into_a_full_slot_leaves_the_original_untouched(
    saitama, consultation, lark, yamada, sato
):
    old = book(yamada, consultation, at(7, 10), lark)
    book(sato, consultation, at(8, 14), lark)
    with pytest.raises(DomainError) as caught:
        reservation_reschedule(reservation=old, start=at(8, 14), channel="phone", now=NOW)
    assert caught.value.code == "full"
    assert old.status == ReservationStatus.CONFIRMED  # the caller's object, too
    old.refresh_from_db()
    assert old.status == ReservationStatus.CONFIRMED and old.rescheduled_to is None
    assert free_at(saitama, consultation, at(7, 10), lark) == 0


def test_attendance_is_recorded_only_after_the_start(saitama, consultation, lark, yamada, manager):
    reservation = book(yamada, consultation, at(7, 10), lark)
    with pytest.raises(DomainError):
        reservation_mark_attended(reservation=reservation, actor=manager, now=NOW)
    reservation_mark_attended(reservation=reservation, actor=manager, now=at(7, 11))
    assert Reservation.objects.get(pk=reservation.pk).status == ReservationStatus.ATTENDED


@pytest.fixture
def kobe_online_team(kobe):
    online = Service.objects.get(program=kobe, code="online")
    team = [
        staff_create(username=f"kobe-cc-{n}", password=None, program=kobe, role="consultant")
        for n in (1, 2)
    ]
    for person in team:
        shift_pattern_create(
            program=kobe,
            consultant=person,
            service=online,
            weekday=3,
            start=dt.time(9),
            end=dt.time(21),
            valid_from=dt.date(2026, 12, 1),
        )
    return online, team


def test_capacity_follows_the_roster_and_each_booking_gets_its_own_consultant(
    kobe, kobe_online_team
):
    online, team = kobe_online_team
    people = [
        register_seeker(kobe, birth_date=dt.date(1955, 1, n), phone=f"090-1111-000{n}")
        for n in (1, 2, 3)
    ]
    first = reservation_create(
        program=kobe,
        seeker=people[0],
        service=online,
        start=at(7, 14),
        method="phone",
        channel="line",
        now=NOW,
    )
    second = reservation_create(
        program=kobe,
        seeker=people[1],
        service=online,
        start=at(7, 14),
        method="video",
        channel="web",
        now=NOW,
    )
    assert {first.consultant, second.consultant} == set(team)
    with pytest.raises(DomainError) as caught:
        reservation_create(
            program=kobe,
            seeker=people[2],
            service=online,
            start=at(7, 14),
            method="chat",
            channel="line",
            now=NOW,
        )
    assert caught.value.code == "full"


def test_absence_shows_affected_bookings_and_free_colleagues_who_can_take_them(
    kobe, kobe_online_team
):
    online, (absent, colleague) = kobe_online_team
    seeker = register_seeker(kobe, birth_date=dt.date(1955, 1, 1))
    reservation = reservation_create(
        program=kobe,
        seeker=seeker,
        service=online,
        start=at(7, 14),
        method="phone",
        channel="phone",
        now=NOW,
        consultant_id=absent.pk,
    )
    options = consultant_absence_mark(program=kobe, consultant=absent, day=dt.date(2027, 1, 7))
    assert [o.reservation.pk for o in options] == [reservation.pk]
    assert list(options[0].free_colleagues) == [colleague]
    reservation_reassign(reservation=reservation, consultant=colleague)
    assert Reservation.objects.get(pk=reservation.pk).consultant == colleague
    # the absent consultant's seat is gone from availability for new bookings
    rows = availability(
        program=kobe, service_code="online", start=dt.date(2027, 1, 7), end=dt.date(2027, 1, 7)
    )
    assert {r.slot.capacity for r in rows} == {1}


def test_saitama_seekers_keep_the_consultant_they_saw_before(saitama, consultation, lark, yamada):
    Venue.objects.filter(pk=lark.pk).update(booths=2)
    first, second = (
        staff_create(username=f"st-cc-{n}", password=None, program=saitama, role="consultant")
        for n in (1, 2)
    )
    for person in (first, second):
        shift_pattern_create(
            program=saitama,
            consultant=person,
            venue=lark,
            weekday=3,
            start=dt.time(9, 45),
            end=dt.time(16, 15),
            valid_from=dt.date(2026, 12, 1),
        )
    earlier = book(yamada, consultation, at(7, 10), lark, consultant_id=second.pk)
    later = book(yamada, consultation, at(14, 14), lark)
    assert earlier.consultant == second
    assert later.consultant == second  # not the first on the roster


def test_a_seeker_at_the_booking_limit_can_still_move_a_booking(
    saitama, consultation, lark, yamada
):
    bookings = [book(yamada, consultation, at(day, 10), lark, channel="line") for day in (7, 8, 9)]
    moved = reservation_reschedule(
        reservation=bookings[0], start=at(14, 11), channel="line", now=NOW
    )
    assert moved.starts_at == at(14, 11)


def test_a_booking_can_only_be_handed_to_a_consultant_of_the_program(
    kobe, kobe_online_team, receptionist
):
    online, (absent, _colleague) = kobe_online_team
    seeker = register_seeker(kobe, birth_date=dt.date(1955, 1, 1))
    reservation = reservation_create(
        program=kobe,
        seeker=seeker,
        service=online,
        start=at(7, 14),
        method="phone",
        channel="phone",
        now=NOW,
        consultant_id=absent.pk,
    )
    with pytest.raises(DomainError) as caught:
        reservation_reassign(reservation=reservation, consultant=receptionist)
    assert "consultant" in caught.value.field_errors
    assert Reservation.objects.get(pk=reservation.pk).consultant == absent
