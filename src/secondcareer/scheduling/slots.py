"""Slot generation: a program's rules + closures + roster → the slots of a date range.

Pure Python, no ORM: :mod:`secondcareer.scheduling.selectors` turns the database rows
into these frozen dataclasses, so this module is fast to test and to benchmark.

Rules applied, in order, for each service and day:

1. **Closures.** Program-wide or scoped to a service or venue: every national holiday
   (``national_holidays``), yearly month-day ranges (年末年始 12/29–1/3, 夏季休業) and
   one-off date ranges (県が指定する日).
2. **Venue patterns.** A venue service is held at a venue on its weekdays, or only on
   the nth weekdays of the month (秩父: 第1・3水), expanded with ``dateutil.rrule``.
3. **Substitute dates (振替).** On ``held_on`` the venue's schedule of
   ``original_date`` is held, with the hours of the day type that date would have had
   as a working day, even when ``held_on`` is not one of the venue's weekdays.
4. **Hours per day type.** Weekday / Saturday / Sunday-or-holiday periods, cut into
   slots of ``slot_minutes``; a gap between periods is a lunch break.
5. **Capacity.** The consultants on shift covering the whole slot at that place
   (the venue, or the remote service), at most the venue's booths. Where the roster has
   nothing at all for that place and day, the program's minimum staffing applies
   (``default_capacity``), so a freshly loaded program still shows its timetable.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil import rrule

from secondcareer.core.jpcalendar import TOKYO, DayType, day_type, is_national_holiday
from secondcareer.programs.rules import month_day_in_range

_RRULE_DAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)

Period = tuple[dt.time, dt.time]


@dataclass(frozen=True)
class VenueRule:
    id: int
    code: str
    name: str
    booths: int
    # (weekday 0=Mon, nth occurrences or None for every week)
    days: tuple[tuple[int, tuple[int, ...] | None], ...]


@dataclass(frozen=True)
class ServiceRule:
    id: int
    code: str
    name: str
    methods: tuple[str, ...]
    remote: bool
    slot_minutes: int
    hours: dict[str, tuple[Period, ...]]  # DayType value → periods
    venues: tuple[VenueRule, ...] = ()
    default_capacity: int = 1


@dataclass(frozen=True)
class ClosureRule:
    kind: str  # national_holidays | recurring | one_off
    start_md: tuple[int, int] | None = None
    end_md: tuple[int, int] | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    service_id: int | None = None
    venue_id: int | None = None

    def covers(self, day: dt.date) -> bool:
        if self.kind == "national_holidays":
            return is_national_holiday(day)
        if self.kind == "recurring" and self.start_md and self.end_md:
            return month_day_in_range(self.start_md, self.end_md, day)
        if self.kind == "one_off" and self.start_date and self.end_date:
            return self.start_date <= day <= self.end_date
        return False

    def applies_to(self, service_id: int, venue_id: int | None) -> bool:
        if self.service_id is not None and self.service_id != service_id:
            return False
        return self.venue_id is None or self.venue_id == venue_id


@dataclass(frozen=True)
class Substitution:
    original_date: dt.date
    held_on: dt.date
    venue_id: int | None = None  # None: every venue scheduled on the original date


@dataclass(frozen=True)
class Shift:
    """A consultant on duty on one day: at a venue, or remote for a service."""

    consultant_id: int
    day: dt.date
    start: dt.time
    end: dt.time
    venue_id: int | None = None
    service_id: int | None = None


@dataclass(frozen=True)
class Roster:
    """Dated shifts, and the places/days the roster plans at all (even when everyone
    planned is absent), which switch the default capacity off."""

    shifts: tuple[Shift, ...] = ()
    planned: frozenset[tuple[str, int, dt.date]] = field(default_factory=frozenset)

    @staticmethod
    def place_key(service: ServiceRule, venue_id: int | None) -> tuple[str, int]:
        return ("venue", venue_id) if venue_id is not None else ("service", service.id)


@dataclass(frozen=True)
class ProgramCalendar:
    services: tuple[ServiceRule, ...]
    closures: tuple[ClosureRule, ...] = ()
    substitutions: tuple[Substitution, ...] = ()


@dataclass(frozen=True)
class Slot:
    service_id: int
    service_code: str
    methods: tuple[str, ...]
    venue_id: int | None
    venue_name: str | None
    start: dt.datetime
    end: dt.datetime
    capacity: int
    consultant_ids: tuple[int, ...] = ()

    @property
    def key(self) -> tuple[int, int | None, dt.datetime]:
        return (self.service_id, self.venue_id, self.start)


def _dates(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def venue_dates(venue: VenueRule, start: dt.date, end: dt.date) -> frozenset[dt.date]:
    """The days ``venue`` is used between ``start`` and ``end`` (inclusive), by rrule."""
    if end < start:
        return frozenset()
    return _rule_dates(venue.days, start, end)


@lru_cache(maxsize=8192)
def _rule_dates(
    days: tuple[tuple[int, tuple[int, ...] | None], ...], start: dt.date, end: dt.date
) -> frozenset[dt.date]:
    # Memoised: every consultant's Tuesday shift, every venue open on Tuesdays, asks
    # the same question for the same range.
    found: set[dt.date] = set()
    begin = dt.datetime.combine(start, dt.time())
    until = dt.datetime.combine(end, dt.time())
    every_week = [_RRULE_DAYS[wd] for wd, nth in days if not nth]
    if every_week:
        found.update(
            d.date()
            for d in rrule.rrule(rrule.WEEKLY, byweekday=every_week, dtstart=begin, until=until)
        )
    nth_days = [_RRULE_DAYS[wd](n) for wd, nth in days if nth for n in nth]
    if nth_days:
        found.update(
            d.date()
            for d in rrule.rrule(rrule.MONTHLY, byweekday=nth_days, dtstart=begin, until=until)
        )
    return frozenset(found)


@lru_cache(maxsize=4096)
def _cut(period_start: dt.time, period_end: dt.time, minutes: int) -> tuple[Period, ...]:
    cuts = []
    base = dt.date(2000, 1, 1)
    cursor = dt.datetime.combine(base, period_start)
    stop = dt.datetime.combine(base, period_end)
    step = dt.timedelta(minutes=minutes)
    while cursor + step <= stop:
        cuts.append((cursor.time(), (cursor + step).time()))
        cursor += step
    return tuple(cuts)


def _working_day_type(day: dt.date) -> DayType:
    """The day type ``day`` would have as a working day (for 振替: a Monday holiday's
    schedule is held with weekday hours)."""
    return DayType.SATURDAY if day.weekday() == 5 else DayType.WEEKDAY


def generate_slots(
    calendar: ProgramCalendar,
    start: dt.date,
    end: dt.date,
    *,
    roster: Roster | None = None,
    service_codes: Iterable[str] | None = None,
    venue_ids: Iterable[int] | None = None,
) -> list[Slot]:
    """Every slot of the chosen services between ``start`` and ``end`` inclusive,
    ordered by start time, then service, then venue."""
    if end < start:
        return []
    wanted_services = set(service_codes) if service_codes is not None else None
    wanted_venues = set(venue_ids) if venue_ids is not None else None
    roster = roster or Roster()
    days = _dates(start, end)

    # Shifts by (place, day) for capacity.
    shifts_at: dict[tuple[str, int, dt.date], list[Shift]] = defaultdict(list)
    for shift in roster.shifts:
        if shift.venue_id is not None:
            shifts_at[("venue", shift.venue_id, shift.day)].append(shift)
        elif shift.service_id is not None:
            shifts_at[("service", shift.service_id, shift.day)].append(shift)

    slots: list[Slot] = []
    for service in calendar.services:
        if wanted_services is not None and service.code not in wanted_services:
            continue
        closures = [c for c in calendar.closures if c.service_id in (None, service.id)]
        if service.remote:
            places: list[tuple[VenueRule | None, dict[dt.date, DayType]]] = [
                (None, {day: day_type(day) for day in days})
            ]
        else:
            places = []
            for rule in service.venues:
                if wanted_venues is not None and rule.id not in wanted_venues:
                    continue
                schedule = {d: day_type(d) for d in venue_dates(rule, start, end)}
                for sub in calendar.substitutions:
                    if sub.venue_id not in (None, rule.id):
                        continue
                    if venue_dates(rule, sub.original_date, sub.original_date):
                        schedule.pop(sub.original_date, None)
                        if start <= sub.held_on <= end:
                            schedule[sub.held_on] = _working_day_type(sub.original_date)
                places.append((rule, schedule))
        substituted = {(sub.held_on, sub.venue_id) for sub in calendar.substitutions}
        for venue, schedule in places:
            venue_id = venue.id if venue else None
            for day in sorted(schedule):
                is_substitute = (day, venue_id) in substituted or (day, None) in substituted
                if not is_substitute and any(
                    c.applies_to(service.id, venue_id) and c.covers(day) for c in closures
                ):
                    continue
                periods = service.hours.get(schedule[day].value, ())
                if not periods:
                    continue
                slots.extend(_day_slots(service, venue, day, periods, roster, shifts_at))
    slots.sort(key=lambda s: (s.start, s.service_code, s.venue_id or 0))
    return slots


def _day_slots(
    service: ServiceRule,
    venue: VenueRule | None,
    day: dt.date,
    periods: Sequence[Period],
    roster: Roster,
    shifts_at: dict[tuple[str, int, dt.date], list[Shift]],
) -> list[Slot]:
    place = Roster.place_key(service, venue.id if venue else None)
    key = (place[0], place[1], day)
    day_shifts = shifts_at.get(key, [])
    planned = key in roster.planned or bool(day_shifts)
    out = []
    for period_start, period_end in periods:
        for slot_start, slot_end in _cut(period_start, period_end, service.slot_minutes):
            if planned:
                on_duty = tuple(
                    sorted(
                        {
                            s.consultant_id
                            for s in day_shifts
                            if s.start <= slot_start
                            and slot_end <= s.end
                            and (s.service_id in (None, service.id))
                        }
                    )
                )
                capacity = len(on_duty)
            else:
                on_duty = ()
                capacity = service.default_capacity
            if venue is not None:
                capacity = min(capacity, venue.booths)
            out.append(
                Slot(
                    service_id=service.id,
                    service_code=service.code,
                    methods=service.methods,
                    venue_id=venue.id if venue else None,
                    venue_name=venue.name if venue else None,
                    start=dt.datetime.combine(day, slot_start, tzinfo=TOKYO),
                    end=dt.datetime.combine(day, slot_end, tzinfo=TOKYO)
                    if slot_end != dt.time(0)
                    else dt.datetime.combine(day + dt.timedelta(days=1), slot_end, tzinfo=TOKYO),
                    capacity=capacity,
                    consultant_ids=on_duty,
                )
            )
    return out
