"""Consultations' router of the JSON API (``/api/``, :mod:`secondcareer.api`):
recording a consultation and listing the support-plan reviews due; the inactivity
follow-up's calls and postcards (``/api/inactivity-checks``).

Access, within the program (:mod:`secondcareer.people.access`): recording needs
``consultations.add_consultationrecord`` (consultants and managers); the reviews need
``consultations.view_review``, and a consultant sees only the reviews of the cases
assigned to them (their caseload), a manager every review of the program. Reception,
job developers and the municipality get 403; another program is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router
from pydantic import StrictInt, StrictStr

from secondcareer.booking.models import Reservation
from secondcareer.consultations.access import (
    CHECK_ADD_PERMISSION,
    CHECK_VIEW_PERMISSION,
    case_or_404,
    caseload_filter,
    followup_scope,
    may_follow_up,
    visible_cases,
)
from secondcareer.consultations.models import (
    Attendance,
    Case,
    CheckMethod,
    ConsultationRecord,
    EmploymentStatus,
    InactivityCheck,
    ReferralOutcome,
    ReviewKind,
    SupportBody,
    SupportPlan,
    SupportReferral,
)
from secondcareer.consultations.selectors import review_assignee, reviews_due
from secondcareer.consultations.services import (
    consultation_record_create,
    inactivity_check_record,
    referral_create,
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
from secondcareer.core.sql import storable_id
from secondcareer.people.access import (
    has_program_perm,
    program_object_or_404,
    program_or_404,
    program_roles,
)
from secondcareer.people.models import Role, Seeker
from secondcareer.programs.choices import Method

RECORD_PERMISSION = "consultations.add_consultationrecord"
CASE_PERMISSION = "consultations.view_case"
NOTES_PERMISSION = "consultations.view_case_notes"
PLAN_PERMISSION = "consultations.view_supportplan"
REVIEW_PERMISSION = "consultations.view_review"
REFERRAL_VIEW_PERMISSION = "consultations.view_supportreferral"
REFERRAL_PERMISSION = "consultations.add_supportreferral"
LIST_LIMIT = 500

router = Router(tags=["相談記録"])


class ConsultationCreate(Input):
    """相談記録1件（終わった相談を後から記録するため、過去の開始日時も可）。"""

    program: Text = Field(description="事業の識別子")
    seeker_id: int = Field(description="その事業に登録された利用者のID")
    kind: Text = Field(description="相談の種類（プリセットの consultation_kinds の code）")
    method: Text = Field(json_schema_extra=enum(Method.values))
    start: Text = Field(
        description="開始日時。タイムゾーン必須（例: 2027-01-06T10:00:00+09:00）",
        json_schema_extra={"format": "date-time"},
    )
    minutes: StrictInt = Field(ge=1, le=480, description="相談時間（分）")
    topics: list[StrictStr] = Field(
        default_factory=list, description="話題（プリセットの consultation_topics の code）"
    )
    notes: StrictStr = Field(default="", max_length=20000, description="相談記録")
    next_action: StrictStr = Field(default="", max_length=500)
    next_contact_on: StrictStr | None = Field(default=None, json_schema_extra={"format": "date"})
    channel: StrictStr | None = Field(
        default=None, description="online / venue（省略時は方法から）"
    )
    attendance: StrictStr = Field(
        default=Attendance.ATTENDED, json_schema_extra=enum(Attendance.values)
    )
    reservation_id: StrictInt | None = Field(
        default=None, description="予約に基づく相談ならその予約ID"
    )


class ConsultationOut(Output):
    id: int
    program: str
    seeker_id: int
    case_id: int | None = Field(description="記録が入った支援ケース（欠席の記録では null）")
    reservation_id: int | None
    kind: str
    method: str
    channel: str
    start: dt.datetime
    minutes: int
    attendance: str
    consultant_id: int | None
    topics: list[str]
    notes: str
    next_action: str
    next_contact_on: dt.date | None


class ReviewQuery(Input):
    model_config = Input.model_config | {"strict": False}
    program: Text = Field(description="事業の識別子")
    due_before: str | None = Field(
        default=None, description="この日以前が期日の見直し（YYYY-MM-DD、省略時は今日）"
    )


class ReviewOut(Output):
    id: int
    case_id: int
    seeker_id: int
    kind: str = Field(json_schema_extra=enum(ReviewKind.values))
    due: dt.date
    overdue: bool = Field(description="期日を過ぎている（今日の時点）")
    assignee: str | None = Field(description="担当者のユーザー名（6か月以降で未定なら null）")


def _record_json(
    record: ConsultationRecord, program_slug: str, *, content: bool = True
) -> dict[str, Any]:
    """A record as the API gives it; without ``content`` (reception, job developers)
    the topics, notes and next action are left empty."""
    return {
        "id": record.pk,
        "program": program_slug,
        "seeker_id": record.seeker_id,
        "case_id": record.case_id,
        "reservation_id": record.reservation_id,
        "kind": record.kind.code,
        "method": record.method,
        "channel": record.channel,
        "start": record.started_at.astimezone(TOKYO).isoformat(),
        "minutes": record.minutes,
        "attendance": record.attendance,
        "consultant_id": record.consultant_id,
        "topics": sorted(t.code for t in record.topics.all()) if content else [],
        "notes": record.notes if content else "",
        "next_action": record.next_action if content else "",
        "next_contact_on": record.next_contact_on.isoformat() if record.next_contact_on else None,
    }


def _unknown(field: str, message: str) -> DomainError:
    return DomainError(
        _("記録の内容に誤りがあります。"),
        code="invalid",
        status=422,
        field_errors={field: [message]},
    )


@router.post(
    "consultations",
    url_name="consultations",
    response={201: ConsultationOut, 400: Error, 403: Error, 404: Error, 409: Error, 422: Error},
    summary="相談記録の作成",
)
def consultation_create(request: HttpRequest, payload: Body[ConsultationCreate]) -> HttpResponse:
    """Record a consultation; the first record of a seeker opens their case."""
    fields: dict[str, list[str]] = {}
    start = aware_datetime(payload.start, "start", fields)
    next_contact_on = date_field(payload.next_contact_on, "next_contact_on", fields)
    if fields or start is None:
        raise bad_request(fields)
    program = program_or_404(request.user, payload.program, RECORD_PERMISSION)
    seeker = (
        Seeker.objects.filter(pk=payload.seeker_id, program=program).first()
        if storable_id(payload.seeker_id)
        else None
    )
    if seeker is None:
        raise _unknown("seeker_id", _("この事業に登録された利用者のIDを指定してください。"))
    reservation = None
    if payload.reservation_id is not None:
        if storable_id(payload.reservation_id):
            reservation = Reservation.objects.filter(
                pk=payload.reservation_id, program=program
            ).first()
        if reservation is None:
            raise _unknown("reservation_id", _("この事業の予約のIDを指定してください。"))
    record = consultation_record_create(
        program=program,
        seeker=seeker,
        actor=request.user,
        reservation=reservation,
        kind=payload.kind,
        method=payload.method,
        channel=payload.channel,
        start=start,
        minutes=payload.minutes,
        topics=payload.topics,
        notes=payload.notes,
        next_action=payload.next_action,
        next_contact_on=next_contact_on,
        attendance=payload.attendance,
    )
    record = (
        ConsultationRecord.objects.select_related("kind")
        .prefetch_related("topics")
        .get(pk=record.pk)
    )
    return JsonResponse(_record_json(record, program.slug), status=201)


@router.get(
    "reviews",
    url_name="reviews",
    response={200: list[ReviewOut], 400: Error, 403: Error, 404: Error},
    summary="期日の来た支援計画の見直し",
)
def review_list(request: HttpRequest, query: Query[ReviewQuery]) -> HttpResponse:
    """Open reviews due on or before ``due_before`` (default today), earliest first: a
    consultant's own caseload, or every case of the program for a manager."""
    refuse_unknown_query(request, {"program", "due_before"})
    fields: dict[str, list[str]] = {}
    today = timezone.localtime(timezone.now(), TOKYO).date()
    day = date_field(query.due_before, "due_before", fields) if query.due_before else today
    if fields or day is None:
        raise bad_request(fields)
    program = program_or_404(request.user, query.program, REVIEW_PERMISSION)
    reviews = reviews_due(program, day)
    if Role.MANAGER not in program_roles(request.user, program):
        reviews = reviews.filter(case__in=Case.objects.filter(caseload_filter(request.user)))
    rows = list(reviews)
    audit_records_listed(
        request, [r.case.seeker for r in rows], program_slug=program.slug, note="api reviews"
    )
    data = []
    for review in rows:
        assignee = review_assignee(review)
        data.append(
            {
                "id": review.pk,
                "case_id": review.case_id,
                "seeker_id": review.case.seeker_id,
                "kind": review.kind,
                "due": review.due_on.isoformat(),
                "overdue": review.due_on < today,
                "assignee": assignee.get_username() if assignee is not None else None,
            }
        )
    return JsonResponse(data, safe=False)


