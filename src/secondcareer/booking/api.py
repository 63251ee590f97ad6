"""The JSON API (``/api/``): availability, creating and cancelling reservations.

Plain Django views returning JSON, documented in :mod:`secondcareer.booking.openapi`.

- **Authentication**: a logged-in staff session (POSTs then need the CSRF token, as
  any form does) or ``Authorization: Bearer <token>`` (an :mod:`apitokens` token; no
  CSRF, since a browser never adds that header on its own). A presented token is never
  mixed with the session: a bad token is a 401 even with a session cookie.
- **Authorisation**, always within the program (``people.access``): a program where
  the user holds no role does not exist for them (404, like an unknown program).
  Availability holds no personal data, so *any* role of the program may read it,
  the municipality included. Creating needs ``booking.add_reservation`` and cancelling
  ``booking.change_reservation``
  (reception, consultants, managers); job developers and the municipality get 403.
- **Errors** all have one shape, ``{"error", "message", "fields"?, "details"?}``,
  built from :class:`DomainError` in one place (:func:`api_endpoint`): 400 for a
  request that cannot be read (malformed JSON, missing or unknown fields, bad dates),
  422 for a readable request the domain refuses (unknown service or venue, wrong
  method, a date outside 1900–2100: ``out_of_range``), 409 for a full slot
  (``details.alternatives``) or another conflict. What no endpoint may receive (NUL,
  control characters, JSON nested too deep or too large, unknown addresses) is refused
  before any of this by the input rules in :mod:`secondcareer.core.input_middleware`,
  in the same shape.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from secondcareer.apitokens.services import api_token_authenticate
from secondcareer.booking.models import Channel, Reservation
from secondcareer.booking.openapi import openapi_document
from secondcareer.booking.selectors import availability, get_service, get_venue
from secondcareer.booking.services import (
    reservation_cancel,
    reservation_create,
    seeker_reference,
)
from secondcareer.core.errors import DomainError
from secondcareer.core.inputs import parse_iso_date, parse_iso_datetime
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.people.access import has_program_perm, program_of, programs_of
from secondcareer.programs.models import Program

CREATE_PERMISSION = "booking.add_reservation"
CANCEL_PERMISSION = "booking.change_reservation"
MAX_AVAILABILITY_DAYS = 92
DEFAULT_AVAILABILITY_DAYS = 14

View = Callable[..., HttpResponse]


# --- Errors and authentication ----------------------------------------------------------


def bad_request(fields: dict[str, list[str]]) -> DomainError:
    return DomainError(
        _("リクエストの内容に誤りがあります。"), code="invalid", status=400, field_errors=fields
    )


def _unauthorized(message: str) -> DomainError:
    return DomainError(message, code="unauthorized", status=401)


def _forbidden() -> DomainError:
    return DomainError(_("この操作を行う権限がありません。"), code="forbidden", status=403)


def _program_not_found(slug: str) -> DomainError:
    # The same answer for an unknown program and one the user has no role in.
    return DomainError(
        _("事業「%(slug)s」は見つかりません。") % {"slug": slug},
        code="not_found",
        status=404,
        field_errors={"program": [_("ご自分が所属する事業の識別子を指定してください。")]},
    )


def _empty(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def _csrf_passes(request: HttpRequest) -> bool:
    """Django's own CSRF check, run for session-authenticated requests only."""
    check = CsrfViewMiddleware(_empty)
    check.process_request(request)
    return check.process_view(request, _empty, (), {}) is None


def _authenticate(
    request: HttpRequest, program_slug: Callable[[HttpRequest], str | None] | None
) -> None:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _space, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise _unauthorized(
                "Authorization ヘッダーは「Bearer <トークン>」の形式で指定してください。"
            )
        # The program the request names is looked up with the token, in one statement.
        slug = program_slug(request) if program_slug else None
        user = api_token_authenticate(raw.strip(), program_slug=slug)
        if user is None:
            raise _unauthorized("トークンが無効です（未登録・失効済み、または利用者が無効）。")
        request.user = user
        return
    if not request.user.is_authenticated:
        raise _unauthorized(
            "ログインするか、APIトークンを Authorization ヘッダーで送ってください。"
        )
    if request.method not in ("GET", "HEAD", "OPTIONS") and not _csrf_passes(request):
        raise DomainError(
            _(
                "CSRFトークンがありません。ログイン中のセッションで送る場合は X-CSRFToken ヘッダーが必要です。"
            ),
            code="csrf",
            status=403,
        )


