"""Database rows → the plain inputs of :mod:`secondcareer.scheduling.slots`."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import connection

from secondcareer.programs.models import Closure, Program, Service, SubstituteDate
from secondcareer.scheduling.models import ExceptionKind, ShiftException, ShiftPattern
from secondcareer.scheduling.slots import (
    ClosureRule,
    ProgramCalendar,
    Roster,
    ServiceRule,
    Shift,
    Slot,
    Substitution,
    VenueRule,
    generate_slots,
    venue_dates,
)

T = TypeVar("T")


def default_capacity(program: Program) -> int:
    """Minimum consultants per open day from the preset's staffing (Saitama b(b):
    実施日につき配置人数は1人以上), used where the roster plans nothing."""
    staffing = program.staffing or {}
    value = staffing.get("consultants_per_open_day_min", 1)
    return value if isinstance(value, int) and value >= 1 else 1


class ScheduleCache:
    """A bounded, thread-safe map from keys that start with (program id,
    ``schedule_stamp``) to what was built from those rows.

    Every change to those rows gives ``Program.schedule_stamp`` a new value
    (``programs.signals``) and requests read the program row afresh, so an entry is
    never used after its rows changed, in this process or another one. Nothing is
    stored while a transaction is open: what it read may still be rolled back."""

    every: list[ScheduleCache] = []

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        ScheduleCache.every.append(self)

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]  # type: ignore[no-any-return]
        value = build()
        if not connection.in_atomic_block:
            with self._lock:
                self._entries[key] = value
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_CALENDARS = ScheduleCache(64)
_DAY_SLOTS = ScheduleCache(4096)


def schedule_cache_clear() -> None:
    """Empty every cache of this process (the new stamp reaches the others)."""
    for cache in ScheduleCache.every:
        cache.clear()


def schedule_key(program: Program) -> tuple[int, uuid.UUID, int]:
    """The key prefix of everything built from ``program``'s schedule rows. The minimum
    staffing is on the program row itself: part of the key, not of the stamp."""
    return (program.pk, program.schedule_stamp, default_capacity(program))


def program_calendar(program: Program) -> ProgramCalendar:
    """The program's services, venues, closures and substitutions: built with 5 queries,
    then kept per process until ``program.schedule_stamp`` moves."""
    return _CALENDARS.get(schedule_key(program), lambda: _build_calendar(program))


def day_slots(
    program: Program, service_code: str, day: dt.date, venue_id: int | None
) -> tuple[Slot, ...]:
    """The slots of one service on one day — at one venue, or at all of them when
    ``venue_id`` is None — with their capacity and the consultants on duty: what
    booking one slot needs. Built from the calendar and that day's roster there
    (2 queries), then kept until the stamp moves."""

    def build() -> tuple[Slot, ...]:
        calendar = program_calendar(program)
        service = next((s for s in calendar.services if s.code == service_code), None)
        if service is None:
            return ()
        place: tuple[str, int] | None
        if venue_id:
            place = ("venue", venue_id)
        elif service.remote:
            place = ("service", service.id)
        else:
            place = None  # every venue of the service: the whole day's roster
        return tuple(
            generate_slots(
                calendar,
                day,
                day,
                roster=roster_for(program, day, day, place=place),
                service_codes=[service_code],
                venue_ids=[venue_id] if venue_id else None,
            )
        )

    return _DAY_SLOTS.get((*schedule_key(program), service_code, day, venue_id), build)


def _build_calendar(program: Program) -> ProgramCalendar:
    capacity = default_capacity(program)
    services = []
    for service in Service.objects.filter(program=program).prefetch_related(
        "periods", "venues__days"
    ):
        hours: dict[str, list[tuple[dt.time, dt.time]]] = defaultdict(list)
        for period in service.periods.all():
            hours[period.day_type].append((period.start, period.end))
        venues = tuple(
            VenueRule(
                id=v.pk,
                code=v.code,
                name=v.name,
                booths=v.booths,
                days=tuple((d.weekday, tuple(d.nth) if d.nth else None) for d in v.days.all()),
            )
            for v in service.venues.all()
        )
        services.append(
            ServiceRule(
                id=service.pk,
                code=service.code,
                name=service.name,
                methods=tuple(service.methods),
                remote=service.delivery == "remote",
                slot_minutes=service.slot_minutes,
                hours={k: tuple(sorted(v)) for k, v in hours.items()},
                venues=venues,
                default_capacity=capacity,
            )
        )
    closures = tuple(
        ClosureRule(
            kind=c.kind,
            start_md=(c.start_month, c.start_day) if c.start_month and c.start_day else None,
            end_md=(c.end_month, c.end_day) if c.end_month and c.end_day else None,
            start_date=c.start_date,
            end_date=c.end_date,
            service_id=c.service_id,
            venue_id=c.venue_id,
        )
        for c in Closure.objects.filter(program=program)
    )
    substitutions = tuple(
        Substitution(original_date=s.original_date, held_on=s.held_on, venue_id=s.venue_id)
        for s in SubstituteDate.objects.filter(program=program)
    )
    return ProgramCalendar(services=tuple(services), closures=closures, substitutions=substitutions)


def roster_for(
    program: Program,
    start: dt.date,
    end: dt.date,
    *,
    place: tuple[str, int] | None = None,
) -> Roster:
    """Dated shifts of ``program`` between ``start`` and ``end`` (2 queries).

    ``place`` — ``("venue", id)`` or ``("service", id)`` for a remote service — loads
    only the shifts there (booking one slot needs nothing else); a range shorter than a
    week loads only the patterns of its weekdays."""
    shifts: list[Shift] = []
    planned: set[tuple[str, int, dt.date]] = set()
    exceptions = list(ShiftException.objects.filter(program=program, day__gte=start, day__lte=end))
    absent = {(e.consultant_id, e.day) for e in exceptions if e.kind == ExceptionKind.ABSENT}
    patterns = ShiftPattern.objects.filter(program=program, valid_from__lte=end).exclude(
        valid_until__lt=start
    )
    if (end - start).days < 6:
        span = (end - start).days + 1
        patterns = patterns.filter(
            weekday__in={(start + dt.timedelta(days=i)).weekday() for i in range(span)}
        )
    if place is not None:
        if place[0] == "venue":
            patterns = patterns.filter(venue_id=place[1])
            exceptions = [
                e for e in exceptions if e.kind == ExceptionKind.ABSENT or e.venue_id == place[1]
            ]
        else:
            patterns = patterns.filter(venue__isnull=True, service_id=place[1])
            exceptions = [
                e
                for e in exceptions
                if e.kind == ExceptionKind.ABSENT
                or (e.venue_id is None and e.service_id == place[1])
            ]
    rows = patterns.values_list(
        "consultant_id",
        "weekday",
        "nth",
        "start",
        "end",
        "valid_from",
        "valid_until",
        "venue_id",
        "service_id",
    )
    for (
        consultant_id,
        weekday,
        nth,
        shift_start,
        shift_end,
        valid_from,
        valid_until,
        venue_id,
        service_id,
    ) in rows:
        first = max(start, valid_from)
        last = min(end, valid_until) if valid_until else end
        rule = VenueRule(
            id=0,
            code="",
            name="",
            booths=1,
            days=((weekday, tuple(nth) if nth else None),),
        )
        key = ("venue", venue_id) if venue_id else ("service", service_id)
        for day in venue_dates(rule, first, last):
            planned.add((key[0], key[1], day))
            if (consultant_id, day) in absent:
                continue
            shifts.append(
                Shift(
                    consultant_id=consultant_id,
                    day=day,
                    start=shift_start,
                    end=shift_end,
                    venue_id=venue_id,
                    service_id=service_id,
                )
            )
    for extra in exceptions:
        if extra.kind != ExceptionKind.EXTRA or extra.start is None or extra.end is None:
            continue
        if (extra.consultant_id, extra.day) in absent:
            continue
        where = ("venue", extra.venue_id) if extra.venue_id else ("service", extra.service_id)
        planned.add((where[0], where[1], extra.day))  # type: ignore[arg-type]
        shifts.append(
            Shift(
                consultant_id=extra.consultant_id,
                day=extra.day,
                start=extra.start,
                end=extra.end,
                venue_id=extra.venue_id,
                service_id=extra.service_id,
            )
        )
    return Roster(shifts=tuple(shifts), planned=frozenset(planned))