class ConsultationQuery(Input):
    model_config = Input.model_config | {"strict": False}
    program: Text = Field(description="事業の識別子")
    seeker_id: int | None = Field(default=None, description="この利用者の記録だけ")
    case_id: int | None = Field(default=None, description="この支援ケースの記録だけ")
    start_from: str | None = Field(
        default=None, alias="from", description="この日以降に始まった相談（YYYY-MM-DD）"
    )
    start_to: str | None = Field(
        default=None, alias="to", description="この日までに始まった相談（YYYY-MM-DD）"
    )
    limit: int = Field(default=200, ge=1, le=LIST_LIMIT, description="最大件数（新しい順）")


@router.get(
    "consultations",
    url_name="consultation_list",
    response={200: list[ConsultationOut], 400: Error, 403: Error, 404: Error},
    summary="相談記録の一覧",
)
def consultation_list(request: HttpRequest, query: Query[ConsultationQuery]) -> HttpResponse:
    """Records of the cases the caller may see (a consultant's caseload and the cases
    shared with them, every case for a manager), newest first. Reception and job
    developers see when and how, never the topics, notes or next action. Each seeker
    listed is audited."""
    refuse_unknown_query(request, {"program", "seeker_id", "case_id", "from", "to", "limit"})
    fields: dict[str, list[str]] = {}
    first = date_field(query.start_from, "from", fields) if query.start_from else None
    last = date_field(query.start_to, "to", fields) if query.start_to else None
    for name, value in (("seeker_id", query.seeker_id), ("case_id", query.case_id)):
        if value is not None and not storable_id(value):
            fields[name] = [_("正しいIDを指定してください。")]
    if first and last and first > last:
        fields["to"] = [_("終わりの日は始まりの日以降にしてください。")]
    if fields:
        raise bad_request(fields)
    program = program_or_404(request.user, query.program, CASE_PERMISSION)
    records = ConsultationRecord.objects.filter(
        program=program, case__in=visible_cases(request.user, program.pk)
    )
    if query.seeker_id is not None:
        records = records.filter(seeker_id=query.seeker_id)
    if query.case_id is not None:
        records = records.filter(case_id=query.case_id)
    if first is not None:
        records = records.filter(started_at__gte=dt.datetime.combine(first, dt.time.min, TOKYO))
    if last is not None:
        records = records.filter(
            started_at__lt=dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, TOKYO)
        )
    content = has_program_perm(request.user, program, NOTES_PERMISSION)
    records = records.select_related("kind", "seeker").order_by("-started_at", "-id")
    if content:
        records = records.prefetch_related("topics")
    rows = list(records[: query.limit])
    seekers = list({r.seeker_id: r.seeker for r in rows}.values())
    audit_records_listed(request, seekers, program_slug=program.slug, note="api consultations")
    data = []
    for record in rows:
        item = _record_json(record, program.slug, content=content)
        data.append(item)
    return JsonResponse(data, safe=False)


