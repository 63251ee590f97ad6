"""Staff booking screens: the calendar, phone booking, reservation actions, absences.

Every view starts with :func:`_booking_program` (or :func:`_absence_program`): the
program of the URL, 404 where the user has no role (ids cannot be probed), 403 for a
role that does not book (job developers, the municipality). Then one form, one service
or selector, one template. A service's :class:`DomainError` is shown on the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secondcareer.booking.forms import (
    AbsenceForm,
    BookingForm,
    CalendarForm,
    CancelForm,
    OutcomeForm,
    PlaceForm,
    ReassignForm,
    RescheduleForm,
    SeekerRegisterForm,
    SeekerSearchForm,
    slot_value,
    staff_name,
)
from secondcareer.booking.models import Channel, Reservation, ReservationStatus, Topic
from secondcareer.booking.selectors import (
    Availability,
    CalendarCell,
    absence_cover_options,
    calendar_cells,
    free_slots,
    upcoming_reservations,
)
from secondcareer.booking.services import (
    consultant_absence_mark,
    reservation_cancel,
    reservation_create,
    reservation_mark_attended,
    reservation_mark_no_show,
    reservation_reassign,
    reservation_reschedule,
)
from secondcareer.core.audit import audit_record_view
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import format_date_ja, format_datetime_ja, format_wareki
from secondcareer.people.access import has_program_perm, programs_of, programs_with_perm
from secondcareer.people.models import Membership, Role, Seeker, User
from secondcareer.people.selectors import seeker_search
from secondcareer.people.services import ConsentInput, seeker_register
from secondcareer.programs.choices import Method
from secondcareer.programs.models import Program, Service, Venue
from secondcareer.scheduling.slots import TOKYO

# The booking screens are for the roles that book for callers: reception, consultants,
# managers. Until booking has permissions of its own (see the report of issue 3), the
# permission that exactly those roles hold is registering seekers.
BOOKING_PERM = "booking.add_reservation"
SEEKER_PERM = "people.view_seeker"
SLOT_DAYS = 14  # how far ahead the phone screen offers free slots
SEARCH_LIMIT = 20


# --- Access -----------------------------------------------------------------------------


def _booking_program(request: HttpRequest, slug: str) -> Program:
    """The program of the URL if the user may use the booking screens in it."""
    program = programs_of(request.user).filter(slug=slug).first()
    if program is None:
        raise Http404
    if not has_program_perm(request.user, program, BOOKING_PERM):
        raise PermissionDenied
    return program


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


def _roles(request: HttpRequest, program: Program) -> set[str]:
    user = cast(User, request.user)  # login_required
    return set(Membership.objects.filter(user=user, program=program).values_list("role", flat=True))


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


# --- Index ------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The programs where the user may book, with the screens of each."""
    programs = list(programs_with_perm(request.user, BOOKING_PERM).order_by("slug"))
    if not programs:
        raise PermissionDenied
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
    )


# --- 2. Phone booking -------------------------------------------------------------------


def _search_rows(seekers: list[Seeker]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {
            "seeker": s,
            "birth": format_wareki(s.birth_date),
            "age": s.age_on(today),
            "phone_tail": s.phone_digits[-4:],
        }
        for s in seekers
    ]