def api_endpoint(
    *methods: str,
    public: bool = False,
    program_slug: Callable[[HttpRequest], str | None] | None = None,
) -> Callable[[View], View]:
    """Allowed methods, authentication (unless ``public``) and the one translation of
    :class:`DomainError` into a JSON response for the whole API. ``program_slug`` reads
    the program a request names (None if it names none it can read), so that a token's
    look-up brings the user's roles there with it; the view still checks them."""

    def decorate(view: View) -> View:
        @csrf_exempt  # checked in _authenticate for session-authenticated requests only
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise DomainError(
                        _("このURLで使えるメソッドは %(methods)s です。")
                        % {"methods": ", ".join(methods)},
                        code="method_not_allowed",
                        status=405,
                    )
                if not public:
                    _authenticate(request, program_slug)
                return view(request, *args, **kwargs)
            except DomainError as exc:
                response = JsonResponse(exc.as_dict(), status=exc.status)
                if exc.status == 401:
                    response["WWW-Authenticate"] = 'Bearer realm="secondcareer"'
                if exc.status == 405:
                    response["Allow"] = ", ".join(methods)
                return response

        wrapper.api_methods = methods  # type: ignore[attr-defined]
        wrapper.api_public = public  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _program(request: HttpRequest, slug: str, *, perm: str | None = None) -> Program:
    program = program_of(request.user, slug)
    if program is None:
        raise _program_not_found(slug)
    if perm is not None and not has_program_perm(request.user, program, perm):
        raise _forbidden()
    return program


# --- Reading requests -------------------------------------------------------------------

_TYPE_NAMES = {str: "文字列", int: "整数"}


_PARSED_BODY = "_api_json_body"  # the body, once parsed, kept on the request


def _json_object(request: HttpRequest, *, allow_empty: bool = False) -> dict[str, Any]:
    if not request.body.strip() and allow_empty:
        return {}
    parsed = request.__dict__.get(_PARSED_BODY)
    if parsed is not None:
        return parsed
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DomainError(_("本文を JSON として読めません。"), code="invalid", status=400) from exc
    if not isinstance(body, dict):
        raise DomainError(
            _("本文は JSON のオブジェクトにしてください。"), code="invalid", status=400
        )
    request.__dict__[_PARSED_BODY] = body
    return body


def _program_in_body(request: HttpRequest) -> str | None:
    """The ``program`` of a JSON body, for the token look-up; a body it cannot read
    names none (the view then answers 400, after the token was checked)."""
    try:
        slug = _json_object(request).get("program")
    except (DomainError, RequestDataTooBig):
        return None
    return slug if isinstance(slug, str) else None


def _program_in_query(request: HttpRequest) -> str | None:
    return request.GET.get("program") or None


def _check_fields(
    data: dict[str, Any], spec: dict[str, tuple[type, bool, bool]]
) -> dict[str, list[str]]:
    """``spec``: name → (type, required, nullable). Returns field errors."""
    errors: dict[str, list[str]] = {}
    for name in data.keys() - spec.keys():
        errors[name] = ["不明な項目です。"]
    for name, (kind, required, nullable) in spec.items():
        if name not in data:
            if required:
                errors[name] = ["必須の項目です。"]
            continue
        value = data[name]
        if value is None:
            if not nullable:
                errors[name] = ["null は指定できません。"]
        elif not isinstance(value, kind) or isinstance(value, bool):
            errors[name] = [f"{_TYPE_NAMES[kind]}で指定してください。"]
        elif isinstance(value, str) and required and not value.strip():
            errors[name] = ["必須の項目です。"]
    return errors


def _parse_date(value: str, name: str, errors: dict[str, list[str]]) -> dt.date | None:
    """None (with a field error) when unreadable; a date outside core.inputs' range
    raises DateOutOfRange (422)."""
    try:
        return parse_iso_date(value, field=name)
    except ValueError:
        errors[name] = ["日付は YYYY-MM-DD の形式で指定してください。"]
        return None


def _parse_start(value: str, errors: dict[str, list[str]]) -> dt.datetime | None:
    try:
        start = parse_iso_datetime(value, field="start")
    except ValueError:
        errors["start"] = [
            "日時は ISO 8601 の形式で指定してください（例: 2027-01-06T10:00:00+09:00）。"
        ]
        return None
    if timezone.is_naive(start):
        errors["start"] = ["日時にはタイムゾーンを付けてください（例: +09:00）。"]
        return None
    return start


def reservation_json(reservation: Reservation) -> dict[str, Any]:
    return {
        "id": reservation.pk,
        "program": reservation.program.slug,
        "seeker_id": reservation.seeker_id,
        "service": reservation.service.code,
        "venue": reservation.venue.name if reservation.venue else None,
        "start": reservation.starts_at.astimezone(TOKYO).isoformat(),
        "end": reservation.ends_at.astimezone(TOKYO).isoformat(),
        "method": reservation.method,
        "channel": reservation.channel,
        "status": reservation.status,
        "topic": reservation.topic,
        "consultant_id": reservation.consultant_id,
    }