# --- Cases and plans -----------------------------------------------------------------------


class CaseQuery(Input):
    model_config = Input.model_config | {"strict": False}
    program: Text = Field(description="事業の識別子")
    open: bool = Field(default=True, description="終結していないケースだけ（false ですべて）")


class CaseOut(Output):
    id: int
    seeker_id: int
    consultant: str | None = Field(description="担当キャリアコンサルタントのユーザー名")
    status: str = Field(description="データから導く状態（intake, planning, in_support, closed …）")
    opened_on: dt.date
    anchor_on: dt.date | None = Field(description="初回相談日（見直しの起点）")
    target_on: dt.date | None
    closed_on: dt.date | None


class PlanOut(Output):
    id: int
    version: int
    status: str
    goals: str
    steps: list[Any]
    target_on: dt.date | None
    approved_by: str | None
    approved_on: dt.date | None
    superseded_on: dt.date | None


@router.get(
    "cases",
    url_name="cases",
    response={200: list[CaseOut], 400: Error, 403: Error, 404: Error},
    summary="支援ケースの一覧",
)
def case_list(request: HttpRequest, query: Query[CaseQuery]) -> HttpResponse:
    """The program's cases: a consultant's own caseload, every case for a manager, and
    for reception and job developers who is with whom (never notes or plans)."""
    refuse_unknown_query(request, {"program", "open"})
    program = program_or_404(request.user, query.program, CASE_PERMISSION)
    cases = (
        Case.objects.filter(program=program)
        .with_status_facts()
        .select_related("consultant")
        .order_by("opened_on", "id")
    )
    if query.open:
        cases = cases.open()
    rows = list(visible_cases(request.user, program.pk, cases))
    audit_records_listed(request, rows, program_slug=program.slug, note="api cases")
    return JsonResponse(
        [
            {
                "id": case.pk,
                "seeker_id": case.seeker_id,
                "consultant": case.consultant.get_username() if case.consultant else None,
                "status": str(case.status),
                "opened_on": case.opened_on.isoformat(),
                "anchor_on": case.anchor_on.isoformat() if case.anchor_on else None,
                "target_on": case.target_on.isoformat() if case.target_on else None,
                "closed_on": case.closed_on.isoformat() if case.closed_on else None,
            }
            for case in rows
        ],
        safe=False,
    )


