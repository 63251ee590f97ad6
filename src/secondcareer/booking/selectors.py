"""Availability: the program's slots (from scheduling) minus the seats already held."""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from secondcareer.booking.models import Reservation, ReservationStatus
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO as _TOKYO
from secondcareer.core.sql import model_columns, sql_literal, storable_id
from secondcareer.core.text import to_katakana
from secondcareer.people.models import Role, Seeker, SeekerStatus, User
from secondcareer.people.phones import InvalidPhone, normalize_phone, phone_digits
from secondcareer.programs.models import Program, Service, Venue
from secondcareer.scheduling.models import ExceptionKind, ShiftException
from secondcareer.scheduling.selectors import (
    ScheduleCache,
    day_slots,
    program_calendar,
    roster_for,
    schedule_key,
)
from secondcareer.scheduling.slots import Slot, generate_slots


@dataclass(frozen=True)
class Availability:
    slot: Slot
    held: int

    @property
    def free(self) -> int:
        return max(0, self.slot.capacity - self.held)

    def as_dict(self) -> dict[str, object]:
        methods = list(self.slot.methods)
        return {
            "start": self.slot.start.isoformat(),
            "end": self.slot.end.isoformat(),
            "service": self.slot.service_code,
            "method": ",".join(methods),
            "methods": methods,
            "venue": self.slot.venue_name,
            "capacity": self.slot.capacity,
            "free": self.free,
        }


def get_program(slug: str) -> Program:
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise DomainError(
            _("事業「%(slug)s」は登録されていません。") % {"slug": slug},
            code="not_found",
            status=404,
            field_errors={"program": [_("登録されている事業を指定してください。")]},
        )
    return program


_SERVICES = ScheduleCache(256)


def get_service(program: Program, code: str) -> Service:
    """The program's service ``code``. Kept per process with the program's schedule
    (saving a service gives it a new stamp); each caller gets its own copy."""
    service = _SERVICES.get(
        (*schedule_key(program), code),
        lambda: Service.objects.filter(program=program, code=code).first(),
    )
    if service is None:
        codes = ", ".join(Service.objects.filter(program=program).values_list("code", flat=True))
        raise DomainError(
            _("相談サービス「%(code)s」はこの事業にありません（%(codes)s）。")
            % {"code": code, "codes": codes},
            code="invalid",
            status=422,
            field_errors={
                "service": [_("次のいずれかを指定してください: %(codes)s") % {"codes": codes}]
            },
        )
    return copy.copy(service)


def get_venue(program: Program, ref: str) -> Venue:
    """A venue by code or by its Japanese name."""
    venue = (
        Venue.objects.filter(program=program, code=ref).first()
        or Venue.objects.filter(program=program, name=ref).first()
    )
    if venue is None:
        raise DomainError(
            _("会場「%(ref)s」はこの事業にありません。") % {"ref": ref},
            code="invalid",
            status=422,
            field_errors={"venue": [_("会場の識別子または名称を指定してください。")]},
        )
    return venue


def held_seats(
    program: Program, start: dt.datetime, end: dt.datetime
) -> Counter[tuple[int, int | None, dt.datetime]]:
    """Non-cancelled reservations per (service, venue, start) between two instants.

    Written out (:mod:`secondcareer.core.sql`): every 満席 answer and booking screen asks
    it, and the ORM spent more time compiling the aggregate than the database ran it."""
    columns = model_columns(Reservation, "r", ["service", "venue", "starts_at"], pk=False)
    when = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.sql}, COUNT(*) FROM {Reservation._meta.db_table} r "  # noqa: S608 - names from the model
            "WHERE r.program_id = %s AND r.starts_at >= %s AND r.starts_at < %s "
            f"AND r.status <> {sql_literal(ReservationStatus.CANCELLED)} GROUP BY {columns.sql}",
            [program.pk, when(start), when(end)],
        )
        rows = cursor.fetchall()
    held: Counter[tuple[int, int | None, dt.datetime]] = Counter()
    for row in rows:
        value = dict(zip(columns.attnames, columns.convert(row[:-1]), strict=True))
        held[(value["service_id"], value["venue_id"], value["starts_at"])] = row[-1]
    return held


SHORT_RANGE_DAYS = 7


