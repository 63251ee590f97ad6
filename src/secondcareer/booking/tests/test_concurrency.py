"""Races: many bookings for the same seat at the same instant, from every channel.

The PostgreSQL tests use real threads, each with its own database connection, released
together by a barrier, against the real presets. They prove invariant 1 of DESIGN.md:
a slot never holds more reservations than its capacity, a seeker is never in two
overlapping reservations, a consultant is never in two places — and every loser gets
a polite :class:`DomainError`, never an IntegrityError or a deadlock (a 500).

SQLite serialises writers (every transaction is ``BEGIN IMMEDIATE``), so a race there
is a queue; one smaller threaded test shows it ends the same way.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from secondcareer.booking import services as booking_services
from secondcareer.booking.models import Reservation, ReservationStatus, SlotCounter
from secondcareer.booking.selectors import availability
from secondcareer.booking.services import (
    reservation_cancel,
    reservation_create,
    reservation_reschedule,
)
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO, is_business_day
from secondcareer.people.models import Role, Seeker, User
from secondcareer.people.services import ConsentInput, seeker_register, staff_create
from secondcareer.programs.models import Program, Service, Venue
from secondcareer.programs.services import program_load_preset
from secondcareer.scheduling.services import extra_shift_record

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 32
CHANNELS = ("line", "phone", "web")

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "SQLite serialises writers (BEGIN IMMEDIATE), so these races cannot interleave "
        "there; test_sqlite_immediate_transactions_queue_the_same_race covers SQLite"
    ),
)


# --- Helpers ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def race(jobs: list[tuple[Callable[[], Any], Callable[[Any], Any]]]) -> list[Outcome]:
    """Run every job in its own thread and connection. Each job is ``(prepare, act)``:
    ``prepare()`` runs first (loads rows, opens the connection), then all threads wait
    at one barrier and call ``act(prepared)`` at the same moment."""
    barrier = threading.Barrier(len(jobs), timeout=60)
    outcomes = [Outcome() for _ in jobs]

    def work(index: int, prepare: Callable[[], Any], act: Callable[[Any], Any]) -> None:
        try:
            prepared = prepare()
            barrier.wait()
            outcomes[index].value = act(prepared)
        except BaseException as exc:  # collected and asserted on by the test
            outcomes[index].error = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(i, prepare, act), name=f"race-{i}")
        for i, (prepare, act) in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(t.is_alive() for t in threads), "a booking thread hung (deadlock?)"
    close_old_connections()
    return outcomes


def split(outcomes: list[Outcome]) -> tuple[list[Any], list[BaseException]]:
    wins = [o.value for o in outcomes if o.error is None]
    errors = [o.error for o in outcomes if o.error is not None]
    return wins, errors


def domain_codes(errors: list[BaseException]) -> Counter[str]:
    """The codes of the losers' DomainErrors; anything else fails the test with its
    traceback (that would be a 500 in a view)."""
    unexpected = [e for e in errors if not isinstance(e, DomainError)]
    if unexpected:
        raise AssertionError(
            f"{len(unexpected)} non-domain errors, first: {unexpected[0]!r}"
        ) from (unexpected[0])
    return Counter(e.code for e in errors if isinstance(e, DomainError))


_names = itertools.count(1)


def make_seekers(program: Program, count: int) -> list[int]:
    ids = []
    for _ in range(count):
        n = next(_names)
        seeker = seeker_register(
            program=program,
            actor=None,
            channel="phone",
            family_name="試験",
            given_name=f"利用者{n}",
            family_name_kana="シケン",
            given_name_kana="リヨウシャ",
            birth_date=dt.date(1958, 4, 1) + dt.timedelta(days=n),
            phone=f"090-{1000 + n % 9000:04d}-{n % 10000:04d}",
            consents=[ConsentInput(kind="privacy", version="1", method="verbal_phone")],
        )
        ids.append(seeker.pk)
    return ids


def make_consultants(program: Program, count: int) -> list[User]:
    return [
        staff_create(
            username=f"{program.slug}-race-cc-{next(_names)}",
            password=None,
            program=program,
            role=Role.CONSULTANT,
        )
        for _ in range(count)
    ]


def online_all_day(kobe: Program, day: dt.date, consultants: list[User]) -> None:
    """Put ``consultants`` on Kobe's online rota on ``day``, 09:00–21:00."""
    online = Service.objects.get(program=kobe, code="online")
    for consultant in consultants:
        extra_shift_record(
            program=kobe,
            consultant=consultant,
            day=day,
            start=dt.time(9),
            end=dt.time(21),
            service=online,
        )


