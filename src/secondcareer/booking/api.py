"""Booking's router of the JSON API (``/api/``, :mod:`secondcareer.api`): availability,
listing, creating and cancelling reservations.

- **Authentication** is the site's (:mod:`secondcareer.apitokens.auth`): a token or a
  staff session with CSRF; a caller who is not authenticated gets a 401 before the body
  is read.
- **Authorisation**, always within the program (:mod:`secondcareer.people.access`): a
  program where the user holds no role does not exist for them (404, like an unknown
  program). Availability holds no personal data, so *any* role of the program may read
  it, the municipality included. Listing needs ``booking.view_reservation``, creating
  ``booking.add_reservation`` and cancelling ``booking.change_reservation`` (reception,
  consultants, managers); job developers and the municipality get 403.
- **Errors**: 400 for a request that cannot be read (the schemas below, and the
  checks ninja cannot express), 422 for a readable request the domain refuses (unknown
  service or venue, wrong method, a date outside 1900–2100: ``out_of_range``), 409 for
  a full slot (``details.alternatives``) or another conflict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router

from secondcareer.booking.models import Channel, Reservation, ReservationStatus, Topic
from secondcareer.booking.selectors import (
    availability,
    get_service,
    get_venue,
    reservations_in_period,
)
from secondcareer.booking.services import (
    reservation_cancel,
    reservation_create,
    seeker_reference,
)
from secondcareer.core.api import (
    Error,
    Input,
    Output,
    Text,
    aware_datetime,
    bad_request,
    date_field,
    enum,
    record_id,
    refuse_unknown_query,
)
from secondcareer.core.audit import audit_record_view, audit_records_listed
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.people.access import program_object_or_404, program_or_404
from secondcareer.people.models import Seeker
from secondcareer.programs.choices import Method
from secondcareer.programs.models import Program

VIEW_PERMISSION = "booking.view_reservation"
CREATE_PERMISSION = "booking.add_reservation"
CANCEL_PERMISSION = "booking.change_reservation"
MAX_DAYS = 92
DEFAULT_DAYS = 14

router = Router(tags=["予約"])


# --- Schemas -----------------------------------------------------------------------------


class Availability(Output):
    """予約枠1つと空き状況（`secondcareer availability --format json` と同じ形）。"""

    start: dt.datetime = Field(description="開始（+09:00）")
    end: dt.datetime = Field(description="終了（+09:00）")
    service: str = Field(description="相談サービスの識別子")
    method: str = Field(description="相談方法をカンマで連結したもの")
    methods: list[str] = Field(json_schema_extra={"items": enum(Method.values)})
    venue: str | None = Field(description="会場の名称。オンライン相談（会場なし）は null")
    capacity: int = Field(ge=0, description="枠の定員")
    free: int = Field(ge=0, description="空き数")


class ReservationOut(Output):
    """予約1件。"""

    id: int
    program: str = Field(description="事業の識別子")
    seeker_id: int
    service: str = Field(description="相談サービスの識別子")
    venue: str | None = Field(description="会場の名称。オンライン相談は null")
    start: dt.datetime
    end: dt.datetime
    method: str = Field(json_schema_extra=enum(Method.values))
    channel: str = Field(json_schema_extra=enum(Channel.values))
    status: str = Field(json_schema_extra=enum(ReservationStatus.values))
    topic: str = Field(json_schema_extra=enum(["", *Topic.values]))
    consultant_id: int | None = Field(
        description="担当キャリアコンサルタントのユーザーID（勤務表がない枠では null）"
    )
    video_url: str | None = Field(
        description="ビデオ相談の部屋のアドレス（職員用）。ビデオ相談でない、"
        "または事業に部屋のアドレスの設定がないときは null"
    )


class ReservationCreate(Input):
    """予約の作成。method・channel・topic の値の誤りは 422（予約の規則による判断）。"""

    program: Text = Field(description="事業の識別子（kobe, saitama …）")
    seeker_id: int = Field(description="その事業に登録された利用者のID")
    service: Text = Field(description="相談サービスの識別子")
    start: Text = Field(
        description="枠の開始日時。タイムゾーン必須（例: 2027-01-06T10:00:00+09:00）",
        json_schema_extra={"format": "date-time"},
    )
    venue: str | None = Field(
        default=None, description="会場の識別子または名称。会場で行う相談サービスでは必須"
    )
    method: Text = Field(json_schema_extra=enum(Method.values))
    channel: Text = Field(json_schema_extra=enum(Channel.values))
    topic: str = Field(default="", json_schema_extra=enum(Topic.values))
    consultant_id: int | None = Field(
        default=None, description="担当を指定する場合のキャリアコンサルタントのユーザーID"
    )


class ReservationCancel(Input):
    channel: str = Field(
        default=Channel.STAFF,
        description="取消の経路。line / web の場合は取消締切が適用される",
        json_schema_extra=enum(Channel.values),
    )


class PeriodQuery(Input):
    model_config = Input.model_config | {"strict": False}
    program: Text = Field(description="事業の識別子")
    from_: str | None = Field(default=None, alias="from", description="開始日（省略時は今日）")
    to: str | None = Field(
        default=None,
        description=f"終了日（この日を含む。省略時は開始日から{DEFAULT_DAYS}日間。最大{MAX_DAYS}日間）",
    )


class AvailabilityQuery(PeriodQuery):
    service: str | None = Field(default=None, description="相談サービスの識別子（省略時はすべて）")
    venue: str | None = Field(default=None, description="会場の識別子または名称")


class ReservationQuery(PeriodQuery):
    seeker_id: int | None = Field(default=None, description="この利用者の予約だけ")


# --- Helpers -------------------------------------------------------------------------------


def reservation_json(reservation: Reservation, *, program: Program | None = None) -> dict[str, Any]:
    """A reservation as the API gives it. ``program``: the reservation's, when the
    caller has it (a list: no look-up per row)."""
    program = program or reservation.program
    video_url = (
        program.video_room_link(reservation.video_room)
        if reservation.method == Method.VIDEO
        else ""
    )
    return {
        "id": reservation.pk,
        "program": program.slug,
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
        "video_url": video_url or None,
    }


def _period(request: HttpRequest, query: PeriodQuery, allowed: set[str]) -> tuple[dt.date, dt.date]:
    refuse_unknown_query(request, allowed)
    fields: dict[str, list[str]] = {}
    today = timezone.localdate()
    start = date_field(query.from_, "from", fields) if query.from_ else today
    end = (
        date_field(query.to, "to", fields)
        if query.to
        else (start or today) + dt.timedelta(days=DEFAULT_DAYS - 1)
    )
    if start and end:
        if end < start:
            fields["to"] = [_("to は from 以降の日付にしてください。")]
        elif (end - start).days >= MAX_DAYS:
            fields["to"] = [_("一度に取得できるのは%(days)s日分までです。") % {"days": MAX_DAYS}]
    if fields or start is None or end is None:
        raise bad_request(fields)
    return start, end


def _json(data: Any, status: int = 200) -> HttpResponse:
    # Built here rather than validated again by ninja: the booking hot path keeps its
    # measured figure (bench/RESULTS.md); the schemas above document the shape, and
    # test_api_openapi checks real answers against them.
    return JsonResponse(data, status=status, safe=False)


_ERRORS: dict[int, type[Error]] = {400: Error, 404: Error, 422: Error}


# --- Endpoints -----------------------------------------------------------------------------


@router.get(
    "availability",
    url_name="availability",
    response={200: list[Availability], **_ERRORS},
    summary="予約枠と空き状況",
    openapi_extra={
        "responses": {
            404: {"description": "事業がない、またはその事業に役割を持っていない（同じ応答）"},
            422: {"description": "相談サービスまたは会場がその事業にない"},
        }
    },
)
def availability_list(request: HttpRequest, query: Query[AvailabilityQuery]) -> HttpResponse:
    """The slots of a program between two dates with their free seats: the same
    objects ``secondcareer availability --format json`` prints."""
    start, end = _period(request, query, {"program", "service", "venue", "from", "to"})
    program = program_or_404(request.user, query.program)
    service = get_service(program, query.service) if query.service else None
    venue = get_venue(program, query.venue) if query.venue else None
    rows = availability(
        program=program,
        service_code=service.code if service else None,
        start=start,
        end=end,
        venue=venue,
    )
    return _json([row.as_dict() for row in rows])


@router.get(
    "reservations",
    url_name="reservations",
    response={200: list[ReservationOut], 403: Error, **_ERRORS},
    summary="予約の一覧",
)
def reservation_list(request: HttpRequest, query: Query[ReservationQuery]) -> HttpResponse:
    """The program's reservations (cancelled ones included) starting between two
    dates, in start order; ``seeker_id`` narrows them to one seeker."""
    start, end = _period(request, query, {"program", "from", "to", "seeker_id"})
    program = program_or_404(request.user, query.program, VIEW_PERMISSION)
    rows = reservations_in_period(program=program, start=start, end=end, seeker_id=query.seeker_id)
    # Who has an appointment when is personal data: the list is audited like the
    # staff calendar (one view entry per seeker shown).
    audit_records_listed(
        request,
        [Seeker(pk=row.seeker_id) for row in rows],
        program_slug=program.slug,
        note="api reservations",
    )
    return _json([reservation_json(row, program=program) for row in rows])


@router.post(
    "reservations",
    url_name="reservations",
    response={201: ReservationOut, 403: Error, 409: Error, **_ERRORS},
    summary="予約の作成",
    openapi_extra={
        "responses": {
            403: {"description": "その事業で予約を作成する権限がない"},
            409: {
                "description": "満席（full。details.alternatives に近い空き枠）、重複（overlap）"
            },
            422: {"description": "予約の規則に合わない（相談方法・会場・経路・話題・利用者）"},
        }
    },
)
def reservation_create_view(request: HttpRequest, payload: Body[ReservationCreate]) -> HttpResponse:
    """Book a registered seeker into a slot."""
    fields: dict[str, list[str]] = {}
    start = aware_datetime(payload.start, "start", fields)
    if start is None:
        raise bad_request(fields)
    program = program_or_404(request.user, payload.program, CREATE_PERMISSION)
    service = get_service(program, payload.service)
    venue = get_venue(program, payload.venue) if payload.venue else None
    # Checked inside the booking transaction (422 if not registered in the program).
    seeker = seeker_reference(program, payload.seeker_id)
    reservation = reservation_create(
        program=program,
        seeker=seeker,
        service=service,
        start=start,
        venue=venue,
        method=payload.method,
        channel=payload.channel,
        topic=payload.topic,
        consultant_id=payload.consultant_id,
        actor=request.user,
    )
    return _json(reservation_json(reservation, program=program), status=201)


@router.get(
    "reservations/{int:reservation_id}",
    url_name="reservation",
    response={200: ReservationOut, **_ERRORS},
    summary="予約1件",
    openapi_extra={
        "responses": {404: {"description": "予約がない、またはその事業に役割を持っていない"}}
    },
)
def reservation_detail(request: HttpRequest, reservation_id: int) -> HttpResponse:
    """One reservation, with the video room's address for a video consultation."""
    reservation = program_object_or_404(
        request.user,
        Reservation.objects.select_related("program", "service", "venue").filter(
            pk=record_id(reservation_id)
        ),
        VIEW_PERMISSION,
    )
    audit_record_view(
        request, Seeker(pk=reservation.seeker_id), program_slug=reservation.program.slug
    )
    return _json(reservation_json(reservation))