def availability(
    *,
    program: Program,
    service_code: str | None,
    start: dt.date,
    end: dt.date,
    venue: Venue | None = None,
) -> list[Availability]:
    """Slots of ``program`` between two dates (inclusive) with their free seats.

    A few days of one service (a booking screen's day, the 満席 alternatives) come from
    the per-process cache of each day's slots; longer ranges are generated at once."""
    slots: list[Slot]
    if service_code and (end - start).days < SHORT_RANGE_DAYS:
        slots = [
            slot
            for i in range((end - start).days + 1)
            for slot in day_slots(
                program, service_code, start + dt.timedelta(days=i), venue.pk if venue else None
            )
        ]
    else:
        slots = generate_slots(
            program_calendar(program),
            start,
            end,
            roster=roster_for(program, start, end),
            service_codes=[service_code] if service_code else None,
            venue_ids=[venue.pk] if venue else None,
        )
    if not slots:
        return []
    held = held_seats(program, slots[0].start, slots[-1].end)
    return [
        Availability(slot=s, held=held.get((s.service_id, s.venue_id, s.start), 0)) for s in slots
    ]


def nearest_free(
    *,
    program: Program,
    service: Service,
    around: dt.datetime,
    venue: Venue | None = None,
    limit: int = 3,
    days: int = 14,
    not_before: dt.datetime | None = None,
) -> list[Availability]:
    """The free slots closest in time to ``around`` (for a polite 満席 answer), within
    ``days`` days either side.

    Searches the same day first and widens only while a closer slot could still lie
    outside the days searched, so the usual answer costs one day's look-up, not a
    month's; the result is the same as searching all ``days`` at once."""
    local = around.astimezone(_TOKYO)
    day = local.date()
    earliest = max(day - dt.timedelta(days=days), (not_before or around).astimezone(_TOKYO).date())
    latest = day + dt.timedelta(days=days)
    searched: dict[tuple[int, int | None, dt.datetime], Availability] = {}
    for reach in sorted({0, 2, 6, days}):
        first = max(day - dt.timedelta(days=min(reach, days)), earliest)
        last = day + dt.timedelta(days=min(reach, days))
        for a in availability(
            program=program, service_code=service.code, start=first, end=last, venue=venue
        ):
            searched[a.slot.key] = a
        free = [
            a
            for a in searched.values()
            if a.free > 0
            and a.slot.start != around
            and (not_before is None or a.slot.start >= not_before)
        ]
        free.sort(key=lambda a: (abs((a.slot.start - around).total_seconds()), a.slot.start))
        # Stop when nothing unsearched can be closer than the limit-th slot found.
        edges = []
        if last < latest:
            edges.append(
                dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=_TOKYO) - around
            )
        if first > earliest:
            edges.append(around - dt.datetime.combine(first, dt.time(), tzinfo=_TOKYO))
        if not edges:
            break
        if (
            len(free) >= limit
            and abs((free[limit - 1].slot.start - around).total_seconds())
            < min(edges).total_seconds()
        ):
            break
    return sorted(free[:limit], key=lambda a: a.slot.start)


# --- Web booking and the consultant calendar feed --------------------------------------


def seeker_match_for_booking(
    *,
    program: Program,
    family_name_kana: str,
    given_name_kana: str,
    birth_date: dt.date,
    phone: str,
) -> Seeker | None:
    """The seeker of ``program`` a web booking belongs to, if they have registered
    before: the same phone number, birth date and furigana, compared after the
    normalisation :func:`~secondcareer.people.services.seeker_register` stores them
    with. None when nobody matches (or the phone number is not a valid one)."""
    try:
        digits = phone_digits(normalize_phone(phone))
    except InvalidPhone:
        return None
    return (
        Seeker.objects.filter(
            program=program,
            phone_digits=digits,
            birth_date=birth_date,
            family_name_kana=to_katakana(family_name_kana or "").replace(" ", ""),
            given_name_kana=to_katakana(given_name_kana or "").replace(" ", ""),
        )
        .exclude(status=SeekerStatus.WITHDRAWN)
        .order_by("pk")
        .first()
    )


def consultant_reservations(
    *, consultant: Any, start: dt.datetime, end: dt.datetime
) -> QuerySet[Reservation]:
    """A consultant's reservations that are not cancelled, starting in [start, end),
    with what a calendar entry shows (one query)."""
    return (
        Reservation.objects.filter(consultant=consultant, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=ReservationStatus.CANCELLED)
        .select_related("service", "venue", "seeker")
        .order_by("starts_at", "pk")
    )


