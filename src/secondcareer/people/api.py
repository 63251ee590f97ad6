"""People's router of the JSON API (``/api/``, :mod:`secondcareer.api`): finding,
registering and reading seekers, for a receptionist's tablet or a partner system.

The same access rules as the staff screens (``people/views.py``): within a program,
reading needs ``people.view_seeker`` and registering ``people.add_seeker`` (reception,
consultants, managers; job developers read only; the municipality neither, 403); a
program where the caller holds no role is a 404. Every answer that shows a seeker is
audited: one view entry per seeker listed, one per record opened.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router
from pydantic import StrictBool

from secondcareer.core.api import (
    Error,
    Input,
    Output,
    Text,
    bad_request,
    date_field,
    enum,
    record_id,
    refuse_unknown_query,
)
from secondcareer.core.audit import audit_record_view, audit_records_listed
from secondcareer.core.errors import DomainError
from secondcareer.people.access import program_object_or_404, program_or_404
from secondcareer.people.models import (
    ConsentKind,
    ConsentMethod,
    Gender,
    HeardFrom,
    RegistrationChannel,
    Seeker,
    SeekerStatus,
)
from secondcareer.people.selectors import seeker_search
from secondcareer.people.services import ConsentInput, seeker_register

VIEW_PERMISSION = "people.view_seeker"
ADD_PERMISSION = "people.add_seeker"
MAX_RESULTS = 100

router = Router(tags=["利用者"])


# --- Schemas -----------------------------------------------------------------------------


class SeekerSummary(Output):
    """検索結果の利用者1人。"""

    id: int
    program: str = Field(description="事業の識別子")
    card_number: str = Field(description="利用者カード番号")
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: dt.date
    age: int = Field(description="今日の年齢")
    phone: str
    status: str = Field(json_schema_extra=enum(SeekerStatus.values))
    registered_on: dt.date


class Consent(Output):
    kind: str = Field(json_schema_extra=enum(ConsentKind.values))
    version: str
    method: str = Field(json_schema_extra=enum(ConsentMethod.values))
    granted: bool
    at: dt.datetime


class SeekerDetail(SeekerSummary):
    """利用者1人の登録内容と同意の記録。"""

    email: str
    postal_code: str
    address: str
    area: str | None = Field(description="地域の識別子")
    gender: str = Field(json_schema_extra=enum(["", *Gender.values]))
    heard_from: str = Field(json_schema_extra=enum(["", *HeardFrom.values]))
    registration_channel: str = Field(json_schema_extra=enum(RegistrationChannel.values))
    consents: list[Consent]


class ConsentIn(Input):
    kind: Text = Field(json_schema_extra=enum(ConsentKind.values))
    version: Text = Field(description="同意した文書の版")
    method: Text = Field(json_schema_extra=enum(ConsentMethod.values))
    granted: StrictBool = True


class SeekerCreate(Input):
    """利用者の登録（カード番号は自動で発行）。選択肢の値の誤りは 422。"""

    program: Text = Field(description="事業の識別子")
    family_name: Text = Field(description="姓")
    given_name: Text = Field(description="名")
    family_name_kana: Text = Field(description="姓（フリガナ。ひらがなも可）")
    given_name_kana: Text = Field(description="名（フリガナ。ひらがなも可）")
    birth_date: Text = Field(
        description="生年月日（YYYY-MM-DD）", json_schema_extra={"format": "date"}
    )
    phone: Text = Field(description="電話番号（ハイフンの有無・全角は問わない）")
    email: str = ""
    postal_code: str = Field(default="", description="郵便番号（7桁）")
    address: str = ""
    area: str | None = Field(default=None, description="地域の識別子")
    gender: str = Field(default="", json_schema_extra=enum(["", *Gender.values]))
    heard_from: str = Field(default="", json_schema_extra=enum(["", *HeardFrom.values]))
    registered_on: str | None = Field(
        default=None,
        description="登録日（後日入力する紙の申込書の日付。省略時は今日）",
        json_schema_extra={"format": "date"},
    )
    channel: str = Field(
        default=RegistrationChannel.STAFF,
        description="登録経路",
        json_schema_extra=enum(RegistrationChannel.values),
    )
    consents: list[ConsentIn] = Field(default_factory=list, description="同意の記録")


class SeekerQuery(Input):
    model_config = Input.model_config | {"strict": False}
    program: Text = Field(description="事業の識別子")
    q: str = Field(default="", max_length=100, description="氏名・フリガナ・電話番号・カード番号")
    limit: int = Field(default=50, ge=1, le=MAX_RESULTS, description="最大件数")


# --- Helpers -------------------------------------------------------------------------------


def _summary(seeker: Seeker, program_slug: str, today: dt.date) -> dict[str, Any]:
    return {
        "id": seeker.pk,
        "program": program_slug,
        "card_number": seeker.card_number,
        "family_name": seeker.family_name,
        "given_name": seeker.given_name,
        "family_name_kana": seeker.family_name_kana,
        "given_name_kana": seeker.given_name_kana,
        "birth_date": seeker.birth_date.isoformat(),
        "age": seeker.age_on(today),
        "phone": seeker.phone,
        "status": seeker.status,
        "registered_on": seeker.registered_on.isoformat(),
    }


def _detail(seeker: Seeker, program_slug: str) -> dict[str, Any]:
    return {
        **_summary(seeker, program_slug, timezone.localdate()),
        "email": seeker.email,
        "postal_code": seeker.postal_code,
        "address": seeker.address,
        "area": seeker.area.code if seeker.area else None,
        "gender": seeker.gender,
        "heard_from": seeker.heard_from,
        "registration_channel": seeker.registration_channel,
        "consents": [
            {
                "kind": c.kind,
                "version": c.version,
                "method": c.method,
                "granted": c.granted,
                "at": c.at.isoformat(),
            }
            for c in seeker.consents.order_by("at", "id")
        ],
    }


# --- Endpoints -----------------------------------------------------------------------------


@router.get(
    "seekers",
    url_name="seekers",
    response={200: list[SeekerSummary], 400: Error, 403: Error, 404: Error},
    summary="利用者の検索",
)
def seeker_list(request: HttpRequest, query: Query[SeekerQuery]) -> HttpResponse:
    """Seekers of the program matching ``q`` by name (kanji or kana, any width), phone
    or card number; without ``q``, the program's seekers in furigana order."""
    refuse_unknown_query(request, {"program", "q", "limit"})
    program = program_or_404(request.user, query.program, VIEW_PERMISSION)
    found = list(
        seeker_search(user=request.user, query=query.q, program_id=program.pk)[: query.limit]
    )
    audit_records_listed(request, found, program_slug=program.slug, note="api search")
    today = timezone.localdate()
    return JsonResponse([_summary(s, program.slug, today) for s in found], safe=False)


