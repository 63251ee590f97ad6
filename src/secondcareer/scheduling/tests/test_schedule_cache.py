"""The per-process caches of the slot calendar, a day's slots and the booking policy
never serve what changed: every change gives ``Program.schedule_stamp`` a new value.

These tests commit for real (``transaction=True``): nothing is cached while a
transaction is open, which is exactly what the other tests run inside."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import transaction

from secondcareer.booking.models import BookingPolicy
from secondcareer.booking.services import booking_policy, find_slot
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.people.models import Role
from secondcareer.people.services import staff_create
from secondcareer.programs.models import Closure, Program, Service, Venue
from secondcareer.scheduling.selectors import day_slots, program_calendar, schedule_cache_clear
from secondcareer.scheduling.services import absence_record, shift_pattern_create

pytestmark = pytest.mark.django_db(transaction=True)

WEDNESDAY = dt.date(2027, 2, 3)


def fresh(program: Program) -> Program:
    """What a new request sees: the program row read again."""
    return Program.objects.get(pk=program.pk)


def close_wednesday(program: Program, code: str, name: str = "臨時休業") -> Closure:
    """A one-off closure of WEDNESDAY, saved the ordinary way (signals fire)."""
    return Closure.objects.create(
        program=program,
        code=code,
        name=name,
        kind="one_off",
        start_date=WEDNESDAY,
        end_date=WEDNESDAY,
    )


def desk_hours(program: Program) -> list[int]:
    venue = Venue.objects.get(program=program, name="三宮ビル東館")
    return [s.start.hour for s in day_slots(fresh(program), "in_person", WEDNESDAY, venue.pk)]


def test_a_closure_added_after_the_slots_were_cached_closes_the_day(kobe: Program) -> None:
    assert desk_hours(kobe) == [10, 11, 12, 13, 14, 15, 16]
    close_wednesday(kobe, "inventory", "棚卸し")
    assert desk_hours(kobe) == []


def test_a_change_made_by_another_process_is_seen_through_the_stamp(kobe: Program) -> None:
    assert desk_hours(kobe) == [10, 11, 12, 13, 14, 15, 16]
    # Another process: its signals gave the program a new stamp; this process's cache still
    # holds the old slots, but the program row read afresh carries the new stamp.
    closure = close_wednesday(kobe, "x")
    schedule_cache_clear()
    assert desk_hours(kobe) == []
    Closure.objects.filter(pk=closure.pk).update(  # no signal, as in another process …
        start_date=WEDNESDAY + dt.timedelta(days=7), end_date=WEDNESDAY + dt.timedelta(days=7)
    )
    assert desk_hours(kobe) == []  # … still the cached (old) answer under the old stamp
    Program.objects.filter(pk=kobe.pk).update(schedule_stamp=uuid.uuid4())
    assert desk_hours(kobe) == [10, 11, 12, 13, 14, 15, 16]


def test_marking_a_consultant_absent_lowers_the_capacity_at_once(kobe: Program) -> None:
    online = Service.objects.get(program=kobe, code="online")
    consultants = [
        staff_create(username=f"cc{n}", password=None, program=kobe, role=Role.CONSULTANT)
        for n in range(3)
    ]
    for consultant in consultants:
        shift_pattern_create(
            program=kobe,
            consultant=consultant,
            weekday=WEDNESDAY.weekday(),
            start=dt.time(9),
            end=dt.time(21),
            valid_from=dt.date(2027, 1, 1),
            service=online,
        )
    start = dt.datetime.combine(WEDNESDAY, dt.time(10), tzinfo=TOKYO)
    slot = find_slot(program=fresh(kobe), service=online, start=start, venue=None)
    assert slot is not None and slot.capacity == 3
    absence_record(program=kobe, consultant=consultants[0], day=WEDNESDAY)
    slot = find_slot(program=fresh(kobe), service=online, start=start, venue=None)
    assert slot is not None and slot.capacity == 2
    assert consultants[0].pk not in slot.consultant_ids


def test_a_new_booking_policy_applies_to_the_next_booking(kobe: Program) -> None:
    assert booking_policy(fresh(kobe)).max_open_bookings == 3
    policy = BookingPolicy.objects.get(program=kobe)
    policy.max_open_bookings = 1
    policy.save()
    assert booking_policy(fresh(kobe)).max_open_bookings == 1


def test_nothing_read_inside_a_transaction_is_kept(kobe: Program) -> None:
    with transaction.atomic():
        close_wednesday(kobe, "y")
        assert desk_hours(kobe) == []
        program_calendar(fresh(kobe))
        transaction.set_rollback(True)
    # Rolled back: the stamp is the old one again, and the old slots come back.
    assert desk_hours(kobe) == [10, 11, 12, 13, 14, 15, 16]


def test_every_change_and_every_new_program_gets_a_stamp_never_seen_before(
    kobe: Program,
) -> None:
    seen = {fresh(kobe).schedule_stamp}
    for n in range(3):
        close_wednesday(kobe, f"c{n}")
        seen.add(fresh(kobe).schedule_stamp)
    assert len(seen) == 4
    # Loading a program again after deleting it may give it its old id back (SQLite);
    # its stamp is still new, so no cache entry of the old program is ever used for it.
    assert Program(slug="x", name="x", client="x", card_prefix="X").schedule_stamp not in seen