# --- Staff screens (read-only helpers) ---------------------------------------------------


def free_slots(
    *,
    program: Program,
    service: Service,
    venue: Venue | None,
    start: dt.date,
    days: int,
    now: dt.datetime,
) -> list[Availability]:
    """The slots of ``service`` (at ``venue``) with a free seat, starting after ``now``,
    in the ``days`` days from ``start`` (what the phone booking screen offers)."""
    return [
        a
        for a in availability(
            program=program,
            service_code=service.code,
            start=start,
            end=start + dt.timedelta(days=days - 1),
            venue=venue,
        )
        if a.free > 0 and a.slot.start > now
    ]


def program_consultants(program: Program) -> QuerySet[User]:
    """Active consultants of ``program``, in a stable order."""
    return (
        User.objects.filter(
            memberships__program=program, memberships__role=Role.CONSULTANT, is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


@dataclass(frozen=True)
class CalendarCell:
    """One slot of a staff calendar: its seats (from :func:`availability`) and the
    bookings in it. ``in_timetable`` is False for a booking outside the place's current
    timetable (the roster changed after it was booked)."""

    start: dt.datetime
    end: dt.datetime
    capacity: int
    held: int
    reservations: tuple[Reservation, ...]
    in_timetable: bool = True

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.held) if self.in_timetable else 0


def calendar_cells(
    *,
    program: Program,
    start: dt.date,
    end: dt.date,
    service: Service | None = None,
    venue: Venue | None = None,
    consultant_id: int | None = None,
) -> list[CalendarCell]:
    """Slots and bookings between two dates (inclusive), for one place (a service at a
    venue, or a remote service) or for one consultant (the slots they are on duty in,
    one seat each, and every booking they hold). Cancelled bookings are left out."""
    begin = dt.datetime.combine(start, dt.time(0), tzinfo=_TOKYO)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=_TOKYO)
    bookings = (
        Reservation.objects.filter(program=program, starts_at__gte=begin, starts_at__lt=until)
        .exclude(status=ReservationStatus.CANCELLED)
        .select_related("seeker", "consultant", "service", "venue")
        .order_by("starts_at", "pk")
    )
    if consultant_id is not None:
        bookings = bookings.filter(consultant_id=consultant_id)
        slots = [
            a
            for a in availability(program=program, service_code=None, start=start, end=end)
            if consultant_id in a.slot.consultant_ids
        ]
    elif service is not None:
        bookings = bookings.filter(service=service, venue=venue)
        slots = [
            a
            for a in availability(
                program=program, service_code=service.code, start=start, end=end, venue=venue
            )
            if a.slot.venue_id == (venue.pk if venue else None)
        ]
    else:
        return []
    by_start: dict[dt.datetime, list[Reservation]] = {}
    for booking in bookings:
        by_start.setdefault(booking.starts_at, []).append(booking)
    cells: list[CalendarCell] = []
    seen: set[dt.datetime] = set()
    for a in slots:
        if a.slot.start in seen:
            continue  # a consultant is in one place at a time: one cell per start
        seen.add(a.slot.start)
        mine = tuple(by_start.pop(a.slot.start, ()))
        cells.append(
            CalendarCell(
                start=a.slot.start,
                end=a.slot.end,
                # A consultant holds one consultation at a time; a place has its seats.
                capacity=1 if consultant_id is not None else a.slot.capacity,
                held=len(mine) if consultant_id is not None else a.held,
                reservations=mine,
            )
        )
    for moment, rest in by_start.items():
        cells.append(
            CalendarCell(
                start=moment,
                end=rest[0].ends_at,
                capacity=0,
                held=len(rest),
                reservations=tuple(rest),
                in_timetable=False,
            )
        )
    cells.sort(key=lambda c: c.start)
    return cells


@dataclass(frozen=True)
class AbsenceCover:
    reservation: Reservation
    free_colleagues: tuple[User, ...]


