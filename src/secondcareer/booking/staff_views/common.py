"""Shared by the staff booking screens: program access (404 where the user has no role,
403 for a role that does not book), the template context and presentation helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from secondcareer.booking.forms import (
    slot_value,
)
from secondcareer.booking.models import Reservation
from secondcareer.booking.selectors import (
    Availability,
)
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO, format_date_ja, format_datetime_ja
from secondcareer.people.access import (
    program_or_404,
    program_roles,
    programs_with_perm,
)
from secondcareer.people.models import Role, User
from secondcareer.programs.choices import Method
from secondcareer.programs.models import Program

# The booking screens are for the roles that book for callers: reception, consultants,
# managers (booking's own permission, granted in BookingConfig.ready).
BOOKING_PERM = "booking.add_reservation"
SEEKER_PERM = "people.view_seeker"
SLOT_DAYS = 14  # how far ahead the phone screen offers free slots
SEARCH_LIMIT = 20


# --- Access -----------------------------------------------------------------------------


def _booking_program(request: HttpRequest, slug: str) -> Program:
    """The program of the URL if the user may use the booking screens in it."""
    return program_or_404(request.user, slug, BOOKING_PERM)


def _absence_program(request: HttpRequest, slug: str) -> tuple[Program, User | None]:
    """The program, and whose absences the user may record: a manager anyone's
    (``None``), a consultant only their own. Reception gets 403."""
    program = _booking_program(request, slug)
    roles = _roles(request, program)
    if Role.MANAGER in roles:
        return program, None
    if Role.CONSULTANT in roles:
        return program, cast(User, request.user)
    raise PermissionDenied


def _may_mark_absence(request: HttpRequest, program: Program) -> bool:
    return bool(_roles(request, program) & {Role.MANAGER, Role.CONSULTANT})


def _roles(request: HttpRequest, program: Program) -> frozenset[str]:
    return program_roles(request.user, program)


def _reservation(program: Program, pk: int) -> Reservation:
    return get_object_or_404(
        Reservation.objects.select_related("seeker", "service", "venue", "consultant", "kind"),
        pk=pk,
        program=program,
    )


def _context(request: HttpRequest, program: Program, **extra: Any) -> dict[str, Any]:
    """What every staff booking page shows: the program and the user's other programs
    where they may book (the program switcher)."""
    others = programs_with_perm(request.user, BOOKING_PERM).exclude(pk=program.pk)
    return {
        "program": program,
        "other_programs": others.order_by("slug"),
        "can_mark_absence": _may_mark_absence(request, program),
        **extra,
    }


# --- Presentation helpers -----------------------------------------------------------------


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(TOKYO)


def read_back(reservation: Reservation) -> str:
    """The sentence reception reads back to the caller, as one translatable sentence."""
    seeker = reservation.seeker
    values = {
        "name": f"{seeker.family_name}{seeker.given_name}",
        "when": format_datetime_ja(_local(reservation.starts_at)),
    }
    if reservation.venue is not None:
        return _(
            "%(name)s様、%(when)sから、%(venue)sでのご相談を承りました。"
            "当日は利用者カードをお持ちください。"
        ) % {**values, "venue": reservation.venue.name}
    values |= {"method": str(Method(reservation.method).label), "service": reservation.service.name}
    if reservation.method == Method.PHONE:
        return _(
            "%(name)s様、%(when)sから、%(method)sでの%(service)sを承りました。"
            "当日は、ご登録の電話番号（%(phone)s）にご連絡します。"
        ) % {**values, "phone": seeker.phone}
    return _("%(name)s様、%(when)sから、%(method)sでの%(service)sを承りました。") % values


def _slot_groups(slots: list[Availability]) -> list[dict[str, Any]]:
    """Free slots grouped by day, as radio choices."""
    groups: list[dict[str, Any]] = []
    for a in slots:
        start = _local(a.slot.start)
        if not groups or groups[-1]["date"] != start.date():
            groups.append(
                {"date": start.date(), "label": format_date_ja(start.date()), "slots": []}
            )
        groups[-1]["slots"].append(
            {
                "value": slot_value(a.slot.start),
                "time": f"{start:%H:%M}",
                "end": f"{_local(a.slot.end):%H:%M}",
                "free": a.free,
            }
        )
    return groups


def _alternatives(error: DomainError) -> list[dict[str, str]]:
    """The nearest free slots a ``full`` error carries, as radio choices."""
    choices = []
    for alternative in error.details.get("alternatives", []):
        start = dt.datetime.fromisoformat(alternative["start"])
        choices.append(
            {
                "value": slot_value(start),
                "label": format_datetime_ja(_local(start)),
                "venue": alternative.get("venue") or "",
            }
        )
    return choices


def _key(reservation: Reservation) -> tuple[int, int | None, dt.datetime]:
    """The (service, venue, start) of a booking, comparable with ``Slot.key``."""
    return (reservation.service_id, reservation.venue_id, reservation.starts_at)


def _url(name: str, *args: Any, **query: Any) -> str:
    url = reverse(f"booking_staff:{name}", args=args)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url
