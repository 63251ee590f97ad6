"""A reservation's page and its actions: cancel, attended/no-show, reschedule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secondcareer.booking.forms import (
    CancelForm,
    OutcomeForm,
    RescheduleForm,
    staff_name,
)
from secondcareer.booking.models import Channel, Reservation, ReservationStatus
from secondcareer.booking.selectors import (
    free_slots,
)
from secondcareer.booking.services import (
    reservation_cancel,
    reservation_mark_attended,
    reservation_mark_no_show,
    reservation_reschedule,
)
from secondcareer.booking.staff_views.common import (
    SLOT_DAYS,
    _alternatives,
    _booking_program,
    _context,
    _key,
    _local,
    _reservation,
    _slot_groups,
    read_back,
)
from secondcareer.core.audit import audit_record_view
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import format_datetime_ja
from secondcareer.programs.choices import Method
from secondcareer.programs.models import Program

# --- 3. Reservation detail and actions ----------------------------------------------------


def _render_detail(
    request: HttpRequest,
    program: Program,
    reservation: Reservation,
    *,
    cancel_form: CancelForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    started = reservation.starts_at <= now
    # Every showing of the page is audited, also the re-shown page of a refused action.
    audit_record_view(request, reservation.seeker, program_slug=program.slug)
    return render(
        request,
        "booking/staff/reservation_detail.html",
        _context(
            request,
            program,
            reservation=reservation,
            when=format_datetime_ja(_local(reservation.starts_at)),
            until=f"{_local(reservation.ends_at):%H:%M}",
            consultant=staff_name(reservation.consultant) if reservation.consultant else "",
            can_change=reservation.status == ReservationStatus.CONFIRMED and not started,
            can_mark=started
            and reservation.status
            in (ReservationStatus.CONFIRMED, ReservationStatus.ATTENDED, ReservationStatus.NO_SHOW),
            cancel_form=cancel_form or CancelForm(),
            error=error,
            video_url=program.video_room_link(reservation.video_room)
            if reservation.method == Method.VIDEO
            else "",
        ),
        status=status,
    )


@login_required
@require_GET
def reservation_detail(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    current = _booking_program(request, program)
    reservation = _reservation(current, pk)
    return _render_detail(request, current, reservation)


@login_required
@require_POST
def reservation_cancel_view(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    current = _booking_program(request, program)
    reservation = _reservation(current, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, current, reservation, cancel_form=form, status=200)
    try:
        reservation_cancel(reservation=reservation, channel=Channel.STAFF, actor=request.user)
    except DomainError as error:
        return _render_detail(
            request, current, reservation, error=error.message, status=error.status
        )
    messages.success(request, _("予約を取り消しました。空いた枠はすぐに予約できます。"))
    return redirect("booking_staff:reservation_detail", current.slug, reservation.pk)


@login_required
@require_POST
def reservation_outcome(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    """Record that the seeker came, or did not (only once the slot has started)."""
    current = _booking_program(request, program)
    reservation = _reservation(current, pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _render_detail(
            request, current, reservation, error=_("記録する内容を選んでください。"), status=400
        )
    mark = (
        reservation_mark_attended
        if form.cleaned_data["outcome"] == "attended"
        else reservation_mark_no_show
    )
    try:
        mark(reservation=reservation, actor=request.user)
    except DomainError as error:
        return _render_detail(
            request, current, reservation, error=error.message, status=error.status
        )
    messages.success(
        request,
        _("「%(status)s」として記録しました。") % {"status": reservation.get_status_display()},
    )
    return redirect("booking_staff:reservation_detail", current.slug, reservation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def reservation_reschedule_view(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    """Move a booking to another free slot (atomic: the old one stays if the new slot
    is taken meanwhile)."""
    current = _booking_program(request, program)
    reservation = _reservation(current, pk)
    venue = reservation.venue
    if request.method == "POST":
        form = RescheduleForm(request.POST, service=reservation.service)
    else:
        # GET ?venue=… shows another venue's free slots; the form is not submitted yet.
        venue = reservation.service.venues.filter(code=request.GET.get("venue")).first() or venue
        form = RescheduleForm(
            service=reservation.service, initial={"venue": venue.code if venue else None}
        )
    status = 200
    full = False
    alternatives: list[dict[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            moved = reservation_reschedule(
                reservation=reservation,
                start=form.cleaned_data["start"],
                venue=form.cleaned_data["venue"],
                channel=Channel.STAFF,
                actor=request.user,
            )
        except DomainError as error:
            status = error.status
            if error.code == "full":
                full, alternatives = True, _alternatives(error)
            else:
                form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("予約を変更しました。ご本人に次のとおりお伝えください: %(sentence)s")
                % {"sentence": read_back(moved)},
            )
            return redirect("booking_staff:reservation_detail", current.slug, moved.pk)
    if form.is_bound:
        venue = form.cleaned_data.get("venue") or venue
    slots = (
        free_slots(
            program=current,
            service=reservation.service,
            venue=venue,
            start=timezone.localdate(),
            days=SLOT_DAYS,
            now=timezone.now(),
        )
        if reservation.status == ReservationStatus.CONFIRMED
        else []
    )
    audit_record_view(request, reservation.seeker, program_slug=current.slug)
    return render(
        request,
        "booking/staff/reservation_reschedule.html",
        _context(
            request,
            current,
            reservation=reservation,
            when=format_datetime_ja(_local(reservation.starts_at)),
            form=form,
            venue=venue,
            groups=_slot_groups([a for a in slots if a.slot.key != _key(reservation)]),
            full=full,
            alternatives=alternatives,
        ),
        status=status,
    )
