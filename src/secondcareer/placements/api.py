"""Placements' router of the JSON API (``/api/``, :mod:`secondcareer.api`): referrals
(職業紹介) with their status changes and application support, placements (就職決定) and
retention follow-ups (定着支援). Stable interfaces (README).

Access, within the program (:mod:`secondcareer.placements.access`): consultants (their
own caseload: assigned or shared cases), job developers (referrals and placements of
the whole program, never follow-ups: they are case content) and managers (everything).
Reception and the municipality get 403; another program, or another consultant's
seeker, is a 404. Every answer naming a seeker is audited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router
from pydantic import StrictFloat, StrictInt, StrictStr

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
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.sql import storable_id
from secondcareer.jobs.models import Employer, JobPosting
from secondcareer.people.access import (
    has_program_perm,
    program_object_or_404,
    program_or_404,
)
from secondcareer.people.models import Seeker
from secondcareer.placements.access import (
    FOLLOWUP_CHANGE,
    FOLLOWUP_VIEW,
    PLACEMENT_ADD,
    PLACEMENT_VIEW,
    REFERRAL_ADD,
    REFERRAL_CHANGE,
    REFERRAL_VIEW,
    SUPPORT_ADD,
    may_see_seeker,
    scoped,
)
from secondcareer.placements.models import (
    OPEN_REFERRAL_STATUSES,
    ConfirmedBy,
    EmploymentType,
    FollowUp,
    FollowUpOutcome,
    Placement,
    PlacementSource,
    Referral,
    ReferralStatus,
    SupportKind,
)
from secondcareer.placements.selectors import with_overdue
from secondcareer.placements.services import (
    application_support_log,
    followup_record,
    placement_create,
    referral_change_status,
    referral_create,
)
from secondcareer.programs.models import Program

LIST_LIMIT = 500

router = Router(tags=["職業紹介・就職・定着支援"])


def _today() -> dt.date:
    return timezone.localtime(timezone.now(), TOKYO).date()


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _unknown(field: str, message: str) -> DomainError:
    return DomainError(
        _("指定の内容に誤りがあります。"),
        code="invalid",
        status=422,
        field_errors={field: [message]},
    )


def _seeker(program: Program, request: HttpRequest, seeker_id: int) -> Seeker:
    seeker = (
        Seeker.objects.filter(pk=seeker_id, program=program).first()
        if storable_id(seeker_id)
        else None
    )
    if seeker is None or not may_see_seeker(request.user, program.pk, seeker.pk):
        raise _unknown("seeker_id", _("この事業に登録された、担当の利用者のIDを指定してください。"))
    return seeker


def _in_scope(request: HttpRequest, obj: Any, seeker_id: int) -> None:
    """Another consultant's seeker does not exist for a consultant."""
    if not may_see_seeker(request.user, obj.program_id, seeker_id):
        raise Http404


# --- referrals ----------------------------------------------------------------------------


class ReferralCreate(Input):
    program: Text = Field(description="事業の識別子")
    seeker_id: StrictInt = Field(description="その事業に登録された利用者のID")
    posting_id: StrictInt = Field(description="その事業の求人のID")
    referred_on: StrictStr | None = Field(
        default=None, json_schema_extra={"format": "date"}, description="紹介日（省略時は今日）"
    )
    note: StrictStr = Field(default="", max_length=2000)


class PlacementDetails(Input):
    start_on: StrictStr = Field(json_schema_extra={"format": "date"}, description="就職日")
    employment_type: StrictStr = Field(json_schema_extra=enum(EmploymentType.values))
    weekly_hours: StrictInt | StrictFloat | None = Field(default=None, ge=0, le=168)
    wage: StrictInt | None = Field(default=None, description="賃金（円）")
    wage_type: StrictStr = Field(default="", description="hourly / daily / monthly")
    confirmed_by: StrictStr = Field(default="", json_schema_extra=enum(ConfirmedBy.values))
    confirmed_on: StrictStr | None = Field(default=None, json_schema_extra={"format": "date"})


class ReferralPatch(Input):
    status: StrictStr = Field(json_schema_extra=enum(ReferralStatus.values))
    note: StrictStr = Field(default="", max_length=500)
    on: StrictStr | None = Field(
        default=None, json_schema_extra={"format": "date"}, description="終了日（省略時は今日）"
    )
    placement: PlacementDetails | None = Field(
        default=None, description="status が hired のとき必須: 作成する就職決定の内容"
    )


