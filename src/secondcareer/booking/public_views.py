"""The public web booking for seekers (``/book/``): choose a service (and venue), a
date and a time, enter name, birth date and phone, confirm, and get a confirmation
with a cancel link.

Plain HTML forms that work without JavaScript. Choices that are not personal data
(service, venue, date, time) travel in the query string; everything after that is
POSTed and kept in the session, never put in a URL. A seeker who has registered before
(same phone, birth date and furigana) is recognised instead of registered twice.
The POST that books is rate limited per client address and per phone number
(:mod:`secondcareer.booking.ratelimit`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from secondcareer.booking import ratelimit
from secondcareer.booking.models import Channel, Reservation, ReservationStatus
from secondcareer.booking.selectors import (
    Availability,
    availability,
    get_program,
    get_service,
    get_venue,
)
from secondcareer.booking.services import (
    booking_policy,
    reservation_book_from_web,
    reservation_cancel,
)
from secondcareer.core.errors import DomainError
from secondcareer.core.inputs import parse_iso_date, parse_iso_datetime, validate_person_name
from secondcareer.core.jpcalendar import TOKYO, format_date_ja, format_wareki, year_label
from secondcareer.core.text import is_kana, to_katakana
from secondcareer.people.phones import InvalidPhone, normalize_phone, phone_digits
from secondcareer.programs.choices import Method
from secondcareer.programs.models import Program, Service, Venue

SESSION_KEY = "public_booking"
DONE_KEY = "public_booking_done"
SESSION_SECONDS = 60 * 60  # personal data stays at most an hour in an anonymous session
DATES_PER_PAGE = 10
PRIVACY_VERSION = "1"

STEPS = (
    gettext_lazy("相談の種類"),
    gettext_lazy("日にち"),
    gettext_lazy("時間"),
    gettext_lazy("お名前など"),
    gettext_lazy("確認"),
)


# --- Helpers -------------------------------------------------------------------------------


def _page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    step: int | None = None,
    status: int = 200,
) -> HttpResponse:
    if step is not None:
        context["steps"] = [
            {"number": i, "label": label, "current": i == step, "done": i < step}
            for i, label in enumerate(STEPS, start=1)
        ]
        context["step"] = step
        context["step_count"] = len(STEPS)
    return render(request, f"booking/public/{template}", context, status=status)


def _not_found(request: HttpRequest, program: Program | None = None) -> HttpResponse:
    return _page(request, "not_found.html", {"program": program}, status=404)


@dataclass(frozen=True)
class Choice:
    """What the seeker has picked so far: a service and, for venue services, a venue."""

    program: Program
    service: Service
    venue: Venue | None

    def query(self, **extra: str) -> str:
        params = {"service": self.service.code}
        if self.venue is not None:
            params["venue"] = self.venue.code
        params.update(extra)
        return urlencode(params)

    def url(self, name: str, **extra: str) -> str:
        path = reverse(f"booking_public:{name}", args=[self.program.slug])
        return f"{path}?{self.query(**extra)}"

    @property
    def needs_venue(self) -> bool:
        return self.service.delivery == "venue" and self.venue is None

    @property
    def place(self) -> str:
        return self.venue.name if self.venue else _("オンライン")


def _program(slug: str) -> Program | None:
    try:
        return get_program(slug)
    except DomainError:
        return None


def _choice(program: Program, params: Any) -> Choice | None:
    """The service and venue named in ``params``; None when they do not exist or do
    not go together. A venue service without a venue has ``venue`` None."""
    try:
        service = get_service(program, params.get("service", ""))
        venue = get_venue(program, params["venue"]) if params.get("venue") else None
    except DomainError:
        return None
    if service.delivery != "venue":
        return Choice(program, service, None)
    if venue is not None and not service.venues.filter(pk=venue.pk).exists():
        return None
    return Choice(program, service, venue)


def _bookable(choice: Choice, first: dt.date, last: dt.date) -> list[Availability]:
    """Free slots between two dates that the web may still book (the program's
    booking notice and window)."""
    policy = booking_policy(choice.program)
    now = timezone.now()
    earliest = now + dt.timedelta(minutes=policy.min_notice_minutes)
    latest = now + dt.timedelta(days=policy.window_days)
    last = min(last, latest.astimezone(TOKYO).date())
    if last < first:
        return []
    rows = availability(
        program=choice.program,
        service_code=choice.service.code,
        start=first,
        end=last,
        venue=choice.venue,
    )
    return [a for a in rows if a.free > 0 and earliest <= a.slot.start <= latest]


def _parse_start(value: str) -> dt.datetime | None:
    """A slot's start from a link or a form: None when unreadable or without an offset;
    a date outside core.inputs' range is refused (DateOutOfRange, 422)."""
    try:
        start = parse_iso_datetime(value, field="start")
    except (TypeError, ValueError):
        return None
    return start.astimezone(TOKYO) if timezone.is_aware(start) else None