@router.get(
    "cases/{int:case_id}/plans",
    url_name="case_plans",
    response={200: list[PlanOut], 403: Error, 404: Error},
    summary="支援計画の版",
)
def case_plans(request: HttpRequest, case_id: int) -> HttpResponse:
    """Every version of a case's support plan, newest first. Plans are case content:
    consultants (their own cases) and managers only; the opening is audited."""
    case = program_object_or_404(
        request.user,
        Case.objects.select_related("program").filter(pk=record_id(case_id)),
        PLAN_PERMISSION,
    )
    if not has_program_perm(request.user, case.program_id, NOTES_PERMISSION):
        raise PermissionDenied
    case_or_404(request.user, case)  # another consultant's unshared case: 404
    audit_record_view(request, case, program_slug=case.program.slug)
    plans = SupportPlan.objects.filter(case=case).select_related("approved_by").order_by("-version")
    return JsonResponse(
        [
            {
                "id": plan.pk,
                "version": plan.version,
                "status": plan.status,
                "goals": plan.goals,
                "steps": plan.steps,
                "target_on": plan.target_on.isoformat() if plan.target_on else None,
                "approved_by": plan.approved_by.get_username() if plan.approved_by else None,
                "approved_on": plan.approved_on.isoformat() if plan.approved_on else None,
                "superseded_on": plan.superseded_on.isoformat() if plan.superseded_on else None,
            }
            for plan in plans
        ],
        safe=False,
    )


# --- The inactivity follow-up: calls and postcards -------------------------------------------


class InactivityCheckCreate(Input):
    """電話・はがきによる利用状況の確認1件と、わかった就職状況。"""

    program: Text = Field(description="事業の識別子")
    seeker_id: int = Field(description="その事業に登録された利用者のID")
    method: Text = Field(json_schema_extra=enum(CheckMethod.values))
    result: Text = Field(
        json_schema_extra=enum(EmploymentStatus.values),
        description="working（就労中）, searching（求職中）, stopped（活動休止）, "
        "unreachable（連絡つかず・はがきの返信なし）",
    )
    done_on: StrictStr | None = Field(
        default=None,
        description="実施日（YYYY-MM-DD、省略時は今日）",
        json_schema_extra={"format": "date"},
    )
    employer_note: StrictStr = Field(default="", max_length=200, description="就職先・仕事の内容")
    next_action: StrictStr = Field(default="", max_length=500, description="次の対応")


class InactivityCheckOut(Output):
    id: int
    program: str
    seeker_id: int
    case_id: int | None
    method: str = Field(json_schema_extra=enum(CheckMethod.values))
    result: str = Field(json_schema_extra=enum(EmploymentStatus.values))
    done_on: dt.date
    due_on: dt.date | None = Field(
        description="確認の対象になった日（最後の接触から所定の月数の翌日）"
    )
    last_contact_on: dt.date | None = Field(description="記録した時点の最後の接触日")
    reached: bool = Field(description="電話で本人と話せた（利用の接触として数える）")
    employer_note: str
    next_action: str
    checked_by: str | None = Field(description="確認した人のユーザー名")