class SupportCreate(Input):
    kind: StrictStr = Field(json_schema_extra=enum(SupportKind.values))
    minutes: StrictInt = Field(ge=0, le=600)
    on: StrictStr | None = Field(default=None, json_schema_extra={"format": "date"})
    note: StrictStr = Field(default="", max_length=2000)


class ChangeOut(Output):
    from_status: str
    to_status: str
    at: dt.datetime
    by: str | None
    note: str


class SupportOut(Output):
    id: int
    kind: str
    on: dt.date
    minutes: int
    by: str | None
    note: str


class ReferralOut(Output):
    id: int
    program: str
    seeker_id: int
    posting_id: int
    employer_id: int
    status: str = Field(json_schema_extra=enum(ReferralStatus.values))
    open: bool
    counts_as_own_developed: bool = Field(description="センター開拓求人への紹介（職業紹介件数）")
    referred_on: dt.date
    closed_on: dt.date | None
    note: str
    placement_id: int | None
    changes: list[ChangeOut] | None = Field(default=None, description="詳細でのみ")
    supports: list[SupportOut] | None = Field(default=None, description="詳細でのみ")


class ReferralQuery(Input):
    model_config = Input.model_config | {"strict": False}
    program: Text = Field(description="事業の識別子")
    seeker_id: int | None = None
    posting_id: int | None = None
    status: str | None = Field(default=None, json_schema_extra=enum(ReferralStatus.values))
    open: bool | None = Field(default=None, description="true: 進行中だけ, false: 終了したものだけ")
    limit: int = Field(default=200, ge=1, le=LIST_LIMIT)