# --- Endpoints ---------------------------------------------------------------------------

_AVAILABILITY_PARAMS = {"program", "service", "venue", "from", "to"}


@api_endpoint("GET", program_slug=_program_in_query)
def availability_list(request: HttpRequest) -> HttpResponse:
    """The slots of a program between two dates with their free seats: the same
    objects ``secondcareer availability --format json`` prints."""
    params = request.GET
    errors: dict[str, list[str]] = {
        name: ["不明な項目です。"] for name in params.keys() - _AVAILABILITY_PARAMS
    }
    if not params.get("program"):
        errors["program"] = ["必須の項目です。"]
    today = timezone.localdate()
    start = _parse_date(params["from"], "from", errors) if params.get("from") else today
    end = (
        _parse_date(params["to"], "to", errors)
        if params.get("to")
        else (start or today) + dt.timedelta(days=DEFAULT_AVAILABILITY_DAYS - 1)
    )
    if start and end:
        if end < start:
            errors["to"] = ["to は from 以降の日付にしてください。"]
        elif (end - start).days >= MAX_AVAILABILITY_DAYS:
            errors["to"] = [f"一度に取得できるのは{MAX_AVAILABILITY_DAYS}日分までです。"]
    if errors or start is None or end is None:
        raise bad_request(errors)
    program = _program(request, params["program"])
    service = get_service(program, params["service"]) if params.get("service") else None
    venue = get_venue(program, params["venue"]) if params.get("venue") else None
    rows = availability(
        program=program,
        service_code=service.code if service else None,
        start=start,
        end=end,
        venue=venue,
    )
    return JsonResponse([row.as_dict() for row in rows], safe=False)


_CREATE_FIELDS: dict[str, tuple[type, bool, bool]] = {
    "program": (str, True, False),
    "seeker_id": (int, True, False),
    "service": (str, True, False),
    "start": (str, True, False),
    "venue": (str, False, True),
    "method": (str, True, False),
    "channel": (str, True, False),
    "topic": (str, False, False),
    "consultant_id": (int, False, True),
}


@api_endpoint("POST", program_slug=_program_in_body)
def reservation_list(request: HttpRequest) -> HttpResponse:
    """Book a registered seeker into a slot."""
    data = _json_object(request)
    errors = _check_fields(data, _CREATE_FIELDS)
    start = _parse_start(data["start"], errors) if isinstance(data.get("start"), str) else None
    if errors or start is None:
        raise bad_request(errors)
    program = _program(request, data["program"], perm=CREATE_PERMISSION)
    service = get_service(program, data["service"])
    venue = get_venue(program, data["venue"]) if data.get("venue") else None
    # Checked inside the booking transaction (422 if not registered in the program).
    seeker = seeker_reference(program, data["seeker_id"])
    reservation = reservation_create(
        program=program,
        seeker=seeker,
        service=service,
        start=start,
        venue=venue,
        method=data["method"],
        channel=data["channel"],
        topic=data.get("topic", ""),
        consultant_id=data.get("consultant_id"),
        actor=request.user,
    )
    return JsonResponse(reservation_json(reservation), status=201)


_CANCEL_FIELDS: dict[str, tuple[type, bool, bool]] = {"channel": (str, False, False)}


@api_endpoint("POST")
def reservation_cancel_view(request: HttpRequest, reservation_id: int) -> HttpResponse:
    """Cancel a reservation (``channel`` defaults to ``staff``) and free its seat."""
    data = _json_object(request, allow_empty=True)
    errors = _check_fields(data, _CANCEL_FIELDS)
    if errors:
        raise bad_request(errors)
    channel = data.get("channel", Channel.STAFF)
    reservation = (
        Reservation.objects.select_related("program", "service", "venue")
        .filter(pk=reservation_id, program__in=programs_of(request.user))
        .first()
    )
    if reservation is None:
        raise DomainError(_("予約が見つかりません。"), code="not_found", status=404)
    if not has_program_perm(request.user, reservation.program, CANCEL_PERMISSION):
        raise _forbidden()
    if channel not in Channel.values:
        raise DomainError(
            _("予約内容に誤りがあります。"),
            code="invalid",
            status=422,
            field_errors={"channel": [_("予約経路が正しくありません。")]},
        )
    reservation_cancel(reservation=reservation, channel=channel, actor=request.user)
    return JsonResponse(reservation_json(reservation))


@api_endpoint("GET", public=True)
def openapi_json(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 description of this API (public: it holds no data)."""
    return JsonResponse(openapi_document())