@router.post(
    "seekers",
    url_name="seekers",
    response={201: SeekerDetail, 400: Error, 403: Error, 404: Error, 422: Error},
    summary="利用者の登録",
    openapi_extra={
        "responses": {422: {"description": "登録できない内容（項目ごとの理由は fields）"}}
    },
)
def seeker_create(request: HttpRequest, payload: Body[SeekerCreate]) -> HttpResponse:
    """Register a seeker (a new card number is issued), as the desk's form does."""
    fields: dict[str, list[str]] = {}
    birth_date = date_field(payload.birth_date, "birth_date", fields)
    registered_on = date_field(payload.registered_on, "registered_on", fields)
    if fields or birth_date is None:
        raise bad_request(fields)
    program = program_or_404(request.user, payload.program, ADD_PERMISSION)
    area = None
    if payload.area:
        area = program.areas.filter(code=payload.area).first()
        if area is None:
            raise DomainError(
                _("入力内容に誤りがあります。赤字の項目をご確認ください。"),
                code="invalid",
                status=422,
                field_errors={"area": [_("この事業の地域の識別子を指定してください。")]},
            )
    seeker = seeker_register(
        program=program,
        actor=request.auth,  # type: ignore[attr-defined]  # set by the site's auth
        channel=payload.channel,
        family_name=payload.family_name,
        given_name=payload.given_name,
        family_name_kana=payload.family_name_kana,
        given_name_kana=payload.given_name_kana,
        birth_date=birth_date,
        phone=payload.phone,
        email=payload.email,
        postal_code=payload.postal_code,
        address=payload.address,
        area=area,
        gender=payload.gender,
        heard_from=payload.heard_from,
        registered_on=registered_on,
        consents=[
            ConsentInput(kind=c.kind, version=c.version, method=c.method, granted=c.granted)
            for c in payload.consents
        ],
    )
    return JsonResponse(_detail(seeker, program.slug), status=201)


@router.get(
    "seekers/{int:seeker_id}",
    url_name="seeker",
    response={200: SeekerDetail, 403: Error, 404: Error},
    summary="利用者の登録内容",
)
def seeker_detail(request: HttpRequest, seeker_id: int) -> HttpResponse:
    """One seeker's record and consents; the read is audited."""
    seeker = program_object_or_404(
        request.user,
        Seeker.objects.select_related("program", "area").filter(pk=record_id(seeker_id)),
        VIEW_PERMISSION,
    )
    audit_record_view(request, seeker, program_slug=seeker.program.slug)
    return JsonResponse(_detail(seeker, seeker.program.slug))