def future_days(weekdays: set[int]) -> Iterator[dt.date]:
    """Business days 3–30 days ahead on the given weekdays (inside the booking window)."""
    today = timezone.localdate()
    for offset in range(3, 31):
        day = today + dt.timedelta(days=offset)
        if day.weekday() in weekdays and is_business_day(day):
            yield day


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def method_for(service: Service) -> str:
    return "in_person" if service.delivery == "venue" else "chat"


def active_in(service: Service, venue: Venue | None, start: dt.datetime) -> int:
    return (
        Reservation.objects.filter(service=service, venue=venue, starts_at=start)
        .exclude(status=ReservationStatus.CANCELLED)
        .count()
    )


def held_in(service: Service, venue: Venue | None, start: dt.datetime) -> int:
    counter = SlotCounter.objects.filter(
        service=service, place=f"v{venue.pk}" if venue else "remote", starts_at=start
    ).first()
    return counter.held if counter else 0


def capacity_of(program: Program, service: Service, venue: Venue | None, start: dt.datetime) -> int:
    day = start.astimezone(TOKYO).date()
    rows = availability(program=program, service_code=service.code, start=day, end=day, venue=venue)
    return next(a.slot.capacity for a in rows if a.slot.start == start)


def book_job(
    *,
    program_id: int,
    seeker_id: int,
    service_id: int,
    venue_id: int | None,
    start: dt.datetime,
    channel: str,
    consultant_id: int | None = None,
) -> tuple[Callable[[], Any], Callable[[Any], Any]]:
    def prepare() -> dict[str, Any]:
        service = Service.objects.get(pk=service_id)
        return {
            "program": Program.objects.get(pk=program_id),
            "seeker": Seeker.objects.get(pk=seeker_id),
            "service": service,
            "venue": Venue.objects.get(pk=venue_id) if venue_id else None,
            "method": method_for(service),
        }

    def act(p: dict[str, Any]) -> Reservation:
        return reservation_create(
            **p, start=start, channel=channel, consultant_id=consultant_id, actor=None
        )

    return prepare, act


# --- Fixtures -----------------------------------------------------------------------------


@dataclass
class Seat:
    program: Program
    service: Service
    venue: Venue | None
    start: dt.datetime
    capacity: int


def saitama_venue_with_two_consultants(saitama: Program) -> Seat:
    """所沢地方庁舎 (Mon/Tue) with two consultants rostered: one booth, so capacity 1."""
    venue = Venue.objects.get(program=saitama, code="tokorozawa_chiho_chosha")
    service = Service.objects.get(program=saitama, code="consultation")
    day = next(future_days({0, 1}))
    for consultant in make_consultants(saitama, 2):
        extra_shift_record(
            program=saitama,
            consultant=consultant,
            day=day,
            start=dt.time(9, 45),
            end=dt.time(16, 15),
            venue=venue,
        )
    return Seat(saitama, service, venue, at(day, 10), 1)


def kobe_online_with_two_consultants(kobe: Program) -> Seat:
    """Kobe online (remote, no booth limit) with two consultants on shift: capacity 2."""
    service = Service.objects.get(program=kobe, code="online")
    day = next(future_days({0, 1, 2, 3, 4}))
    online_all_day(kobe, day, make_consultants(kobe, 2))
    return Seat(kobe, service, None, at(day, 14), 2)


def kobe_desk_unrostered(kobe: Program) -> Seat:
    """Kobe's in-person desk with no roster at all: the default staffing, capacity 1."""
    service = Service.objects.get(program=kobe, code="in_person")
    venue = Venue.objects.get(program=kobe, code="sannomiya_east")
    day = next(future_days({0, 1, 2, 3, 4}))
    return Seat(kobe, service, venue, at(day, 11), 1)


def on_both_rotas(
    kobe: Program, *, online_too: int
) -> tuple[Service, Service, Venue, dt.datetime, list[User]]:
    """Kobe on a weekday at 15:00: the first of ``1 + online_too`` new consultants is on
    the online rota and, by an extra shift (covering a colleague), at the 三宮 desk as
    well; the others are on the online rota only. Returns the online service, the desk
    service, the desk's venue, the start and the consultants."""
    online = Service.objects.get(program=kobe, code="online")
    desk = Service.objects.get(program=kobe, code="in_person")
    sannomiya = Venue.objects.get(program=kobe, code="sannomiya_east")
    day = next(future_days({0, 1, 2, 3, 4}))
    consultants = make_consultants(kobe, 1 + online_too)
    online_all_day(kobe, day, consultants)
    extra_shift_record(
        program=kobe,
        consultant=consultants[0],
        day=day,
        start=dt.time(10),
        end=dt.time(17),
        venue=sannomiya,
    )
    return online, desk, sannomiya, at(day, 15), consultants