@router.post(
    "reservations/{int:reservation_id}/cancel",
    url_name="reservation_cancel",
    response={200: ReservationOut, 403: Error, 409: Error, **_ERRORS},
    summary="予約の取消",
    openapi_extra={
        "responses": {
            404: {"description": "予約がない、またはその事業に役割を持っていない"},
            409: {"description": "すでに取り消されているか、終了している（conflict）"},
            422: {"description": "取消の締切を過ぎている（too_late）、経路の誤り"},
        }
    },
)
def reservation_cancel_view(
    request: HttpRequest,
    reservation_id: int,
    payload: Body[ReservationCancel | None] = None,
) -> HttpResponse:
    """Cancel a reservation (``channel`` defaults to ``staff``) and free its seat."""
    channel = payload.channel if payload else Channel.STAFF
    reservation = program_object_or_404(
        request.user,
        Reservation.objects.select_related("program", "service", "venue").filter(
            pk=record_id(reservation_id)
        ),
        CANCEL_PERMISSION,
    )
    if channel not in Channel.values:
        raise DomainError(
            _("予約内容に誤りがあります。"),
            code="invalid",
            status=422,
            field_errors={"channel": [_("予約経路が正しくありません。")]},
        )
    reservation_cancel(reservation=reservation, channel=channel, actor=request.user)
    return _json(reservation_json(reservation))
