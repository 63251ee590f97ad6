"""The phone booking screens for reception (find or register → slot → confirm), built
for a caller on the line: at most three screens, keyboard-friendly, with the sentence
to read back."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from secondcareer.booking.forms import (
    BookingForm,
    PlaceForm,
    SeekerRegisterForm,
    SeekerSearchForm,
)
from secondcareer.booking.models import Channel, Topic
from secondcareer.booking.selectors import (
    Availability,
    free_slots,
    upcoming_reservations,
)
from secondcareer.booking.services import (
    reservation_create,
)
from secondcareer.booking.staff_views.common import (
    SEARCH_LIMIT,
    SLOT_DAYS,
    _alternatives,
    _booking_program,
    _context,
    _local,
    _reservation,
    _slot_groups,
    _url,
    read_back,
)
from secondcareer.core.audit import audit_record_view, audit_records_listed
from secondcareer.core.errors import DomainError
from secondcareer.core.inputs import parse_iso_date
from secondcareer.core.jpcalendar import format_date_ja, format_datetime_ja, format_wareki
from secondcareer.people.models import Seeker, User
from secondcareer.people.selectors import seeker_search
from secondcareer.people.services import ConsentInput, seeker_register
from secondcareer.programs.choices import Method
from secondcareer.programs.models import Program, Service, Venue

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
    audit_records_listed(request, results, program_slug=program.slug, note="search")
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
        day = parse_iso_date(query.get("from", ""), field="from")  # out of range: 422
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
    audit_record_view(request, seeker, program_slug=program.slug)
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