SEATS = {
    "saitama-venue-rostered-1-booth": ("saitama", saitama_venue_with_two_consultants),
    "kobe-online-rostered-2": ("kobe", kobe_online_with_two_consultants),
    "kobe-desk-default-capacity": ("kobe", kobe_desk_unrostered),
}


# --- PostgreSQL races ----------------------------------------------------------------------


@postgres_only
@pytest.mark.parametrize("case", list(SEATS))
def test_thirty_two_channels_racing_for_one_slot_fill_exactly_its_capacity(
    case: str, request: pytest.FixtureRequest
) -> None:
    slug, make = SEATS[case]
    seat = make(request.getfixturevalue(slug))
    assert capacity_of(seat.program, seat.service, seat.venue, seat.start) == seat.capacity
    seekers = make_seekers(seat.program, THREADS)

    outcomes = race(
        [
            book_job(
                program_id=seat.program.pk,
                seeker_id=seeker_id,
                service_id=seat.service.pk,
                venue_id=seat.venue.pk if seat.venue else None,
                start=seat.start,
                channel=CHANNELS[i % len(CHANNELS)],
            )
            for i, seeker_id in enumerate(seekers)
        ]
    )

    wins, errors = split(outcomes)
    assert domain_codes(errors) == Counter({"full": THREADS - seat.capacity})
    assert all("満席" in str(e) for e in errors)
    assert len(wins) == seat.capacity
    assert active_in(seat.service, seat.venue, seat.start) == seat.capacity
    assert held_in(seat.service, seat.venue, seat.start) == seat.capacity
    consultants = [r.consultant_id for r in wins if r.consultant_id]
    assert len(consultants) == len(set(consultants))  # two winners, two consultants


def _two_places_at_once(program: Program) -> tuple[list[tuple[Service, Venue | None]], dt.datetime]:
    """Two slots with the same start: Kobe online and the in-person desk; in Saitama two
    venues held on the same Monday."""
    if program.slug == "kobe":
        day = next(future_days({0, 1, 2, 3, 4}))
        return [
            (Service.objects.get(program=program, code="online"), None),
            (
                Service.objects.get(program=program, code="in_person"),
                Venue.objects.get(program=program, code="sannomiya_east"),
            ),
        ], at(day, 14)
    service = Service.objects.get(program=program, code="consultation")
    day = next(future_days({0}))
    return [
        (service, Venue.objects.get(program=program, code="tokorozawa_chiho_chosha")),
        (service, Venue.objects.get(program=program, code="soka_kinro_fukushi_kaikan")),
    ], at(day, 13)


@postgres_only
@pytest.mark.parametrize("slug", ["kobe", "saitama"])
def test_one_seeker_booking_two_places_at_once_from_thirty_two_threads_gets_one(
    slug: str, request: pytest.FixtureRequest
) -> None:
    program = request.getfixturevalue(slug)
    places, start = _two_places_at_once(program)
    (seeker_id,) = make_seekers(program, 1)

    outcomes = race(
        [
            book_job(
                program_id=program.pk,
                seeker_id=seeker_id,
                service_id=places[i % 2][0].pk,
                venue_id=places[i % 2][1].pk if places[i % 2][1] else None,
                start=start,
                channel=CHANNELS[i % len(CHANNELS)],
            )
            for i in range(THREADS)
        ]
    )

    wins, errors = split(outcomes)
    codes = domain_codes(errors)
    assert len(wins) == 1
    assert set(codes) <= {"overlap", "full"} and codes.total() == THREADS - 1
    mine = Reservation.objects.filter(seeker_id=seeker_id).exclude(
        status=ReservationStatus.CANCELLED
    )
    assert mine.count() == 1
    # No seat leaked by a thread that took one and then lost on the overlap.
    assert sum(held_in(service, venue, start) for service, venue in places) == 1