class InactivityCheckQuery(Input):
    model_config = Input.model_config | {"strict": False}
    program: Text = Field(description="事業の識別子")
    seeker_id: int | None = Field(default=None, description="この利用者の確認だけ")
    limit: int = Field(default=200, ge=1, le=LIST_LIMIT, description="最大件数（新しい順）")


def _check_json(check: InactivityCheck, program_slug: str, *, content: bool) -> dict[str, Any]:
    """A check as the API gives it; without ``content`` (reception) the notes are empty."""
    return {
        "id": check.pk,
        "program": program_slug,
        "seeker_id": check.seeker_id,
        "case_id": check.case_id,
        "method": check.method,
        "result": check.result,
        "done_on": check.done_on.isoformat(),
        "due_on": check.due_on.isoformat() if check.due_on else None,
        "last_contact_on": check.last_contact_on.isoformat() if check.last_contact_on else None,
        "reached": check.reached,
        "employer_note": check.employer_note if content else "",
        "next_action": check.next_action if content else "",
        "checked_by": check.checked_by.get_username() if check.checked_by else None,
    }


@router.post(
    "inactivity-checks",
    url_name="inactivity_checks",
    response={201: InactivityCheckOut, 400: Error, 403: Error, 404: Error, 422: Error},
    summary="電話・はがきによる利用状況の確認の記録",
)
def inactivity_check_create(
    request: HttpRequest, payload: Body[InactivityCheckCreate]
) -> HttpResponse:
    """Log a call or postcard to a seeker out of contact. Only a call that reached the
    seeker (a result other than ``unreachable``) counts as contact."""
    fields: dict[str, list[str]] = {}
    done_on = date_field(payload.done_on, "done_on", fields)
    if fields:
        raise bad_request(fields)
    program = program_or_404(request.user, payload.program, CHECK_ADD_PERMISSION)
    seeker = (
        Seeker.objects.filter(pk=payload.seeker_id, program=program).first()
        if storable_id(payload.seeker_id)
        else None
    )
    # A seeker outside a consultant's caseload is refused like an unknown one.
    if seeker is None or not may_follow_up(request.user, program.pk, seeker.pk):
        raise _unknown("seeker_id", _("この事業に登録された利用者のIDを指定してください。"))
    check = inactivity_check_record(
        program=program,
        seeker=seeker,
        actor=request.user,
        method=payload.method,
        result=payload.result,
        done_on=done_on,
        employer_note=payload.employer_note,
        next_action=payload.next_action,
    )
    content = has_program_perm(request.user, program, NOTES_PERMISSION)
    return JsonResponse(_check_json(check, program.slug, content=content), status=201)


@router.get(
    "inactivity-checks",
    url_name="inactivity_check_list",
    response={200: list[InactivityCheckOut], 400: Error, 403: Error, 404: Error},
    summary="電話・はがきによる利用状況の確認の一覧",
)
def inactivity_check_list(request: HttpRequest, query: Query[InactivityCheckQuery]) -> HttpResponse:
    """The checks of the seekers the caller follows up (a consultant's caseload, the
    whole program for managers and reception), newest first. Reception gets the
    results without the notes. Each seeker listed is audited."""
    refuse_unknown_query(request, {"program", "seeker_id", "limit"})
    if query.seeker_id is not None and not storable_id(query.seeker_id):
        raise bad_request({"seeker_id": [_("正しいIDを指定してください。")]})
    program = program_or_404(request.user, query.program, CHECK_VIEW_PERMISSION)
    checks = InactivityCheck.objects.filter(program=program)
    scope = followup_scope(request.user, program.pk)
    if scope is not None:
        checks = checks.filter(seeker__in=scope)
    if query.seeker_id is not None:
        checks = checks.filter(seeker_id=query.seeker_id)
    rows = list(
        checks.select_related("seeker", "checked_by").order_by("-done_on", "-id")[: query.limit]
    )
    seekers = list({c.seeker_id: c.seeker for c in rows}.values())
    audit_records_listed(request, seekers, program_slug=program.slug, note="api inactivity-checks")
    content = has_program_perm(request.user, program, NOTES_PERMISSION)
    return JsonResponse([_check_json(c, program.slug, content=content) for c in rows], safe=False)