def _user_name(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def _referral_json(referral: Referral, *, detail: bool = False) -> dict[str, Any]:
    placements = list(referral.placements.all())
    data: dict[str, Any] = {
        "id": referral.pk,
        "program": referral.program.slug,
        "seeker_id": referral.seeker_id,
        "posting_id": referral.posting_id,
        "employer_id": referral.posting.employer_id,
        "status": referral.status,
        "open": referral.is_open,
        "counts_as_own_developed": referral.counts_as_own_developed,
        "referred_on": referral.referred_on.isoformat(),
        "closed_on": _iso(referral.closed_on),
        "note": referral.note,
        "placement_id": placements[0].pk if placements else None,
    }
    if detail:
        data["changes"] = [
            {
                "from_status": c.from_status,
                "to_status": c.to_status,
                "at": c.at.astimezone(TOKYO).isoformat(),
                "by": _user_name(c.by),
                "note": c.note,
            }
            for c in referral.changes.select_related("by").order_by("at", "id")
        ]
        data["supports"] = [
            {
                "id": s.pk,
                "kind": s.kind,
                "on": s.on.isoformat(),
                "minutes": s.minutes,
                "by": _user_name(s.by),
                "note": s.note,
            }
            for s in referral.supports.select_related("by").order_by("on", "id")
        ]
    return data


def _referrals() -> Any:
    return Referral.objects.select_related("program", "posting", "seeker").prefetch_related(
        "placements"
    )


def _referral_for(request: HttpRequest, referral_id: int, perm: str) -> Referral:
    referral = program_object_or_404(
        request.user, _referrals().filter(pk=record_id(referral_id)), perm
    )
    _in_scope(request, referral, referral.seeker_id)
    return referral


@router.get(
    "referrals",
    url_name="referrals",
    response={200: list[ReferralOut], 400: Error, 403: Error, 404: Error},
    summary="職業紹介の一覧",
)
def referral_list(request: HttpRequest, query: Query[ReferralQuery]) -> HttpResponse:
    """The program's referrals the caller may see, newest first."""
    refuse_unknown_query(request, {"program", "seeker_id", "posting_id", "status", "open", "limit"})
    fields: dict[str, list[str]] = {}
    for name in ("seeker_id", "posting_id"):
        value = getattr(query, name)
        if value is not None and not storable_id(value):
            fields[name] = [_("正しいIDを指定してください。")]
    if query.status is not None and query.status not in ReferralStatus.values:
        fields["status"] = [
            _("状態は %(choices)s のいずれかです。") % {"choices": ", ".join(ReferralStatus.values)}
        ]
    if fields:
        raise bad_request(fields)
    program = program_or_404(request.user, query.program, REFERRAL_VIEW)
    referrals = scoped(_referrals().filter(program=program), request.user, program.pk, "seeker")
    if query.seeker_id is not None:
        referrals = referrals.filter(seeker_id=query.seeker_id)
    if query.posting_id is not None:
        referrals = referrals.filter(posting_id=query.posting_id)
    if query.status is not None:
        referrals = referrals.filter(status=query.status)
    if query.open is not None:
        open_q = {"status__in": OPEN_REFERRAL_STATUSES}
        referrals = referrals.filter(**open_q) if query.open else referrals.exclude(**open_q)
    rows = list(referrals.order_by("-referred_on", "-id")[: query.limit])
    audit_records_listed(
        request,
        list({r.seeker_id: r.seeker for r in rows}.values()),
        program_slug=program.slug,
        note="api referrals",
    )
    return JsonResponse([_referral_json(r) for r in rows], safe=False)


@router.post(
    "referrals",
    url_name="referrals",
    response={201: ReferralOut, 400: Error, 403: Error, 404: Error, 409: Error, 422: Error},
    summary="職業紹介の登録",
)
def referral_post(request: HttpRequest, payload: Body[ReferralCreate]) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    referred_on = date_field(payload.referred_on, "referred_on", fields)
    if fields:
        raise bad_request(fields)
    program = program_or_404(request.user, payload.program, REFERRAL_ADD)
    seeker = _seeker(program, request, payload.seeker_id)
    posting = (
        JobPosting.objects.filter(pk=payload.posting_id, program=program).first()
        if storable_id(payload.posting_id)
        else None
    )
    if posting is None:
        raise _unknown("posting_id", _("この事業の求人のIDを指定してください。"))
    referral = referral_create(
        program=program,
        seeker=seeker,
        posting=posting,
        actor=request.user,
        referred_on=referred_on,
        note=payload.note,
    )
    referral = _referrals().get(pk=referral.pk)
    audit_record_view(request, seeker, program_slug=program.slug)
    return JsonResponse(_referral_json(referral, detail=True), status=201)


@router.get(
    "referrals/{int:referral_id}",
    url_name="referral",
    response={200: ReferralOut, 403: Error, 404: Error},
    summary="職業紹介の詳細（状態の履歴と応募支援）",
)
def referral_get(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _referral_for(request, referral_id, REFERRAL_VIEW)
    audit_record_view(request, referral.seeker, program_slug=referral.program.slug)
    return JsonResponse(_referral_json(referral, detail=True))


def _placement_details(details: PlacementDetails, fields: dict[str, list[str]]) -> dict[str, Any]:
    start_on = date_field(details.start_on, "placement.start_on", fields)
    confirmed_on = date_field(details.confirmed_on, "placement.confirmed_on", fields)
    return {
        "start_on": start_on,
        "employment_type": details.employment_type,
        "weekly_hours": None
        if details.weekly_hours is None
        else Decimal(str(details.weekly_hours)),
        "wage": details.wage,
        "wage_type": details.wage_type,
        "confirmed_by": details.confirmed_by,
        "confirmed_on": confirmed_on,
    }


@router.patch(
    "referrals/{int:referral_id}",
    url_name="referral",
    response={200: ReferralOut, 400: Error, 403: Error, 404: Error, 409: Error, 422: Error},
    summary="職業紹介の状態の変更（hired で就職決定も作成）",
)
def referral_patch(
    request: HttpRequest, referral_id: int, payload: Body[ReferralPatch]
) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    on = date_field(payload.on, "on", fields)
    placement = _placement_details(payload.placement, fields) if payload.placement else None
    if fields:
        raise bad_request(fields)
    referral = _referral_for(request, referral_id, REFERRAL_CHANGE)
    if placement is not None and not has_perm(request, referral.program_id, PLACEMENT_ADD):
        raise DomainError(_("この操作を行う権限がありません。"), code="forbidden", status=403)
    referral_change_status(
        referral=referral,
        to_status=payload.status,
        actor=request.user,
        note=payload.note,
        on=on,
        placement=placement,
    )
    referral = _referrals().get(pk=referral.pk)
    audit_record_view(request, referral.seeker, program_slug=referral.program.slug)
    return JsonResponse(_referral_json(referral, detail=True))


def has_perm(request: HttpRequest, program_id: int, perm: str) -> bool:
    return has_program_perm(request.user, program_id, perm)


@router.post(
    "referrals/{int:referral_id}/support",
    url_name="referral_support",
    response={201: SupportOut, 400: Error, 403: Error, 404: Error, 422: Error},
    summary="応募支援の記録（添削・模擬面接・同行）",
)
def referral_support(
    request: HttpRequest, referral_id: int, payload: Body[SupportCreate]
) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    on = date_field(payload.on, "on", fields)
    if fields:
        raise bad_request(fields)
    referral = _referral_for(request, referral_id, SUPPORT_ADD)
    support = application_support_log(
        referral=referral,
        kind=payload.kind,
        actor=request.user,
        minutes=payload.minutes,
        on=on,
        note=payload.note,
    )
    return JsonResponse(
        {
            "id": support.pk,
            "kind": support.kind,
            "on": support.on.isoformat(),
            "minutes": support.minutes,
            "by": _user_name(support.by),
            "note": support.note,
        },
        status=201,
    )


# --- placements ---------------------------------------------------------------------------


class PlacementCreate(PlacementDetails):
    program: Text = Field(description="事業の識別子")
    seeker_id: StrictInt
    employer_id: StrictInt
    posting_id: StrictInt | None = None
    source: StrictStr = Field(
        json_schema_extra=enum([PlacementSource.HELLOWORK, PlacementSource.SELF_FOUND]),
        description="hellowork / self_found（センターの紹介による就職は紹介の PATCH で）",
    )


class FollowUpOut(Output):
    id: int
    placement_id: int
    seeker_id: int
    months: int
    due: dt.date
    overdue: bool
    own_service: bool = Field(description="契約期間の終了後（自主事業として継続）")
    done_on: dt.date | None
    outcome: str
    topics: list[str] | None = Field(description="課題の話題（相談内容を見る権限がなければ null）")
    note: str | None
    left_on: dt.date | None
    left_reason: str | None
    consultation_id: int | None


class PlacementOut(Output):
    id: int
    program: str
    seeker_id: int
    employer_id: int
    posting_id: int | None
    referral_id: int | None
    source: str
    start_on: dt.date
    employment_type: str
    weekly_hours: float | None
    wage: int | None
    wage_type: str
    confirmed_by: str
    confirmed_on: dt.date | None
    age_at_start: int
    followups: list[FollowUpOut] | None = Field(default=None, description="詳細でのみ")


class PlacementQuery(Input):
    model_config = Input.model_config | {"strict": False}
    program: Text
    seeker_id: int | None = None
    start_from: str | None = Field(default=None, alias="from", description="就職日がこの日以降")
    start_to: str | None = Field(default=None, alias="to", description="就職日がこの日まで")
    limit: int = Field(default=200, ge=1, le=LIST_LIMIT)


def _placement_json(placement: Placement) -> dict[str, Any]:
    return {
        "id": placement.pk,
        "program": placement.program.slug,
        "seeker_id": placement.seeker_id,
        "employer_id": placement.employer_id,
        "posting_id": placement.posting_id,
        "referral_id": placement.referral_id,
        "source": placement.source,
        "start_on": placement.start_on.isoformat(),
        "employment_type": placement.employment_type,
        "weekly_hours": float(placement.weekly_hours)
        if placement.weekly_hours is not None
        else None,
        "wage": placement.wage,
        "wage_type": placement.wage_type,
        "confirmed_by": placement.confirmed_by,
        "confirmed_on": _iso(placement.confirmed_on),
        "age_at_start": placement.age_at_start,
    }


def _followup_json(followup: FollowUp, today: dt.date, *, content: bool) -> dict[str, Any]:
    return {
        "id": followup.pk,
        "placement_id": followup.placement_id,
        "seeker_id": followup.placement.seeker_id,
        "months": followup.months,
        "due": followup.due_on.isoformat(),
        "overdue": followup.done_on is None and followup.due_on < today,
        "own_service": followup.own_service,
        "done_on": _iso(followup.done_on),
        "outcome": followup.outcome,
        "topics": sorted(t.code for t in followup.topics.all()) if content else None,
        "note": followup.note if content else None,
        "left_on": _iso(followup.left_on),
        "left_reason": followup.left_reason if content else None,
        "consultation_id": followup.consultation_record_id,
    }


def _placements() -> Any:
    return Placement.objects.select_related("program", "seeker")


@router.get(
    "placements",
    url_name="placements",
    response={200: list[PlacementOut], 400: Error, 403: Error, 404: Error},
    summary="就職決定の一覧",
)
def placement_list(request: HttpRequest, query: Query[PlacementQuery]) -> HttpResponse:
    refuse_unknown_query(request, {"program", "seeker_id", "from", "to", "limit"})
    fields: dict[str, list[str]] = {}
    first = date_field(query.start_from, "from", fields) if query.start_from else None
    last = date_field(query.start_to, "to", fields) if query.start_to else None
    if query.seeker_id is not None and not storable_id(query.seeker_id):
        fields["seeker_id"] = [_("正しいIDを指定してください。")]
    if first and last and first > last:
        fields["to"] = [_("終わりの日は始まりの日以降にしてください。")]
    if fields:
        raise bad_request(fields)
    program = program_or_404(request.user, query.program, PLACEMENT_VIEW)
    placements = scoped(_placements().filter(program=program), request.user, program.pk, "seeker")
    if query.seeker_id is not None:
        placements = placements.filter(seeker_id=query.seeker_id)
    if first is not None:
        placements = placements.filter(start_on__gte=first)
    if last is not None:
        placements = placements.filter(start_on__lte=last)
    rows = list(placements.order_by("-start_on", "-id")[: query.limit])
    audit_records_listed(
        request,
        list({p.seeker_id: p.seeker for p in rows}.values()),
        program_slug=program.slug,
        note="api placements",
    )
    return JsonResponse([_placement_json(p) for p in rows], safe=False)


@router.post(
    "placements",
    url_name="placements",
    response={201: PlacementOut, 400: Error, 403: Error, 404: Error, 409: Error, 422: Error},
    summary="就職決定の登録（ハローワーク・自己開拓による就職）",
)
def placement_post(request: HttpRequest, payload: Body[PlacementCreate]) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    details = _placement_details(payload, fields)
    if fields:
        raise bad_request(fields)
    program = program_or_404(request.user, payload.program, PLACEMENT_ADD)
    if payload.source == PlacementSource.REFERRAL:
        raise _unknown(
            "source",
            _("センターの紹介による就職は、紹介の状態を hired にして登録してください。"),
        )
    seeker = _seeker(program, request, payload.seeker_id)
    employer = (
        Employer.objects.filter(pk=payload.employer_id, program=program).first()
        if storable_id(payload.employer_id)
        else None
    )
    if employer is None:
        raise _unknown("employer_id", _("この事業の事業所のIDを指定してください。"))
    posting = None
    if payload.posting_id is not None:
        posting = (
            JobPosting.objects.filter(pk=payload.posting_id, program=program).first()
            if storable_id(payload.posting_id)
            else None
        )
        if posting is None:
            raise _unknown("posting_id", _("この事業の求人のIDを指定してください。"))
    if details["start_on"] is None:
        raise bad_request({"start_on": [_("就職日を指定してください。")]})
    placement = placement_create(
        program=program,
        seeker=seeker,
        employer=employer,
        posting=posting,
        source=payload.source,
        actor=request.user,
        **details,
    )
    audit_record_view(request, seeker, program_slug=program.slug)
    return JsonResponse(_placement_json(_placements().get(pk=placement.pk)), status=201)


@router.get(
    "placements/{int:placement_id}",
    url_name="placement",
    response={200: PlacementOut, 403: Error, 404: Error},
    summary="就職決定の詳細（定着支援フォローアップを含む）",
)
def placement_get(request: HttpRequest, placement_id: int) -> HttpResponse:
    placement = program_object_or_404(
        request.user, _placements().filter(pk=record_id(placement_id)), PLACEMENT_VIEW
    )
    _in_scope(request, placement, placement.seeker_id)
    audit_record_view(request, placement.seeker, program_slug=placement.program.slug)
    data: dict[str, Any] = {**_placement_json(placement), "followups": None}
    if has_perm(request, placement.program_id, FOLLOWUP_VIEW):
        today = _today()
        content = has_perm(request, placement.program_id, "consultations.view_case_notes")
        followups = placement.followups.select_related("placement").prefetch_related("topics")
        data["followups"] = [_followup_json(f, today, content=content) for f in followups]
    return JsonResponse(data)


# --- follow-ups ---------------------------------------------------------------------------


class FollowUpQuery(Input):
    model_config = Input.model_config | {"strict": False}
    program: Text
    due_before: str | None = Field(
        default=None, description="この日以前が予定日のもの（YYYY-MM-DD）"
    )
    overdue: bool | None = Field(
        default=None, description="true: 予定日を過ぎて未実施のものだけ（今日の時点）"
    )
    done: bool | None = Field(default=None, description="true: 実施済み, false: 未実施")
    seeker_id: int | None = None
    limit: int = Field(default=200, ge=1, le=LIST_LIMIT)


class FollowUpRecord(Input):
    outcome: StrictStr = Field(json_schema_extra=enum(FollowUpOutcome.values))
    done_on: StrictStr | None = Field(default=None, json_schema_extra={"format": "date"})
    topics: list[StrictStr] = Field(default_factory=list, description="課題ありのときの話題")
    note: StrictStr = Field(default="", max_length=20000)
    left_on: StrictStr | None = Field(default=None, json_schema_extra={"format": "date"})
    left_reason: StrictStr = Field(default="", max_length=500)
    interview_minutes: StrictInt | None = Field(
        default=None,
        ge=1,
        le=480,
        description="面談したときの時間（分）: 定着支援フォローアップの相談記録も作成",
    )
    interview_method: StrictStr = Field(
        default="phone", description="chat / phone / video / in_person"
    )


def _followups() -> Any:
    return FollowUp.objects.select_related("placement__program", "placement__seeker")


@router.get(
    "followups",
    url_name="followups",
    response={200: list[FollowUpOut], 400: Error, 403: Error, 404: Error},
    summary="定着支援フォローアップの一覧",
)
def followup_list(request: HttpRequest, query: Query[FollowUpQuery]) -> HttpResponse:
    """Earliest due first; overdue is derived (not done, due before today)."""
    refuse_unknown_query(
        request, {"program", "due_before", "overdue", "done", "seeker_id", "limit"}
    )
    fields: dict[str, list[str]] = {}
    due_before = date_field(query.due_before, "due_before", fields) if query.due_before else None
    if query.seeker_id is not None and not storable_id(query.seeker_id):
        fields["seeker_id"] = [_("正しいIDを指定してください。")]
    if fields:
        raise bad_request(fields)
    program = program_or_404(request.user, query.program, FOLLOWUP_VIEW)
    today = _today()
    followups = scoped(
        _followups().filter(placement__program=program),
        request.user,
        program.pk,
        "placement__seeker",
    )
    followups = with_overdue(followups, today)
    if due_before is not None:
        followups = followups.filter(due_on__lte=due_before)
    if query.overdue is not None:
        late = Q(done_on__isnull=True, due_on__lt=today)
        followups = followups.filter(late if query.overdue else ~late)
    if query.done is not None:
        followups = followups.filter(done_on__isnull=not query.done)
    if query.seeker_id is not None:
        followups = followups.filter(placement__seeker_id=query.seeker_id)
    content = has_perm(request, program.pk, "consultations.view_case_notes")
    if content:
        followups = followups.prefetch_related("topics")
    rows = list(followups.order_by("due_on", "id")[: query.limit])
    audit_records_listed(
        request,
        list({f.placement.seeker_id: f.placement.seeker for f in rows}.values()),
        program_slug=program.slug,
        note="api followups",
    )
    return JsonResponse([_followup_json(f, today, content=content) for f in rows], safe=False)


@router.patch(
    "followups/{int:followup_id}",
    url_name="followup",
    response={200: FollowUpOut, 400: Error, 403: Error, 404: Error, 409: Error, 422: Error},
    summary="定着支援フォローアップの結果の記録",
)
def followup_patch(
    request: HttpRequest, followup_id: int, payload: Body[FollowUpRecord]
) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    done_on = date_field(payload.done_on, "done_on", fields)
    left_on = date_field(payload.left_on, "left_on", fields)
    if fields:
        raise bad_request(fields)
    followup = _followups().filter(pk=record_id(followup_id)).first()
    if followup is None:
        raise Http404
    program = followup.placement.program
    program_object_or_404(
        request.user, Placement.objects.filter(pk=followup.placement_id), FOLLOWUP_CHANGE
    )
    _in_scope(request, followup.placement, followup.placement.seeker_id)
    followup = followup_record(
        followup=followup,
        actor=request.user,
        outcome=payload.outcome,
        done_on=done_on,
        topics=payload.topics,
        note=payload.note,
        left_on=left_on,
        left_reason=payload.left_reason,
        interview_minutes=payload.interview_minutes,
        interview_method=payload.interview_method,
    )
    followup = _followups().prefetch_related("topics").get(pk=followup.pk)
    audit_record_view(request, followup.placement.seeker, program_slug=program.slug)
    return JsonResponse(_followup_json(followup, _today(), content=True))