def _time_range(start: dt.datetime, end: dt.datetime) -> str:
    return f"{start.astimezone(TOKYO):%H:%M}〜{end.astimezone(TOKYO):%H:%M}"


def _when(start: dt.datetime, end: dt.datetime) -> str:
    """「2026年12月3日(木) 14:00〜15:00」"""
    local = start.astimezone(TOKYO)
    return f"{format_date_ja(local.date())} {_time_range(local, end)}"


def _method_label(method: str) -> str:
    return str(Method(method).label) if method in Method.values else method


def _is_anonymous(request: HttpRequest) -> bool:
    return not request.user.is_authenticated


def _rate_limited(request: HttpRequest, program: Program | None, scope: str) -> HttpResponse:
    response = _page(request, "rate_limited.html", {"program": program}, status=429)
    response["Retry-After"] = str(ratelimit.retry_after(scope))
    return response


# --- Steps 1–3: service, venue, date, time (not personal: GET) --------------------------------


@require_GET
def program_index(request: HttpRequest) -> HttpResponse:
    programs = Program.objects.filter(services__isnull=False).distinct().order_by("slug")
    return _page(request, "index.html", {"programs": programs})


@require_GET
def service_choice(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = _program(program_slug)
    if program is None:
        return _not_found(request)
    options = []
    for service in program.services.order_by("id"):
        if service.delivery == "venue":
            url = reverse("booking_public:venue", args=[program.slug])
        else:
            url = reverse("booking_public:date", args=[program.slug])
        options.append(
            {
                "service": service,
                "url": f"{url}?{urlencode({'service': service.code})}",
                "methods": "・".join(service.method_labels()),
            }
        )
    return _page(request, "service.html", {"program": program, "options": options}, step=1)


@require_GET
def venue_choice(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = _program(program_slug)
    choice = _choice(program, request.GET) if program else None
    if program is None or choice is None:
        return _not_found(request, program)
    if choice.service.delivery != "venue":
        return HttpResponseRedirect(choice.url("date"))
    venues = [
        {"venue": venue, "url": Choice(program, choice.service, venue).url("date")}
        for venue in choice.service.venues.prefetch_related("days").order_by("id")
    ]
    return _page(
        request,
        "venue.html",
        {"program": program, "choice": choice, "venues": venues},
        step=1,
    )


@require_GET
def date_choice(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = _program(program_slug)
    choice = _choice(program, request.GET) if program else None
    if program is None or choice is None:
        return _not_found(request, program)
    if choice.needs_venue:
        return HttpResponseRedirect(choice.url("venue"))
    today = timezone.localdate()
    try:
        first = max(parse_iso_date(request.GET.get("from", ""), field="from"), today)
    except ValueError:
        first = today
    policy = booking_policy(program)
    rows = _bookable(choice, first, today + dt.timedelta(days=policy.window_days))
    by_day = [
        (day, len(list(slots)))
        for day, slots in groupby(rows, key=lambda a: a.slot.start.astimezone(TOKYO).date())
    ]
    days = [
        {
            "label": format_date_ja(day),
            "free": free,
            "url": choice.url("time", date=day.isoformat()),
        }
        for day, free in by_day[:DATES_PER_PAGE]
    ]
    more_url = None
    if len(by_day) > DATES_PER_PAGE:
        more_url = choice.url("date", **{"from": by_day[DATES_PER_PAGE][0].isoformat()})
    if choice.venue is not None:
        back_url = choice.url("venue")
    else:
        back_url = reverse("booking_public:service", args=[program.slug])
    return _page(
        request,
        "date.html",
        {
            "program": program,
            "choice": choice,
            "days": days,
            "more_url": more_url,
            "back_url": back_url,
            "later": first > today,
            "first_url": choice.url("date"),
        },
        step=2,
    )


@require_GET
def time_choice(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = _program(program_slug)
    choice = _choice(program, request.GET) if program else None
    if program is None or choice is None:
        return _not_found(request, program)
    if choice.needs_venue:
        return HttpResponseRedirect(choice.url("venue"))
    try:
        day = parse_iso_date(request.GET.get("date", ""), field="date")
    except ValueError:
        return HttpResponseRedirect(choice.url("date"))
    times = [
        {
            "label": _time_range(a.slot.start, a.slot.end),
            "url": choice.url("details", start=a.slot.start.isoformat()),
        }
        for a in _bookable(choice, day, day)
    ]
    return _page(
        request,
        "time.html",
        {
            "program": program,
            "choice": choice,
            "day_label": format_date_ja(day),
            "times": times,
            "back_url": choice.url("date"),
        },
        step=3,
    )


# --- Step 4: name, birth date, phone (POST, kept in the session) ------------------------------


class SeekerDetailsForm(forms.Form):
    family_name = forms.CharField(
        max_length=50,
        error_messages={"required": gettext_lazy("姓を入力してください。")},
        validators=[validate_person_name],
    )
    given_name = forms.CharField(
        max_length=50,
        error_messages={"required": gettext_lazy("名を入力してください。")},
        validators=[validate_person_name],
    )
    family_name_kana = forms.CharField(
        max_length=80,
        error_messages={"required": gettext_lazy("姓のふりがなを入力してください。")},
        validators=[validate_person_name],
    )
    given_name_kana = forms.CharField(
        max_length=80,
        error_messages={"required": gettext_lazy("名のふりがなを入力してください。")},
        validators=[validate_person_name],
    )
    birth_year = forms.TypedChoiceField(
        coerce=int, error_messages={"required": gettext_lazy("生まれた年を選んでください。")}
    )
    birth_month = forms.TypedChoiceField(
        coerce=int,
        choices=[(m, f"{m}月") for m in range(1, 13)],
        error_messages={"required": gettext_lazy("生まれた月を選んでください。")},
    )
    birth_day = forms.TypedChoiceField(
        coerce=int,
        choices=[(d, f"{d}日") for d in range(1, 32)],
        error_messages={"required": gettext_lazy("生まれた日を選んでください。")},
    )
    phone = forms.CharField(
        max_length=30, error_messages={"required": gettext_lazy("電話番号を入力してください。")}
    )
    method = forms.ChoiceField(
        error_messages={"required": gettext_lazy("相談の方法を選んでください。")}
    )
    consent = forms.BooleanField(
        error_messages={
            "required": gettext_lazy(
                "個人情報の取扱いへの同意が必要です。同意いただけない場合は、お電話でご相談ください。"
            )
        }
    )
    # Honeypot: hidden from people (and from screen readers); bots fill it in.
    website = forms.CharField(required=False)

    def __init__(self, *args: Any, methods: list[str], today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = range(today.year - 100, today.year - 14)
        self.fields["birth_year"].choices = [(y, year_label(y)) for y in years]  # type: ignore[attr-defined]
        self.fields["method"].choices = [(m, _method_label(m)) for m in methods]  # type: ignore[attr-defined]
        self.only_method = methods[0] if len(methods) == 1 else None
        if self.only_method:
            self.fields["method"].required = False  # nothing to choose: not asked

    def _kana(self, name: str) -> str:
        value = to_katakana(self.cleaned_data[name]).replace(" ", "")
        if not is_kana(value):
            raise forms.ValidationError(_("ふりがなは、ひらがなかカタカナで入力してください。"))
        return value

    def clean_family_name_kana(self) -> str:
        return self._kana("family_name_kana")

    def clean_given_name_kana(self) -> str:
        return self._kana("given_name_kana")

    def clean_method(self) -> str:
        return self.only_method or self.cleaned_data["method"]

    def clean_phone(self) -> str:
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except InvalidPhone as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(k) for k in ("birth_year", "birth_month", "birth_day")):
            try:
                data["birth_date"] = dt.date(
                    data["birth_year"], data["birth_month"], data["birth_day"]
                )
            except ValueError:
                self.add_error("birth_day", _("その月にない日付です。生年月日をご確認ください。"))
        return data

    def add_service_errors(self, field_errors: dict[str, list[str]]) -> None:
        """Show a service's field errors next to the fields they are about."""
        for field, messages in field_errors.items():
            target = "birth_year" if field == "birth_date" else field
            for message in messages:
                self.add_error(target if target in self.fields else None, message)

    @property
    def birth_errors(self) -> list[str]:
        return [
            str(e)
            for name in ("birth_year", "birth_month", "birth_day")
            for e in self.errors.get(name, [])
        ]


def _form_data(saved: dict[str, Any]) -> dict[str, Any]:
    """Session data → the form's fields (to re-show what the seeker entered)."""
    birth = dt.date.fromisoformat(saved["birth_date"])
    return {
        "family_name": saved["family_name"],
        "given_name": saved["given_name"],
        "family_name_kana": saved["family_name_kana"],
        "given_name_kana": saved["given_name_kana"],
        "birth_year": birth.year,
        "birth_month": birth.month,
        "birth_day": birth.day,
        "phone": saved["phone"],
        "method": saved["method"],
        "consent": True,
    }


def _saved(request: HttpRequest, program: Program) -> dict[str, Any] | None:
    saved = request.session.get(SESSION_KEY)
    if isinstance(saved, dict) and saved.get("program") == program.slug:
        return saved
    return None


def _details_page(
    request: HttpRequest,
    choice: Choice,
    start: dt.datetime,
    end: dt.datetime,
    form: SeekerDetailsForm,
    *,
    status: int = 200,
) -> HttpResponse:
    return _page(
        request,
        "details.html",
        {
            "program": choice.program,
            "choice": choice,
            "form": form,
            "start": start.isoformat(),
            "when": _when(start, end),
            "single_method": len(choice.service.methods) == 1,
            "back_url": choice.url("time", date=start.date().isoformat()),
        },
        step=4,
        status=status,
    )


def _slot_end(choice: Choice, start: dt.datetime) -> dt.datetime | None:
    """The end of the free, bookable slot starting at ``start``; None if there is none."""
    for a in _bookable(choice, start.date(), start.date()):
        if a.slot.start == start:
            return a.slot.end
    return None


@require_http_methods(["GET", "POST"])
def details(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = _program(program_slug)
    params = request.POST if request.method == "POST" else request.GET
    choice = _choice(program, params) if program else None
    if program is None or choice is None or choice.needs_venue:
        return _not_found(request, program)
    start = _parse_start(params.get("start", ""))
    end = _slot_end(choice, start) if start else None
    if start is None or end is None:
        return _page(
            request,
            "slot_gone.html",
            {"program": program, "choice": choice, "dates_url": choice.url("date")},
            step=3,
            status=409 if request.method == "POST" else 200,
        )
    methods = list(choice.service.methods)
    today = timezone.localdate()
    if request.method == "GET":
        # Coming back (another time, or after a full slot): show what was entered,
        # except the consent, which is asked again rather than pre-ticked.
        saved = _saved(request, program)
        initial = _form_data(saved) if saved else {}
        initial.pop("consent", None)
        if initial.get("method") not in methods:
            initial["method"] = methods[0] if len(methods) == 1 else None
        form = SeekerDetailsForm(initial=initial, methods=methods, today=today)
        return _details_page(request, choice, start, end, form)

    if ratelimit.hit("booking_form_ip", ratelimit.client_ip(request)):
        return _rate_limited(request, program, "booking_form_ip")
    form = SeekerDetailsForm(request.POST, methods=methods, today=today)
    if request.POST.get("website"):
        return _page(request, "rejected.html", {"program": program}, status=400)
    if not form.is_valid():
        return _details_page(request, choice, start, end, form, status=422)
    data = form.cleaned_data
    request.session[SESSION_KEY] = {
        "program": program.slug,
        "service": choice.service.code,
        "venue": choice.venue.code if choice.venue else "",
        "start": start.isoformat(),
        "method": data["method"],
        "family_name": data["family_name"],
        "given_name": data["given_name"],
        "family_name_kana": data["family_name_kana"],
        "given_name_kana": data["given_name_kana"],
        "birth_date": data["birth_date"].isoformat(),
        "phone": data["phone"],
    }
    if _is_anonymous(request):
        request.session.set_expiry(SESSION_SECONDS)
    return HttpResponseRedirect(reverse("booking_public:confirm", args=[program.slug]))


# --- Step 5: confirm and book -------------------------------------------------------------------


def _saved_choice(program: Program, saved: dict[str, Any]) -> Choice | None:
    return _choice(program, {"service": saved["service"], "venue": saved["venue"]})


def _summary(choice: Choice, saved: dict[str, Any], start: dt.datetime) -> dict[str, Any]:
    end = start + dt.timedelta(minutes=choice.service.slot_minutes)
    birth = dt.date.fromisoformat(saved["birth_date"])
    return {
        "service": choice.service.name,
        "when": _when(start, end),
        "place": choice.venue.name if choice.venue else None,
        "address": choice.venue.address if choice.venue else "",
        "method": _method_label(saved["method"]),
        "name": f"{saved['family_name']} {saved['given_name']}",
        "kana": f"{saved['family_name_kana']} {saved['given_name_kana']}",
        "birth_date": f"{format_wareki(birth)}（{birth.year}年）",
        "phone": saved["phone"],
    }


def _confirm_page(
    request: HttpRequest,
    choice: Choice,
    saved: dict[str, Any],
    *,
    error: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    start = dt.datetime.fromisoformat(saved["start"])
    alternatives = []
    if error is not None and error.code == "full":
        for alt in error.details.get("alternatives", []):
            alt_start = dt.datetime.fromisoformat(alt["start"])
            alternatives.append(
                {
                    "value": alt["start"],
                    "label": _when(alt_start, dt.datetime.fromisoformat(alt["end"])),
                }
            )
    return _page(
        request,
        "confirm.html",
        {
            "program": choice.program,
            "choice": choice,
            "summary": _summary(choice, saved, start),
            "error": error,
            "alternatives": alternatives,
            "edit_url": choice.url("details", start=start.isoformat()),
            "dates_url": choice.url("date"),
        },
        step=5,
        status=status,
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = _program(program_slug)
    if program is None:
        return _not_found(request)
    saved = _saved(request, program)
    choice = _saved_choice(program, saved) if saved else None
    if saved is None or choice is None:
        if request.method == "POST" and request.session.get(DONE_KEY):
            # A second press of 「予約する」: the booking is already made.
            return HttpResponseRedirect(reverse("booking_public:done", args=[program.slug]))
        return _page(
            request,
            "expired.html",
            {"program": program},
            status=410 if request.method == "POST" else 200,
        )
    if request.method == "GET":
        return _confirm_page(request, choice, saved)

    if "start" in request.POST:  # an alternative chosen after a full slot
        alternative = _parse_start(request.POST["start"])
        if alternative is None:
            return _confirm_page(request, choice, saved, status=400)
        saved["start"] = alternative.isoformat()
        request.session[SESSION_KEY] = saved
    if ratelimit.hit("booking_ip", ratelimit.client_ip(request)):
        return _rate_limited(request, program, "booking_ip")
    phone_key = phone_digits(saved["phone"])
    if ratelimit.is_limited("booking_phone", phone_key):
        return _rate_limited(request, program, "booking_phone")
    start = dt.datetime.fromisoformat(saved["start"])
    try:
        reservation = reservation_book_from_web(
            program=choice.program,
            service=choice.service,
            venue=choice.venue,
            start=start,
            method=saved["method"],
            family_name=saved["family_name"],
            given_name=saved["given_name"],
            family_name_kana=saved["family_name_kana"],
            given_name_kana=saved["given_name_kana"],
            birth_date=dt.date.fromisoformat(saved["birth_date"]),
            phone=saved["phone"],
            privacy_version=PRIVACY_VERSION,
        )
    except DomainError as exc:
        if exc.code == "invalid" and exc.field_errors:
            data = _form_data(saved)
            form = SeekerDetailsForm(
                data, methods=list(choice.service.methods), today=timezone.localdate()
            )
            form.is_valid()
            form.add_service_errors(exc.field_errors)
            return _details_page(
                request,
                choice,
                start,
                start + dt.timedelta(minutes=choice.service.slot_minutes),
                form,
                status=422,
            )
        return _confirm_page(request, choice, saved, error=exc, status=exc.status)
    ratelimit.hit("booking_phone", phone_key)
    del request.session[SESSION_KEY]
    request.session[DONE_KEY] = reservation.pk
    return HttpResponseRedirect(reverse("booking_public:done", args=[program.slug]))


def _reservation_context(request: HttpRequest, reservation: Reservation) -> dict[str, Any]:
    policy = booking_policy(reservation.program)
    return {
        "program": reservation.program,
        "reservation": reservation,
        "service": reservation.service.name,
        "when": _when(reservation.starts_at, reservation.ends_at),
        "place": reservation.venue.name if reservation.venue else None,
        "address": reservation.venue.address if reservation.venue else "",
        "method": _method_label(reservation.method),
        "cancel_cutoff_minutes": policy.cancel_cutoff_minutes,
        "cancel_url": request.build_absolute_uri(
            reverse("booking_public:cancel", args=[reservation.cancel_token])
        ),
        "page_url": request.build_absolute_uri(
            reverse("booking_public:reservation", args=[reservation.cancel_token])
        ),
    }


@require_GET
def done(request: HttpRequest, program_slug: str) -> HttpResponse:
    reservation_id = request.session.get(DONE_KEY)
    reservation = (
        Reservation.objects.select_related("program", "service", "venue")
        .filter(pk=reservation_id, program__slug=program_slug)
        .first()
        if isinstance(reservation_id, int)
        else None
    )
    if reservation is None:
        program = _program(program_slug)
        if program is None:
            return _not_found(request)
        return _page(request, "expired.html", {"program": program})
    return _page(request, "done.html", _reservation_context(request, reservation))


# --- Cancel link ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation: shows the booking and asks before cancelling."""
    reservation = (
        Reservation.objects.select_related("program", "service", "venue")
        .filter(cancel_token=token)
        .first()
    )
    if reservation is None:
        return _not_found(request)
    context = _reservation_context(request, reservation)
    if request.method == "POST" and reservation.status == ReservationStatus.CONFIRMED:
        try:
            reservation_cancel(reservation=reservation, channel=Channel.WEB)
        except DomainError as exc:
            context["error"] = exc
            return _page(request, "cancel.html", context, status=exc.status)
        return _page(request, "cancelled.html", context)
    return _page(request, "cancel.html", context)


# --- The seeker's page of one booking ----------------------------------------------------------


@require_GET
def reservation_page(request: HttpRequest, token: str) -> HttpResponse:
    """``/book/r/<token>/``: the seeker's own page of a booking (the token of its cancel
    link). The one place a video room's address is given: LINE messages link here, never
    to the room (docs/video.md)."""
    reservation = (
        Reservation.objects.select_related("program", "service", "venue")
        .filter(cancel_token=token)
        .first()
    )
    if reservation is None:
        return _not_found(request)
    context = _reservation_context(request, reservation)
    active = reservation.status == ReservationStatus.CONFIRMED
    context["video_url"] = reservation.video_url if active else ""
    context["is_video"] = reservation.method == Method.VIDEO
    context["is_phone"] = reservation.method == Method.PHONE
    response = _page(request, "reservation.html", context)
    # The page holds the room's address: not kept by shared caches or sent on as a referrer.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