@postgres_only
def test_a_consultant_asked_for_in_two_places_at_once_gets_at_most_one_booking(
    kobe: Program,
) -> None:
    """The roster itself refuses overlapping patterns, but an extra shift (covering a
    colleague) can put a consultant on the online rota and at the desk on the same day;
    bookings that name that consultant must still land in one place only."""
    # Online capacity 4: seats are not the bottleneck.
    online, desk, sannomiya, start, (wanted, *_) = on_both_rotas(kobe, online_too=3)
    seekers = make_seekers(kobe, THREADS)

    outcomes = race(
        [
            book_job(
                program_id=kobe.pk,
                seeker_id=seeker_id,
                service_id=(online if i % 2 else desk).pk,
                venue_id=None if i % 2 else sannomiya.pk,
                start=start,
                channel=CHANNELS[i % len(CHANNELS)],
                consultant_id=wanted.pk,
            )
            for i, seeker_id in enumerate(seekers)
        ]
    )

    wins, errors = split(outcomes)
    codes = domain_codes(errors)
    assert len(wins) == 1
    # A loser finds the consultant taken, or (while other threads briefly hold seats
    # they will give back) the slot full; never a server error.
    assert set(codes) <= {"full", "consultant_unavailable"}
    booked = Reservation.objects.filter(
        consultant=wanted, starts_at__lt=start + dt.timedelta(hours=1), ends_at__gt=start
    ).exclude(status=ReservationStatus.CANCELLED)
    assert booked.count() == 1
    assert held_in(online, None, start) + held_in(desk, sannomiya, start) == 1


