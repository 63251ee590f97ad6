"""Staff booking screens: the index and the day/week calendar per venue and consultant."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from secondcareer.booking.forms import (
    CalendarForm,
    staff_name,
)
from secondcareer.booking.models import ReservationStatus
from secondcareer.booking.selectors import (
    CalendarCell,
    calendar_cells,
)
from secondcareer.booking.staff_views.common import (
    BOOKING_PERM,
    SEEKER_PERM,
    _booking_program,
    _context,
    _local,
    _may_mark_absence,
    _roles,
    _url,
)
from secondcareer.core.audit import audit_records_listed
from secondcareer.core.jpcalendar import format_date_ja
from secondcareer.people.access import (
    has_program_perm,
    programs_with_perm,
    roles_in_every_program,
)
from secondcareer.people.models import Role, User
from secondcareer.programs.models import Program

# --- Index ------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The programs where the user may book, with the screens of each."""
    programs = list(programs_with_perm(request.user, BOOKING_PERM).order_by("slug"))
    if not programs:
        raise PermissionDenied
    roles_in_every_program(request.user)  # one query, not one per program listed
    rows = [{"program": p, "can_mark_absence": _may_mark_absence(request, p)} for p in programs]
    return render(request, "booking/staff/index.html", {"rows": rows})


# --- 1. Calendar --------------------------------------------------------------------------


def _calendar_days(
    cells: list[CalendarCell], start: dt.date, end: dt.date, *, show_names: bool, program: Program
) -> list[dict[str, Any]]:
    today = timezone.localdate()
    days: dict[dt.date, dict[str, Any]] = {}
    day = start
    while day <= end:
        days[day] = {
            "date": day,
            "label": format_date_ja(day),
            "is_today": day == today,
            "cells": [],
        }
        day += dt.timedelta(days=1)
    for cell in cells:
        local = _local(cell.start)
        bookings = [
            {
                "name": r.seeker.full_name if show_names else "",
                "url": reverse("booking_staff:reservation_detail", args=[program.slug, r.pk]),
                "status": r.get_status_display() if r.status != ReservationStatus.CONFIRMED else "",
                "consultant": staff_name(r.consultant) if r.consultant else "",
                "place": r.venue.name if r.venue else r.get_method_display(),
            }
            for r in cell.reservations
        ]
        days[local.date()]["cells"].append(
            {
                "time": f"{local:%H:%M}",
                "end": f"{_local(cell.end):%H:%M}",
                "cell": cell,
                "bookings": bookings,
            }
        )
    return list(days.values())


@login_required
@require_GET
def calendar(request: HttpRequest, program: str) -> HttpResponse:
    """Day or week calendar of one venue, remote service or consultant."""
    current = _booking_program(request, program)
    is_consultant = Role.CONSULTANT in _roles(request, current)
    form = CalendarForm(
        request.GET,
        program=current,
        default_consultant=cast(User, request.user) if is_consultant else None,
    )
    form.is_valid()  # an invalid field falls back to its default; the form shows why
    data = form.cleaned_data
    # A date outside core.inputs' range (year 9999…) is refused, not stepped through.
    refused = form.has_error("date", "out_of_range")
    view = data.get("view") or "day"
    day = data.get("date") or timezone.localdate()
    key = data.get("target") or next(iter(form.targets), "")
    target = form.targets.get(key)
    if view == "week":
        start = day - dt.timedelta(days=day.weekday())
        end = start + dt.timedelta(days=6)
        step = dt.timedelta(days=7)
    else:
        start = end = day
        step = dt.timedelta(days=1)
    cells = (
        calendar_cells(
            program=current,
            start=start,
            end=end,
            service=target.service,
            venue=target.venue,
            consultant_id=target.consultant.pk if target.consultant else None,
        )
        if target
        else []
    )
    show_names = has_program_perm(request.user, current, SEEKER_PERM)
    if show_names:
        audit_records_listed(
            request,
            [r.seeker for cell in cells for r in cell.reservations],
            program_slug=current.slug,
            note="calendar",
        )

    def link(**changes: Any) -> str:
        query = {"view": view, "date": day.isoformat(), "target": key, **changes}
        return _url("calendar", current.slug, **query)

    title = (
        _("%(date)sの予約") % {"date": format_date_ja(start)}
        if view == "day"
        else _("%(start)s〜%(end)sの予約")
        % {"start": format_date_ja(start), "end": format_date_ja(end)}
    )
    return render(
        request,
        "booking/staff/calendar.html",
        _context(
            request,
            current,
            form=form,
            view=view,
            title=title,
            target=target,
            target_key=key,
            days=_calendar_days(cells, start, end, show_names=show_names, program=current),
            show_names=show_names,
            prev_url=link(date=(day - step).isoformat()),
            next_url=link(date=(day + step).isoformat()),
            today_url=link(date=timezone.localdate().isoformat()),
            day_url=link(view="day"),
            week_url=link(view="week"),
        ),
        status=422 if refused else 200,
    )
