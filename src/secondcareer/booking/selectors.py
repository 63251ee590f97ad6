"""Availability: the program's slots (from scheduling) minus the seats already held."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from secondcareer.booking.models import Reservation, ReservationStatus
from secondcareer.core.errors import DomainError
from secondcareer.programs.models import Program, Service, Venue
from secondcareer.scheduling.selectors import program_calendar, roster_for
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
            f"事業「{slug}」は登録されていません。",
            code="not_found",
            status=404,
            field_errors={"program": ["登録されている事業を指定してください。"]},
        )
    return program


def get_service(program: Program, code: str) -> Service:
    service = Service.objects.filter(program=program, code=code).first()
    if service is None:
        codes = ", ".join(Service.objects.filter(program=program).values_list("code", flat=True))
        raise DomainError(
            f"相談サービス「{code}」はこの事業にありません（{codes}）。",
            code="invalid",
            status=422,
            field_errors={"service": [f"次のいずれかを指定してください: {codes}"]},
        )
    return service


def get_venue(program: Program, ref: str) -> Venue:
    """A venue by code or by its Japanese name."""
    venue = (
        Venue.objects.filter(program=program, code=ref).first()
        or Venue.objects.filter(program=program, name=ref).first()
    )
    if venue is None:
        raise DomainError(
            f"会場「{ref}」はこの事業にありません。",
            code="invalid",
            status=422,
            field_errors={"venue": ["会場の識別子または名称を指定してください。"]},
        )
    return venue


def held_seats(
    program: Program, start: dt.datetime, end: dt.datetime
) -> Counter[tuple[int, int | None, dt.datetime]]:
    """Non-cancelled reservations per (service, venue, start) between two instants."""
    rows = (
        Reservation.objects.filter(program=program, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=ReservationStatus.CANCELLED)
        .values("service_id", "venue_id", "starts_at")
        .annotate(n=Count("id"))
    )
    return Counter({(r["service_id"], r["venue_id"], r["starts_at"]): r["n"] for r in rows})


def availability(
    *,
    program: Program,
    service_code: str | None,
    start: dt.date,
    end: dt.date,
    venue: Venue | None = None,
) -> list[Availability]:
    """Slots of ``program`` between two dates (inclusive) with their free seats."""
    calendar = program_calendar(program)
    roster = roster_for(program, start, end)
    slots = generate_slots(
        calendar,
        start,
        end,
        roster=roster,
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
    """The free slots closest in time to ``around`` (for a polite 満席 answer)."""
    local = around.astimezone(dt.timezone(dt.timedelta(hours=9)))
    start = max(local.date() - dt.timedelta(days=days), (not_before or around).date())
    free = [
        a
        for a in availability(
            program=program,
            service_code=service.code,
            start=start,
            end=local.date() + dt.timedelta(days=days),
            venue=venue,
        )
        if a.free > 0
        and a.slot.start != around
        and (not_before is None or a.slot.start >= not_before)
    ]
    free.sort(key=lambda a: (abs((a.slot.start - around).total_seconds()), a.slot.start))
    return sorted(free[:limit], key=lambda a: a.slot.start)