@postgres_only
def test_a_consultant_picked_in_two_places_at_once_is_picked_again_not_refused(
    kobe: Program, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two bookings that name nobody, one at the desk and one online, both pick the one
    consultant who is on both rotas at that hour, at the same moment (forced here: both
    look before either writes, and the desk writes first). The constraint lets the desk
    booking through; the online one must pick again and get the colleague, not a 満席
    with a seat and a consultant free."""
    # ``both`` is first on the online rota.
    online, desk, sannomiya, start, (both, colleague) = on_both_rotas(kobe, online_too=1)
    seekers = make_seekers(kobe, 2)

    looked = threading.Barrier(2, timeout=30)
    desk_written = threading.Event()
    seen = threading.local()
    pick, insert = booking_services._pick_consultant, booking_services.insert_returning_pk

    def pick_after_both_looked(slot: Any, **kwargs: Any) -> int | None:
        if not getattr(seen, "once", False):  # only the first attempt of each booking
            seen.once = True
            looked.wait()
            if slot.venue_id is None:
                assert desk_written.wait(timeout=30)
        return pick(slot, **kwargs)

    def insert_and_tell(reservation: Reservation) -> Reservation:
        written = insert(reservation)
        if reservation.venue_id is not None:
            desk_written.set()  # written, not yet committed: the online insert waits on it
        return written

    monkeypatch.setattr(booking_services, "_pick_consultant", pick_after_both_looked)
    monkeypatch.setattr(booking_services, "insert_returning_pk", insert_and_tell)
    outcomes = race(
        [
            book_job(
                program_id=kobe.pk,
                seeker_id=seekers[0],
                service_id=desk.pk,
                venue_id=sannomiya.pk,
                start=start,
                channel="phone",
            ),
            book_job(
                program_id=kobe.pk,
                seeker_id=seekers[1],
                service_id=online.pk,
                venue_id=None,
                start=start,
                channel="line",
            ),
        ]
    )

    wins, errors = split(outcomes)
    assert not errors, domain_codes(errors)
    assert sorted(r.consultant_id for r in wins) == sorted([both.pk, colleague.pk])
    assert held_in(online, None, start) == 1 and held_in(desk, sannomiya, start) == 1


@postgres_only
@pytest.mark.parametrize("movers", [2, THREADS])
def test_reschedules_racing_for_the_last_seat_move_one_and_leave_the_others_untouched(
    kobe: Program, movers: int
) -> None:
    online = Service.objects.get(program=kobe, code="online")
    target_day, origin_day = itertools.islice(future_days({0, 1, 2, 3, 4}), 2)
    consultants = make_consultants(kobe, 3)
    for day in (target_day, origin_day):
        online_all_day(kobe, day, consultants)
    target = at(target_day, 10)
    seekers = make_seekers(kobe, movers + 2)
    for seeker_id in seekers[:2]:  # two of the three seats are taken
        reservation_create(
            program=kobe,
            seeker=Seeker.objects.get(pk=seeker_id),
            service=online,
            start=target,
            method="video",
            channel="phone",
        )
    originals = [
        reservation_create(
            program=kobe,
            seeker=Seeker.objects.get(pk=seeker_id),
            service=online,
            start=at(origin_day, 9 + i // 3),  # 3 per hour: every origin slot is full
            method="chat",
            channel="line",
        ).pk
        for i, seeker_id in enumerate(seekers[2:])
    ]
    held_before = {
        s: held_in(online, None, at(origin_day, 9 + s)) for s in range((movers + 2) // 3)
    }

    def move(reservation_id: int, channel: str) -> tuple[Callable[[], Any], Callable[[Any], Any]]:
        def prepare() -> Reservation:
            return Reservation.objects.select_related("program", "seeker", "service").get(
                pk=reservation_id
            )

        def act(reservation: Reservation) -> Reservation:
            return reservation_reschedule(reservation=reservation, start=target, channel=channel)

        return prepare, act

    outcomes = race([move(pk, CHANNELS[i % 3]) for i, pk in enumerate(originals)])

    wins, errors = split(outcomes)
    assert domain_codes(errors) == Counter({"full": movers - 1})
    assert len(wins) == 1
    assert active_in(online, None, target) == 3 and held_in(online, None, target) == 3
    moved = Reservation.objects.get(rescheduled_to=wins[0])
    assert moved.status == ReservationStatus.CANCELLED
    untouched = Reservation.objects.filter(pk__in=originals).exclude(pk=moved.pk)
    assert untouched.count() == movers - 1
    assert all(
        r.status == ReservationStatus.CONFIRMED
        and r.rescheduled_to_id is None
        and r.cancelled_at is None
        for r in untouched
    )
    # Every loser's seat is still held; only the mover's seat was released.
    moved_hour = moved.starts_at.astimezone(TOKYO).hour - 9
    for hour, before in held_before.items():
        expected = before - (1 if hour == moved_hour else 0)
        assert held_in(online, None, at(origin_day, 9 + hour)) == expected


@postgres_only
def test_seekers_swapping_slots_at_the_same_moment_never_deadlock(kobe: Program) -> None:
    """Half the seekers move from 10:00 to 11:00 while the other half move from 11:00 to
    10:00: each transaction releases one counter row and takes another, in opposite
    orders. Every one must end as a move or a DomainError — never a deadlock error."""
    online = Service.objects.get(program=kobe, code="online")
    day = next(future_days({0, 1, 2, 3, 4}))
    consultants = make_consultants(kobe, THREADS // 2 + 2)
    online_all_day(kobe, day, consultants)
    ten, eleven = at(day, 10), at(day, 11)
    seekers = make_seekers(kobe, THREADS)
    booked = [
        (
            reservation_create(
                program=kobe,
                seeker=Seeker.objects.get(pk=seeker_id),
                service=online,
                start=ten if i % 2 else eleven,
                method="phone",
                channel="phone",
            ).pk,
            eleven if i % 2 else ten,
        )
        for i, seeker_id in enumerate(seekers)
    ]

    def move(
        reservation_id: int, to: dt.datetime
    ) -> tuple[Callable[[], Any], Callable[[Any], Any]]:
        def prepare() -> Reservation:
            return Reservation.objects.select_related("program", "seeker", "service").get(
                pk=reservation_id
            )

        def act(reservation: Reservation) -> Reservation:
            return reservation_reschedule(reservation=reservation, start=to, channel="phone")

        return prepare, act

    outcomes = race([move(pk, to) for pk, to in booked])

    wins, errors = split(outcomes)
    codes = domain_codes(errors)  # no deadlock or integrity error leaks out
    assert len(wins) + codes.total() == THREADS
    for start in (ten, eleven):
        assert held_in(online, None, start) == active_in(online, None, start)
        assert active_in(online, None, start) <= capacity_of(kobe, online, None, start)
    assert Reservation.objects.exclude(status=ReservationStatus.CANCELLED).count() == THREADS


@postgres_only
def test_a_cancel_and_a_reschedule_of_the_same_booking_at_once_never_deadlock(
    kobe: Program,
) -> None:
    """Staff cancel a booking on the phone while the seeker moves it on LINE, sixteen
    bookings at once: for each, one of the two wins and the other is told the booking has
    changed (``conflict``) — never a deadlock (the cancel locks the booking, then its
    counter; the move must take its locks in the same order)."""
    online = Service.objects.get(program=kobe, code="online")
    day = next(future_days({0, 1, 2, 3, 4}))
    online_all_day(kobe, day, make_consultants(kobe, THREADS // 2))
    ten, eleven = at(day, 10), at(day, 11)
    booked = [
        reservation_create(
            program=kobe,
            seeker=Seeker.objects.get(pk=seeker_id),
            service=online,
            start=ten,
            method="video",
            channel="phone",
        ).pk
        for seeker_id in make_seekers(kobe, THREADS // 2)
    ]

    def load(reservation_id: int) -> Callable[[], Reservation]:
        return lambda: Reservation.objects.select_related("program", "seeker", "service").get(
            pk=reservation_id
        )

    jobs: list[tuple[Callable[[], Any], Callable[[Any], Any]]] = []
    for pk in booked:
        jobs.append(
            (load(pk), lambda r: reservation_cancel(reservation=r, channel="phone", now=None))
        )
        jobs.append(
            (
                load(pk),
                lambda r: reservation_reschedule(reservation=r, start=eleven, channel="line"),
            )
        )

    outcomes = race(jobs)

    wins, errors = split(outcomes)
    assert domain_codes(errors) == Counter({"conflict": THREADS // 2})
    assert len(wins) == THREADS // 2
    moved = Reservation.objects.filter(starts_at=eleven).exclude(status=ReservationStatus.CANCELLED)
    assert active_in(online, None, ten) == 0 and held_in(online, None, ten) == 0
    assert held_in(online, None, eleven) == moved.count()
    assert (
        Reservation.objects.filter(pk__in=booked, status=ReservationStatus.CONFIRMED).count() == 0
    )


# --- SQLite ---------------------------------------------------------------------------------
#
# The SQLite test database is in memory with a shared cache, where concurrent writers get
# SQLITE_LOCKED ("database table is locked") at once instead of queueing: that is not how
# the product runs. So the race runs in a child process on a scratch file database with
# the production SQLite settings (WAL, BEGIN IMMEDIATE, busy timeout).

SQLITE_THREADS = 8


def sqlite_race_main() -> None:
    """Entry point of the child process (Django is set up by the caller)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    program_load_preset(path_or_name="kobe")
    kobe = Program.objects.get(slug="kobe")
    seat = kobe_online_with_two_consultants(kobe)
    seekers = make_seekers(kobe, SQLITE_THREADS)
    outcomes = race(
        [
            book_job(
                program_id=kobe.pk,
                seeker_id=seeker_id,
                service_id=seat.service.pk,
                venue_id=None,
                start=seat.start,
                channel=CHANNELS[i % len(CHANNELS)],
            )
            for i, seeker_id in enumerate(seekers)
        ]
    )
    wins, errors = split(outcomes)
    report = {
        "vendor": connection.vendor,
        "transaction_mode": connection.settings_dict["OPTIONS"].get("transaction_mode"),
        "wins": len(wins),
        "codes": dict(domain_codes(errors)),
        "full_messages_say_full": all("満席" in str(e) for e in errors),
        "active": active_in(seat.service, None, seat.start),
        "held": held_in(seat.service, None, seat.start),
        "capacity": capacity_of(kobe, seat.service, None, seat.start),
    }
    print(json.dumps(report))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant of the races above")
@pytest.mark.django_db(transaction=False)
def test_sqlite_immediate_transactions_queue_the_same_race(tmp_path: Any) -> None:
    """Eight threads, mixed channels, one capacity-2 slot, on a file database in WAL mode:
    BEGIN IMMEDIATE takes the write lock first, so writers queue, and the outcome is the
    one PostgreSQL gives — two bookings, six polite 満席 answers, the counter at 2."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        SECONDCAREER_VAR_DIR=str(tmp_path),
        SECONDCAREER_ENV="test",
        DJANGO_SETTINGS_MODULE="secondcareer.config.settings",
    )
    code = (
        "import django; django.setup(); "
        "from secondcareer.booking.tests.test_concurrency import sqlite_race_main; "
        "sqlite_race_main()"
    )
    child = subprocess.run(  # noqa: S603 - this interpreter, a fixed snippet
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    report = json.loads(child.stdout.strip().splitlines()[-1])
    assert report == {
        "vendor": "sqlite",
        "transaction_mode": "IMMEDIATE",
        "wins": 2,
        "codes": {"full": SQLITE_THREADS - 2},
        "full_messages_say_full": True,
        "active": 2,
        "held": 2,
        "capacity": 2,
    }
