"""Demo data for scheduling: a realistic consultant roster for the program.

Run by ``secondcareer seed-demo`` after the staff exist (``people.staff`` leaves the
consultants' usernames in ``ctx.shared["consultants"]``). The roster is derived from
the program's own data — its venues and their weekdays, its services and opening
hours, the preset's ``staffing.consultant_hours`` — so a third program's preset gets a
sensible roster without code:

- **Venue services** (Saitama's 10 venues, Kobe's 三宮 desk): every day a venue is used
  has one consultant for the whole day (Saitama: the spec's 配置時間 09:45–16:15), and a
  second one where a colleague is free that day; consultants are spread over venues
  (掛け持ち可) so that every area has at least two different consultants during the week,
  and nobody is ever in two places at once.
- **Remote services** (Kobe online): two shifts a day, split at the middle of the
  opening hours — two consultants on the early shift and one on the late shift on
  weekdays, one each at weekends.

Patterns start a year before the reference date (``ctx.shared["today"]``), so the
booking history has a roster behind it. Writes go through
:func:`~secondcareer.scheduling.services.shift_pattern_create`, which refuses overlaps.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from secondcareer.core.demodata import DemoContext, demo_seeder
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.people.models import User
from secondcareer.programs.models import Program, Service, Venue
from secondcareer.scheduling.models import ShiftPattern
from secondcareer.scheduling.selectors import program_calendar
from secondcareer.scheduling.services import shift_pattern_create
from secondcareer.scheduling.slots import ProgramCalendar, ServiceRule

HISTORY_DAYS = 365
MAX_DAYS_A_WEEK = 4  # consultants work part time; the primary cover may need a fifth day
MAX_PRIMARY_DAYS = 5
DAY_TYPE_BY_WEEKDAY = {5: "saturday", 6: "sunday_holiday"}  # else "weekday"


@dataclass(frozen=True)
class PlannedShift:
    consultant: int  # index into the consultants list
    weekday: int
    start: dt.time
    end: dt.time
    venue_id: int | None = None
    service_id: int | None = None
    nth: tuple[int, ...] | None = None


@dataclass(frozen=True)
class VenueDay:
    venue_id: int
    area: str
    weekday: int
    nth: tuple[int, ...] | None
    start: dt.time
    end: dt.time


def _parse_hours(text: object) -> tuple[dt.time, dt.time] | None:
    if not isinstance(text, str) or "-" not in text:
        return None
    start, end = text.split("-", 1)
    try:
        return dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())
    except ValueError:
        return None


def _span(service: ServiceRule, weekday: int) -> tuple[dt.time, dt.time] | None:
    periods = service.hours.get(DAY_TYPE_BY_WEEKDAY.get(weekday, "weekday"), ())
    if not periods:
        return None
    return min(p[0] for p in periods), max(p[1] for p in periods)


def venue_days(
    calendar: ProgramCalendar,
    venue_areas: dict[int, str],
    consultant_hours: tuple[dt.time, dt.time] | None,
) -> list[VenueDay]:
    """Every (venue, weekday) a venue service is held, with the hours someone must be
    there: the program's consultant hours if the preset gives them, else the span of the
    opening hours of every service held there that day."""
    spans: dict[tuple[int, int], list[tuple[dt.time, dt.time]]] = defaultdict(list)
    nths: dict[tuple[int, int], tuple[int, ...] | None] = {}
    for service in calendar.services:
        if service.remote:
            continue
        for venue in service.venues:
            for weekday, nth in venue.days:
                span = _span(service, weekday)
                if span is None:
                    continue
                spans[(venue.id, weekday)].append(span)
                nths[(venue.id, weekday)] = nth
    days = []
    for (venue_id, weekday), found in sorted(spans.items()):
        start, end = min(s for s, _ in found), max(e for _, e in found)
        if consultant_hours and consultant_hours[0] <= start and end <= consultant_hours[1]:
            start, end = consultant_hours
        days.append(
            VenueDay(
                venue_id=venue_id,
                area=venue_areas.get(venue_id, ""),
                weekday=weekday,
                nth=nths[(venue_id, weekday)],
                start=start,
                end=end,
            )
        )
    return days


def _split(start: dt.time, end: dt.time, slot_minutes: int) -> list[tuple[dt.time, dt.time]]:
    """Two shifts meeting at a slot boundary near the middle of ``start``–``end``."""
    base = dt.date(2000, 1, 1)
    first, last = dt.datetime.combine(base, start), dt.datetime.combine(base, end)
    slots = int((last - first).total_seconds() // 60 // slot_minutes)
    if slots < 2:
        return [(start, end)]
    middle = (first + dt.timedelta(minutes=slot_minutes * ((slots + 1) // 2))).time()
    return [(start, middle), (middle, end)]


def plan_roster(
    calendar: ProgramCalendar,
    *,
    consultants: int,
    venue_areas: dict[int, str],
    consultant_hours: tuple[dt.time, dt.time] | None,
    rng: random.Random,
) -> list[PlannedShift]:
    """A weekly roster for ``consultants`` people (pure). One shift a day per person, so
    nobody is ever in two places at once."""
    if consultants <= 0:
        return []
    busy: dict[int, set[int]] = defaultdict(set)  # weekday → consultants already working
    load = [0] * consultants
    areas: dict[str, set[int]] = defaultdict(set)
    order = list(range(consultants))
    rng.shuffle(order)
    rank = {c: i for i, c in enumerate(order)}  # a stable, seeded tie-break
    plan: list[PlannedShift] = []

    def pick(weekday: int, area: str | None, limit: int) -> int | None:
        free = [c for c in range(consultants) if c not in busy[weekday] and load[c] < limit]
        if not free:
            return None

        def key(c: int) -> tuple[int, int, int]:
            # Spread an area over two people first (実施市町ごとに2人以上), then keep the
            # load even; the same person stays at a venue on the same weekday every week.
            repeats = 1 if area and c in areas[area] and len(areas[area]) < 2 else 0
            return (repeats, load[c], (rank[c] + weekday) % consultants)

        chosen = min(free, key=key)
        busy[weekday].add(chosen)
        load[chosen] += 1
        if area:
            areas[area].add(chosen)
        return chosen

    days = venue_days(calendar, venue_areas, consultant_hours)
    # Primary cover: one consultant per venue and day, the busiest weekdays first.
    per_weekday = defaultdict(list)
    for day in days:
        per_weekday[day.weekday].append(day)
    for weekday in sorted(per_weekday, key=lambda w: (-len(per_weekday[w]), w)):
        for day in per_weekday[weekday]:
            chosen = pick(weekday, day.area, MAX_PRIMARY_DAYS)
            if chosen is None:
                continue  # fewer consultants than venues that day: the default staffing applies
            plan.append(
                PlannedShift(
                    chosen, weekday, day.start, day.end, venue_id=day.venue_id, nth=day.nth
                )
            )

    # Remote services: two shifts a day; two people early on weekdays, one otherwise.
    for service in calendar.services:
        if not service.remote:
            continue
        for weekday in range(7):
            span = _span(service, weekday)
            if span is None:
                continue
            shifts = _split(*span, service.slot_minutes)
            for index, (start, end) in enumerate(shifts):
                wanted = 2 if weekday < 5 and index == 0 else 1
                for _ in range(wanted):
                    chosen = pick(weekday, None, MAX_PRIMARY_DAYS)
                    if chosen is None:
                        break
                    plan.append(PlannedShift(chosen, weekday, start, end, service_id=service.id))

    # A second consultant at venues where a colleague is free that day (part-time cap),
    # spread over the week rather than piled on the first weekday.
    seconds = sorted(days, key=lambda d: (d.weekday, d.venue_id))
    rng.shuffle(seconds)
    for day in seconds:
        chosen = pick(day.weekday, day.area, MAX_DAYS_A_WEEK)
        if chosen is None:
            continue
        plan.append(
            PlannedShift(
                chosen, day.weekday, day.start, day.end, venue_id=day.venue_id, nth=day.nth
            )
        )
    return plan


def _consultants(ctx: DemoContext) -> list[User]:
    usernames: Sequence[str] = ctx.shared.get("consultants", [])
    by_name = {u.username: u for u in User.objects.filter(username__in=usernames)}
    return [by_name[name] for name in usernames if name in by_name]


@demo_seeder(order=30, name="scheduling.roster")
def seed_roster(ctx: DemoContext) -> None:
    """Weekly shift patterns for the program's demo consultants (once per program)."""
    program: Program = ctx.program
    if ShiftPattern.objects.filter(program=program).exists():
        ctx.log("scheduling.roster: the program already has a roster; nothing added")
        return
    consultants = _consultants(ctx)
    if not consultants:
        ctx.log("scheduling.roster: no consultants; nothing added")
        return
    today = ctx.shared.get("today")
    if not isinstance(today, dt.date):
        today = timezone.localdate(timezone=TOKYO)
    calendar = program_calendar(program)
    venue_areas = dict(Venue.objects.filter(program=program).values_list("id", "area__code"))
    plan = plan_roster(
        calendar,
        consultants=len(consultants),
        venue_areas=venue_areas,
        consultant_hours=_parse_hours((program.staffing or {}).get("consultant_hours")),
        rng=ctx.rng("scheduling.roster"),
    )
    venues = {v.pk: v for v in Venue.objects.filter(program=program)}
    services = {s.pk: s for s in Service.objects.filter(program=program)}
    valid_from = today - dt.timedelta(days=HISTORY_DAYS)
    for shift in plan:
        shift_pattern_create(
            program=program,
            consultant=consultants[shift.consultant],
            weekday=shift.weekday,
            start=shift.start,
            end=shift.end,
            valid_from=valid_from,
            venue=venues[shift.venue_id] if shift.venue_id else None,
            service=services[shift.service_id] if shift.service_id else None,
            nth=list(shift.nth) if shift.nth else None,
        )
    ctx.shared["roster_from"] = valid_from
    ctx.log(
        f"scheduling.roster: {len(plan)} weekly shifts for {len(consultants)} consultants "
        f"from {valid_from.isoformat()}"
    )