def _render_find(
    request: HttpRequest,
    program: Program,
    register: SeekerRegisterForm,
    *,
    status: int = 200,
) -> HttpResponse:
    search = SeekerSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    results = (
        list(seeker_search(user=request.user, query=query, program_id=program.pk)[:SEARCH_LIMIT])
        if query.strip()
        else []
    )
    return render(
        request,
        "booking/staff/phone_find.html",
        _context(
            request,
            program,
            search=search,
            query=query,
            results=_search_rows(results),
            register=register,
            open_register=bool(register.errors) or (query.strip() != "" and not results),
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def phone_find(request: HttpRequest, program: str) -> HttpResponse:
    """Screen 1: find the caller (name, furigana, phone, card number) or register them."""
    current = _booking_program(request, program)
    if request.method != "POST":
        return _render_find(request, current, SeekerRegisterForm(program=current))
    register = SeekerRegisterForm(request.POST, program=current)
    if not register.is_valid():
        return _render_find(request, current, register)
    data = register.cleaned_data
    try:
        seeker = seeker_register(
            program=current,
            actor=cast(User, request.user),
            channel="phone",
            family_name=data["family_name"],
            given_name=data["given_name"],
            family_name_kana=data["family_name_kana"],
            given_name_kana=data["given_name_kana"],
            birth_date=data["birth_date"],
            phone=data["phone"],
            postal_code=data["postal_code"],
            address=data["address"],
            area=data["area"],
            consents=[ConsentInput(kind="privacy", version="1", method="verbal_phone")],
        )
    except DomainError as error:
        register.add_domain_error(error)
        return _render_find(request, current, register, status=error.status)
    messages.success(
        request,
        _("%(name)s様を登録しました。利用者カード番号は %(card)s です。")
        % {"name": seeker.full_name, "card": seeker.card_number},
    )
    return redirect("booking_staff:phone_slots", current.slug, seeker.pk)


def _default_place(program: Program, seeker: Seeker, query: Any) -> dict[str, str]:
    """Preselect the only service, and the venue in the caller's area (or the only
    venue), so that the common call needs no extra step."""
    data = {k: query.get(k) for k in ("service", "venue") if query.get(k)}
    services = list(Service.objects.filter(program=program).order_by("pk"))
    if "service" not in data and len(services) == 1:
        data["service"] = services[0].code
    service = next((s for s in services if s.code == data.get("service")), None)
    if service is not None and service.delivery == "venue" and "venue" not in data:
        venues = list(service.venues.order_by("pk"))
        local = [v for v in venues if seeker.area_id and v.area_id == seeker.area_id]
        if local or len(venues) == 1:
            data["venue"] = (local or venues)[0].code
    return data


def _from_day(query: Any) -> dt.date:
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(query.get("from", ""))
    except ValueError:
        return today
    return max(day, today)


@login_required
@require_GET
def phone_slots(request: HttpRequest, program: str, seeker: int) -> HttpResponse:
    """Screen 2: the service (and venue), then a free slot of the next two weeks."""
    current = _booking_program(request, program)
    caller = get_object_or_404(Seeker.objects.select_related("area"), pk=seeker, program=current)
    data = _default_place(current, caller, request.GET)
    place = PlaceForm(data or None, program=current)
    start = _from_day(request.GET)
    slots: list[Availability] = []
    booking = BookingForm(program=current, initial={"topic": request.GET.get("topic", "")})
    chosen: Service | None = None
    venue: Venue | None = None
    if not place.is_bound:
        place.fields["service"].widget.attrs["autofocus"] = True
    if place.is_valid():
        chosen, venue = place.cleaned_data["service"], place.cleaned_data["venue"]
        booking.limit_to(chosen)
        slots = free_slots(
            program=current,
            service=chosen,
            venue=venue,
            start=start,
            days=SLOT_DAYS,
            now=timezone.now(),
        )
    audit_record_view(request, caller, program_slug=current.slug)
    upcoming = upcoming_reservations(seeker=caller, now=timezone.now())
    place_query = {
        "service": chosen.code if chosen else "",
        "venue": venue.code if venue else "",
    }
    last = start + dt.timedelta(days=SLOT_DAYS - 1)
    return render(
        request,
        "booking/staff/phone_slots.html",
        _context(
            request,
            current,
            seeker=caller,
            seeker_birth=format_wareki(caller.birth_date),
            seeker_age=caller.age_on(timezone.localdate()),
            place=place,
            service=chosen,
            venue=venue,
            booking=booking,
            chosen_method=request.GET.get("method", ""),
            groups=_slot_groups(slots),
            period=_("%(start)s〜%(end)s")
            % {"start": format_date_ja(start), "end": format_date_ja(last)},
            next_url=_url(
                "phone_slots",
                current.slug,
                caller.pk,
                **place_query,
                **{"from": (start + dt.timedelta(days=SLOT_DAYS)).isoformat()},
            ),
            prev_url=(
                _url(
                    "phone_slots",
                    current.slug,
                    caller.pk,
                    **place_query,
                    **{"from": (start - dt.timedelta(days=SLOT_DAYS)).isoformat()},
                )
                if start > timezone.localdate()
                else ""
            ),
            upcoming=[
                {"reservation": r, "when": format_datetime_ja(_local(r.starts_at))}
                for r in upcoming
            ],
        ),
    )


def _render_confirm(
    request: HttpRequest,
    program: Program,
    seeker: Seeker,
    form: BookingForm,
    *,
    alternatives: list[dict[str, str]] | None = None,
    full: bool = False,
    status: int = 200,
) -> HttpResponse:
    form.is_valid()  # a form the service refused keeps its cleaned data
    data = getattr(form, "cleaned_data", {})
    summary: dict[str, Any] = {}
    if data.get("service") and data.get("start"):
        topics = dict(Topic.choices)
        summary = {
            "service": data["service"],
            "venue": data.get("venue"),
            "method": Method(data["method"]).label if data.get("method") else "",
            "kind": data.get("kind"),
            "topic": topics.get(data.get("topic") or "", ""),
            "when": format_datetime_ja(_local(data["start"])),
        }
    back = _url(
        "phone_slots",
        program.slug,
        seeker.pk,
        service=form.data.get("service", ""),
        venue=form.data.get("venue", ""),
        method=form.data.get("method", ""),
        topic=form.data.get("topic", ""),
    )
    return render(
        request,
        "booking/staff/phone_confirm.html",
        _context(
            request,
            program,
            seeker=seeker,
            form=form,
            summary=summary,
            full=full,
            alternatives=alternatives or [],
            back_url=back,
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def phone_confirm(request: HttpRequest, program: str, seeker: int) -> HttpResponse:
    """Screen 3: confirm and book. A slot taken meanwhile offers the nearest free ones
    without losing what was entered."""
    current = _booking_program(request, program)
    caller = get_object_or_404(Seeker, pk=seeker, program=current)
    if request.method != "POST":
        form = BookingForm(request.GET, program=current)
        return _render_confirm(request, current, caller, form, status=200)
    form = BookingForm(request.POST, program=current)
    if not form.is_valid():
        return _render_confirm(request, current, caller, form)
    data = form.cleaned_data
    try:
        reservation = reservation_create(
            program=current,
            seeker=caller,
            service=data["service"],
            venue=data["venue"],
            start=data["start"],
            method=data["method"],
            kind=data["kind"],
            topic=data["topic"],
            channel=Channel.PHONE,
            actor=request.user,
        )
    except DomainError as error:
        if error.code == "full":
            return _render_confirm(
                request,
                current,
                caller,
                form,
                full=True,
                alternatives=_alternatives(error),
                status=error.status,
            )
        form.add_domain_error(error)
        return _render_confirm(request, current, caller, form, status=error.status)
    return redirect("booking_staff:phone_done", current.slug, reservation.pk)


@login_required
@require_GET
def phone_done(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    """The result: the sentence to read back to the caller."""
    current = _booking_program(request, program)
    reservation = _reservation(current, pk)
    audit_record_view(request, reservation.seeker, program_slug=current.slug)
    return render(
        request,
        "booking/staff/phone_done.html",
        _context(request, current, reservation=reservation, read_back=read_back(reservation)),
    )


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
        ),
        status=status,
    )


@login_required
@require_GET
def reservation_detail(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    current = _booking_program(request, program)
    reservation = _reservation(current, pk)
    audit_record_view(request, reservation.seeker, program_slug=current.slug)
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