def absence_cover_options(
    *, program: Program, consultant: User, day: dt.date
) -> list[AbsenceCover]:
    """Read-only twin of the list ``services.consultant_absence_mark`` returns: the
    absent consultant's confirmed bookings on ``day`` and, for each, the colleagues free
    to take it (same place on duty first, then off duty). Used to show the list again
    after a booking was reassigned, without recording the absence a second time."""
    begin = dt.datetime.combine(day, dt.time(0), tzinfo=_TOKYO)
    affected = list(
        Reservation.objects.filter(
            program=program,
            consultant=consultant,
            status=ReservationStatus.CONFIRMED,
            starts_at__gte=begin,
            starts_at__lt=begin + dt.timedelta(days=1),
        ).select_related("seeker", "service", "venue")
    )
    if not affected:
        return []
    colleagues = list(
        User.objects.filter(
            memberships__program=program, memberships__role=Role.CONSULTANT, is_active=True
        )
        .exclude(pk=consultant.pk)
        .distinct()
        .order_by("pk")
    )
    roster = roster_for(program, day, day)
    absent_today = set(
        ShiftException.objects.filter(day=day, kind=ExceptionKind.ABSENT).values_list(
            "consultant_id", flat=True
        )
    )
    # The colleagues' bookings over the whole span, read once (not once per booking).
    held = list(
        Reservation.objects.filter(
            consultant__in=colleagues,
            starts_at__lt=max(r.ends_at for r in affected),
            ends_at__gt=min(r.starts_at for r in affected),
        )
        .exclude(status=ReservationStatus.CANCELLED)
        .values_list("consultant_id", "starts_at", "ends_at")
    )
    options = []
    for reservation in affected:
        busy = {
            who
            for who, starts, ends in held
            if starts < reservation.ends_at and ends > reservation.starts_at
        }
        local_start = reservation.starts_at.astimezone(_TOKYO).time()
        local_end = reservation.ends_at.astimezone(_TOKYO).time()
        same_place: list[User] = []
        off_duty: list[User] = []
        for colleague in colleagues:
            if colleague.pk in busy or colleague.pk in absent_today:
                continue
            shifts = [
                s
                for s in roster.shifts
                if s.consultant_id == colleague.pk and s.start < local_end and local_start < s.end
            ]
            if not shifts:
                off_duty.append(colleague)
            elif all(
                s.venue_id == reservation.venue_id
                and (reservation.venue_id or s.service_id == reservation.service_id)
                for s in shifts
            ):
                same_place.append(colleague)
        options.append(
            AbsenceCover(reservation=reservation, free_colleagues=tuple(same_place + off_duty))
        )
    return options


def upcoming_reservations(*, seeker: Seeker, now: dt.datetime) -> QuerySet[Reservation]:
    """A seeker's confirmed bookings that have not started yet, soonest first."""
    return (
        Reservation.objects.filter(
            seeker=seeker, status=ReservationStatus.CONFIRMED, starts_at__gt=now
        )
        .select_related("service", "venue")
        .order_by("starts_at", "pk")
    )


def reservations_in_period(
    *, program: Program, start: dt.date, end: dt.date, seeker_id: int | None = None
) -> list[Reservation]:
    """The program's reservations (cancelled ones included) starting on ``start`` to
    ``end`` (inclusive, Japan time), in start order: one query, whatever their number."""
    since = dt.datetime.combine(start, dt.time.min, tzinfo=_TOKYO)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=_TOKYO)
    rows = Reservation.objects.filter(
        program=program, starts_at__gte=since, starts_at__lt=until
    ).select_related("service", "venue")
    if seeker_id is not None:
        if not storable_id(seeker_id):
            return []
        rows = rows.filter(seeker_id=seeker_id)
    return list(rows.order_by("starts_at", "id"))


def todays_consultations(
    programs: Iterable[Program], consultant: User | None, day: dt.date
) -> list[Reservation]:
    """The consultations (every method; cancelled ones left out) starting on ``day``
    (Japan time) in ``programs``, ``consultant``'s only unless ``None``, in start order.
    One query whatever their number: program, seeker, service, venue and consultant
    come with each, so ``reservation.video_url`` (the room link of a video
    consultation) and the seeker's phone need no further look-up."""
    since = dt.datetime.combine(day, dt.time.min, tzinfo=_TOKYO)
    until = since + dt.timedelta(days=1)
    program_ids = [p.pk for p in programs]
    if not program_ids:
        return []
    rows = (
        Reservation.objects.filter(
            program_id__in=program_ids, starts_at__gte=since, starts_at__lt=until
        )
        .exclude(status=ReservationStatus.CANCELLED)
        .select_related("program", "seeker", "service", "venue", "consultant")
    )
    if consultant is not None:
        rows = rows.filter(consultant=consultant)
    return list(rows.order_by("starts_at", "id"))
