"""Database rows → the plain inputs of :mod:`secondcareer.scheduling.slots`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from secondcareer.programs.models import Closure, Program, Service, SubstituteDate
from secondcareer.scheduling.models import ExceptionKind, ShiftException, ShiftPattern
from secondcareer.scheduling.slots import (
    ClosureRule,
    ProgramCalendar,
    Roster,
    ServiceRule,
    Shift,
    Substitution,
    VenueRule,
    venue_dates,
)


def default_capacity(program: Program) -> int:
    """Minimum consultants per open day from the preset's staffing (Saitama b(b):
    実施日につき配置人数は1人以上), used where the roster plans nothing."""
    staffing = program.staffing or {}
    value = staffing.get("consultants_per_open_day_min", 1)
    return value if isinstance(value, int) and value >= 1 else 1


def program_calendar(program: Program) -> ProgramCalendar:
    """The program's services, venues, closures and substitutions (5 queries)."""
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


def roster_for(program: Program, start: dt.date, end: dt.date) -> Roster:
    """Dated shifts of ``program`` between ``start`` and ``end`` (2 queries)."""
    shifts: list[Shift] = []
    planned: set[tuple[str, int, dt.date]] = set()
    exceptions = list(ShiftException.objects.filter(program=program, day__gte=start, day__lte=end))
    absent = {(e.consultant_id, e.day) for e in exceptions if e.kind == ExceptionKind.ABSENT}
    patterns = ShiftPattern.objects.filter(program=program, valid_from__lte=end).exclude(
        valid_until__lt=start
    )
    for pattern in patterns:
        first = max(start, pattern.valid_from)
        last = min(end, pattern.valid_until) if pattern.valid_until else end
        rule = VenueRule(
            id=0,
            code="",
            name="",
            booths=1,
            days=((pattern.weekday, tuple(pattern.nth) if pattern.nth else None),),
        )
        place = ("venue", pattern.venue_id) if pattern.venue_id else ("service", pattern.service_id)
        for day in venue_dates(rule, first, last):
            planned.add((place[0], place[1], day))  # type: ignore[arg-type]
            if (pattern.consultant_id, day) in absent:
                continue
            shifts.append(
                Shift(
                    consultant_id=pattern.consultant_id,
                    day=day,
                    start=pattern.start,
                    end=pattern.end,
                    venue_id=pattern.venue_id,
                    service_id=pattern.service_id,
                )
            )
    for extra in exceptions:
        if extra.kind != ExceptionKind.EXTRA or extra.start is None or extra.end is None:
            continue
        if (extra.consultant_id, extra.day) in absent:
            continue
        place = ("venue", extra.venue_id) if extra.venue_id else ("service", extra.service_id)
        planned.add((place[0], place[1], extra.day))  # type: ignore[arg-type]
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
