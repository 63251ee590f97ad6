"""Marking a consultant absent, and reassigning the affected bookings to colleagues free
to cover them (Saitama ア(ア)d(b))."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from secondcareer.booking.forms import (
    AbsenceForm,
    ReassignForm,
    staff_name,
)
from secondcareer.booking.selectors import (
    absence_cover_options,
)
from secondcareer.booking.services import (
    consultant_absence_mark,
    reservation_reassign,
)
from secondcareer.booking.staff_views.common import (
    _absence_program,
    _context,
    _local,
    _reservation,
    _url,
)
from secondcareer.core.audit import audit_record_view, audit_records_listed
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import format_date_ja, format_datetime_ja
from secondcareer.people.models import User
from secondcareer.programs.models import Program

# --- 4. Absence and cover -----------------------------------------------------------------


def _cover_rows(options: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "reservation": o.reservation,
            "when": format_datetime_ja(_local(o.reservation.starts_at)),
            "place": o.reservation.venue.name
            if o.reservation.venue
            else f"{o.reservation.service.name}（{o.reservation.get_method_display()}）",
            "colleagues": [{"user": c, "name": staff_name(c)} for c in o.free_colleagues],
        }
        for o in options
    ]


def _render_absence(
    request: HttpRequest,
    program: Program,
    form: AbsenceForm,
    *,
    absent: User | None = None,
    day: dt.date | None = None,
    options: list[Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    audit_records_listed(
        request,
        [option.reservation.seeker for option in options or []],
        program_slug=program.slug,
        note="absence",
    )
    return render(
        request,
        "booking/staff/absence.html",
        _context(
            request,
            program,
            form=form,
            absent=absent,
            absent_name=staff_name(absent) if absent else "",
            day=day,
            day_label=format_date_ja(day) if day else "",
            rows=_cover_rows(options or []),
            error=error,
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def absence(request: HttpRequest, program: str) -> HttpResponse:
    """Mark a consultant absent for a day; list their bookings that day with the
    colleagues free to take each one."""
    current, only = _absence_program(request, program)
    if request.method == "POST":
        form = AbsenceForm(request.POST, program=current, only=only)
        if not form.is_valid():
            return _render_absence(request, current, form)
        absent, day = form.cleaned_data["consultant"], form.cleaned_data["day"]
        options = consultant_absence_mark(
            program=current,
            consultant=absent,
            day=day,
            actor=request.user,
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            _("%(name)sさんの%(day)sの不在を登録しました。")
            % {"name": staff_name(absent), "day": format_date_ja(day)},
        )
        return _render_absence(request, current, form, absent=absent, day=day, options=options)
    # GET: the form, and (after a reassignment) the bookings still to cover.
    initial = {"day": timezone.localdate(), "consultant": only}
    if "consultant" not in request.GET:
        return _render_absence(
            request, current, AbsenceForm(program=current, only=only, initial=initial)
        )
    form = AbsenceForm(request.GET, program=current, only=only)
    if not form.is_valid():
        return _render_absence(request, current, form)
    absent, day = form.cleaned_data["consultant"], form.cleaned_data["day"]
    covers = absence_cover_options(program=current, consultant=absent, day=day)
    return _render_absence(request, current, form, absent=absent, day=day, options=covers)


@login_required
@require_POST
def absence_reassign(request: HttpRequest, program: str) -> HttpResponse:
    """Give one of the absent consultant's bookings to a free colleague."""
    current, only = _absence_program(request, program)
    form = ReassignForm(request.POST, program=current)
    if not form.is_valid():
        raise Http404
    reservation = _reservation(current, form.cleaned_data["reservation"])
    absent = reservation.consultant
    if absent is None or (only is not None and absent.pk != only.pk):
        raise PermissionDenied
    day = _local(reservation.starts_at).date()
    back = _url("absence", current.slug, consultant=absent.pk, day=day.isoformat())
    colleague = form.cleaned_data["consultant"]
    try:
        reservation_reassign(reservation=reservation, consultant=colleague, actor=request.user)
    except DomainError as error:
        again = AbsenceForm({"consultant": absent.pk, "day": day}, program=current, only=only)
        again.is_valid()
        options = absence_cover_options(program=current, consultant=absent, day=day)
        return _render_absence(
            request,
            current,
            again,
            absent=absent,
            day=day,
            options=options,
            error=error.message,
            status=error.status,
        )
    # The next page shows the seeker's name in this message.
    audit_record_view(request, reservation.seeker, program_slug=current.slug)
    messages.success(
        request,
        _("%(when)sの%(seeker)s様の予約を、%(name)sさんに引き継ぎました。")
        % {
            "when": format_datetime_ja(_local(reservation.starts_at)),
            "seeker": reservation.seeker.full_name,
            "name": staff_name(colleague),
        },
    )
    return redirect(back)