# --- Referrals to public support bodies (Kobe Ⅲ-2) ------------------------------------------


class ReferralCreate(Input):
    """公的支援機関への紹介1件。"""

    body: Text = Field(description="紹介先（プリセットの support_bodies の code）")
    reason: Text = Field(max_length=2000, description="紹介の理由")
    referred_on: StrictStr | None = Field(
        default=None,
        description="紹介日（YYYY-MM-DD、省略時は今日）",
        json_schema_extra={"format": "date"},
    )


class ReferralOut(Output):
    id: int
    case_id: int
    body: str = Field(description="紹介先の code")
    body_name: str
    body_kind: str = Field(
        description="self_reliance, community_care, hello_work, silver_center, social_welfare"
    )
    reason: str
    referred_on: dt.date
    referred_by: str | None = Field(description="紹介した人のユーザー名")
    outcome: str = Field(json_schema_extra=enum(ReferralOutcome.values))
    outcome_on: dt.date | None
    outcome_note: str


def _referral_json(referral: SupportReferral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "case_id": referral.case_id,
        "body": referral.body.code,
        "body_name": referral.body.name,
        "body_kind": referral.body.kind,
        "reason": referral.reason,
        "referred_on": referral.referred_on.isoformat(),
        "referred_by": referral.referred_by.get_username() if referral.referred_by else None,
        "outcome": referral.outcome,
        "outcome_on": referral.outcome_on.isoformat() if referral.outcome_on else None,
        "outcome_note": referral.outcome_note,
    }


def _content_case(request: HttpRequest, case_id: int, perm: str) -> Case:
    """The case for a content endpoint: 404 for another program (or no such case), 403
    without ``perm`` or the notes permission (reception, job developers, the
    municipality), 404 for another consultant's unshared case."""
    case = program_object_or_404(
        request.user,
        Case.objects.select_related("program").filter(pk=record_id(case_id)),
        perm,
    )
    if not has_program_perm(request.user, case.program_id, NOTES_PERMISSION):
        raise PermissionDenied
    return case_or_404(request.user, case)


@router.get(
    "cases/{int:case_id}/referrals",
    url_name="case_referrals",
    response={200: list[ReferralOut], 403: Error, 404: Error},
    summary="公的支援機関への紹介の一覧",
)
def case_referrals(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's referrals to public support bodies, newest first, with their outcome.
    Case content: the case's consultant (and those it is shared with) and managers
    only; the opening is audited."""
    case = _content_case(request, case_id, REFERRAL_VIEW_PERMISSION)
    audit_record_view(request, case, program_slug=case.program.slug)
    referrals = (
        SupportReferral.objects.filter(case=case)
        .select_related("body", "referred_by")
        .order_by("-referred_on", "-id")
    )
    return JsonResponse([_referral_json(r) for r in referrals], safe=False)


@router.post(
    "cases/{int:case_id}/referrals",
    url_name="case_referral_create",
    response={201: ReferralOut, 400: Error, 403: Error, 404: Error, 409: Error, 422: Error},
    summary="公的支援機関への紹介の記録",
)
def case_referral_create(
    request: HttpRequest, case_id: int, payload: Body[ReferralCreate]
) -> HttpResponse:
    """Record a referral of the case to one of its program's public support bodies
    (``body`` is the body's code in the preset); the outcome starts as ``pending``."""
    fields: dict[str, list[str]] = {}
    on = date_field(payload.referred_on, "referred_on", fields) if payload.referred_on else None
    if fields:
        raise bad_request(fields)
    case = _content_case(request, case_id, REFERRAL_PERMISSION)
    body = SupportBody.objects.filter(program_id=case.program_id, code=payload.body).first()
    if body is None:
        raise _unknown("body", _("この事業の公的支援機関の code を指定してください。"))
    referral = referral_create(
        case=case, body=body, actor=request.user, reason=payload.reason, on=on
    )
    referral = SupportReferral.objects.select_related("body", "referred_by").get(pk=referral.pk)
    return JsonResponse(_referral_json(referral), status=201)
