"""Internships' router of the JSON API (``/api/``, :mod:`secondcareer.api`), a stable
interface (README):

- ``GET/POST /api/internships``, ``GET/PATCH /api/internships/{id}``;
- ``POST /api/internships/{id}/consents`` (the participant's or the employer's consent),
  ``POST /api/internships/{id}/insurance`` (the enrolment), ``POST /api/internships/{id}/confirm``.

The same access as the screens (``internship_access``): job developers and managers
read and write; a consultant reads their caseload's (another's is a 404); reception
and the municipality get 403; a program where the caller holds no role is a 404. Every
answer that names a participant is audited. Confirming without what the gate needs is
a 409 ``conflict`` whose ``details.missing`` lists it in Japanese.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import Body, Field, Query, Router
from pydantic import StrictBool, StrictStr

from secondcareer.core.api import (
    Error,
    Id,
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
from secondcareer.core.sql import storable_id
from secondcareer.jobs.models import Employer, EmployerContact
from secondcareer.people.access import program_object_or_404, program_or_404
from secondcareer.people.models import Seeker
from secondcareer.placements.internship_access import (
    ADD_INTERNSHIP,
    CHANGE_INTERNSHIP,
    VIEW_INTERNSHIP,
    visible_internships,
)
from secondcareer.placements.internship_models import (
    ConsentParty,
    Internship,
    InternshipConsent,
    InternshipKind,
    InternshipOutcome,
    InternshipStatus,
)
from secondcareer.placements.internship_selectors import internship_lacks, internships_for
from secondcareer.placements.internships.services import (
    internship_confirm,
    internship_consent_record,
    internship_create,
    internship_insurance_record,
    internship_missing,
    internship_update,
)
from secondcareer.placements.models import Placement, Referral
from secondcareer.programs.models import Program

MAX_RESULTS = 100
MAX_OFFSET = 100_000
AUDIT_NOTE = "api internships"

router = Router(tags=["インターンシップ"])


# --- Schemas -----------------------------------------------------------------------------


class ConsentOut(Output):
    given_on: dt.date = Field(description="同意日")
    given_by: str = Field(description="同意した人（事業所の担当者など）")
    recorded_at: dt.datetime


class InsuranceOut(Output):
    policy_name: str
    policy_number: str
    insurer: str
    coverage_start: dt.date
    coverage_end: dt.date


class InternshipOut(Output):
    """インターンシップ1件。``missing`` は確定に足りないもの、``lacks`` はそれに計画書の未記入項目を加えたもの。"""

    id: int
    program: str
    kind: str = Field(json_schema_extra=enum(InternshipKind.values))
    status: str = Field(json_schema_extra=enum(InternshipStatus.values))
    employer_id: int
    employer_name: str
    host_contact_id: int | None
    participant_id: int
    participant_name: str
    start_on: dt.date
    end_on: dt.date
    days: list[dt.date]
    content: str
    place: str
    schedule: str
    safety_notes: str
    harassment_notes: str
    travel_paid_by_employer: bool = Field(description="false なら交通費は参加者の負担")
    travel_note: str
    participant_consent: ConsentOut | None
    employer_consent: ConsentOut | None
    insurance: InsuranceOut | None
    missing: list[str]
    lacks: list[str]
    confirmed_at: dt.datetime | None
    outcome: str = Field(json_schema_extra=enum(InternshipOutcome.values))
    outcome_note: str
    outcome_referral_id: int | None
    outcome_placement_id: int | None


class InternshipFields(Input):
    content: StrictStr = Field(default="", max_length=5000, description="実施内容")
    place: StrictStr = Field(default="", max_length=300, description="実施場所")
    schedule: StrictStr = Field(default="", max_length=5000, description="日程（スケジュール）")
    safety_notes: StrictStr = Field(default="", max_length=5000)
    harassment_notes: StrictStr = Field(default="", max_length=5000)
    travel_paid_by_employer: StrictBool = False
    travel_note: StrictStr = Field(default="", max_length=200)
    host_contact_id: Id | None = Field(default=None, description="受入事業所の担当者のID")


class InternshipCreate(InternshipFields):
    """インターンシップの登録（状態は planned）。期間は1〜3日。"""

    program: Text = Field(description="事業の識別子")
    kind: Text = Field(json_schema_extra=enum(InternshipKind.values))
    employer_id: Id
    participant_id: Id = Field(description="参加者（利用者）のID")
    start_on: Text = Field(json_schema_extra={"format": "date"})
    end_on: Text = Field(json_schema_extra={"format": "date"})


class InternshipPatch(InternshipFields):
    """変更: 送った項目だけが変わる。確定後は種別・日程・事業所・参加者は変わらない（409）。
    status は cancelled（中止）か done（実施済み、確定後・最終日以降）だけ。"""

    kind: StrictStr | None = Field(default=None, json_schema_extra=enum(InternshipKind.values))
    employer_id: Id | None = None
    participant_id: Id | None = None
    start_on: StrictStr | None = Field(default=None, json_schema_extra={"format": "date"})
    end_on: StrictStr | None = Field(default=None, json_schema_extra={"format": "date"})
    status: StrictStr | None = Field(default=None, json_schema_extra=enum(["cancelled", "done"]))
    outcome: StrictStr | None = Field(
        default=None, json_schema_extra=enum(InternshipOutcome.values)
    )
    outcome_note: StrictStr | None = Field(default=None, max_length=5000)
    outcome_referral_id: Id | None = None
    outcome_placement_id: Id | None = None


class ConsentIn(Input):
    party: Text = Field(json_schema_extra=enum(ConsentParty.values))
    given_on: Text = Field(json_schema_extra={"format": "date"}, description="同意日")
    given_by: StrictStr = Field(default="", max_length=100)


class InsuranceIn(Input):
    policy_name: Text = Field(max_length=200)
    insurer: Text = Field(max_length=200)
    policy_number: StrictStr = Field(default="", max_length=100)
    coverage_start: Text = Field(json_schema_extra={"format": "date"})
    coverage_end: Text = Field(json_schema_extra={"format": "date"})


class InternshipQuery(Input):
    model_config = Input.model_config | {"strict": False}
    program: Text = Field(description="事業の識別子")
    status: str = Field(default="", json_schema_extra=enum(InternshipStatus.values))
    limit: int = Field(default=50, ge=1, le=MAX_RESULTS, description="最大件数（新しい順）")
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)


# --- Helpers -------------------------------------------------------------------------------


def _consent(consent: InternshipConsent | None) -> dict[str, Any] | None:
    if consent is None:
        return None
    return {
        "given_on": consent.given_on.isoformat(),
        "given_by": consent.given_by,
        "recorded_at": consent.recorded_at.isoformat(),
    }


def _json(item: Internship, program_slug: str) -> dict[str, Any]:
    consents = {c.party: c for c in item.consents.all()}
    insurance = getattr(item, "insurance", None)
    return {
        "id": item.pk,
        "program": program_slug,
        "kind": item.kind,
        "status": item.status,
        "employer_id": item.employer_id,
        "employer_name": item.employer.name,
        "host_contact_id": item.host_contact_id,
        "participant_id": item.participant_id,
        "participant_name": item.participant.full_name,
        "start_on": item.start_on.isoformat(),
        "end_on": item.end_on.isoformat(),
        "days": [day.isoformat() for day in item.days],
        "content": item.content,
        "place": item.place,
        "schedule": item.schedule,
        "safety_notes": item.safety_notes,
        "harassment_notes": item.harassment_notes,
        "travel_paid_by_employer": item.travel_paid_by_employer,
        "travel_note": item.travel_note,
        "participant_consent": _consent(consents.get(ConsentParty.PARTICIPANT)),
        "employer_consent": _consent(consents.get(ConsentParty.EMPLOYER)),
        "insurance": {
            "policy_name": insurance.policy_name,
            "policy_number": insurance.policy_number,
            "insurer": insurance.insurer,
            "coverage_start": insurance.coverage_start.isoformat(),
            "coverage_end": insurance.coverage_end.isoformat(),
        }
        if insurance is not None
        else None,
        "missing": internship_missing(item),
        "lacks": internship_lacks(item),
        "confirmed_at": item.confirmed_at.isoformat() if item.confirmed_at else None,
        "outcome": item.outcome,
        "outcome_note": item.outcome_note,
        "outcome_referral_id": item.outcome_referral_id,
        "outcome_placement_id": item.outcome_placement_id,
    }


def _internship(request: HttpRequest, internship_id: int, perm: str) -> Internship:
    """The internship for the caller: 404 outside their programs or (a consultant)
    outside their caseload, 403 without ``perm``."""
    qs = Internship.objects.select_related("program", "participant", "employer", "insurance")
    item = program_object_or_404(request.user, qs.filter(pk=record_id(internship_id)), perm)
    if not visible_internships(
        request.user, item.program_id, Internship.objects.filter(pk=item.pk)
    ).exists():
        raise Http404
    return item


def _fresh(item: Internship) -> Internship:
    """The internship read again with what the answer shows."""
    return (
        Internship.objects.select_related("participant", "employer", "insurance")
        .prefetch_related("consents")
        .get(pk=item.pk)
    )


def _unknown(field: str, message: str) -> DomainError:
    return bad_request({field: [message]})


def _row(model: Any, pk: int | None, field: str, message: str, **scope: Any) -> Any:
    if pk is None:
        return None
    row = model.objects.filter(pk=pk, **scope).first() if storable_id(pk) else None
    if row is None:
        raise _unknown(field, message)
    return row


def _dates(values: dict[str, Any]) -> None:
    problems: dict[str, list[str]] = {}
    for name in ("start_on", "end_on", "given_on", "coverage_start", "coverage_end"):
        if name in values and values[name] is not None:
            values[name] = date_field(values[name], name, problems)
    if problems:
        raise bad_request(problems)


def _choice(value: str | None, allowed: list[str], field: str) -> None:
    if value is not None and value not in allowed:
        raise bad_request(
            {
                field: [
                    _("%(values)s のいずれかを指定してください。") % {"values": "・".join(allowed)}
                ]
            }
        )


# The payload's ids: (key, the service's field, the model, its lookup to the program,
# the message when the id is not the program's, whether null is refused).
_LINKS = (
    (
        "employer_id",
        "employer",
        Employer,
        "program",
        _lazy("この事業の事業所のIDを指定してください。"),
        True,
    ),
    (
        "participant_id",
        "participant",
        Seeker,
        "program",
        _lazy("この事業の利用者のIDを指定してください。"),
        True,
    ),
    (
        "host_contact_id",
        "host_contact",
        EmployerContact,
        "employer__program",
        _lazy("受入事業所の担当者のIDを指定してください。"),
        False,
    ),
    (
        "outcome_referral_id",
        "outcome_referral",
        Referral,
        "program",
        _lazy("この事業の職業紹介のIDを指定してください。"),
        False,
    ),
    (
        "outcome_placement_id",
        "outcome_placement",
        Placement,
        "program",
        _lazy("この事業の就職決定のIDを指定してください。"),
        False,
    ),
)


def _links(program: Program, values: dict[str, Any]) -> None:
    """The ids of the payload as rows of the program (a field error otherwise)."""
    for key, name, model, scope, message, required in _LINKS:
        if key not in values:
            continue
        row = _row(model, values.pop(key), key, str(message), **{scope: program})
        if row is None and required:
            raise _unknown(key, _("必須の項目です。"))
        values[name] = row


_NAMES = {name: key for key, name, *_rest in _LINKS}


def _renamed(error: DomainError) -> DomainError:
    error.field_errors = {_NAMES.get(k, k): v for k, v in (error.field_errors or {}).items()}
    return error


# --- Endpoints -----------------------------------------------------------------------------


@router.get(
    "internships",
    url_name="internships",
    response={200: list[InternshipOut], 400: Error, 403: Error, 404: Error},
    summary="インターンシップの一覧",
)
def internship_list(request: HttpRequest, query: Query[InternshipQuery]) -> HttpResponse:
    """The program's internships the caller may see, newest first."""
    refuse_unknown_query(request, {"program", "status", "limit", "offset"})
    _choice(query.status or None, InternshipStatus.values, "status")
    program = program_or_404(request.user, query.program, VIEW_INTERNSHIP)
    rows = list(
        internships_for(request.user, program, status=query.status)[
            query.offset : query.offset + query.limit
        ]
    )
    audit_records_listed(
        request, [r.participant for r in rows], program_slug=program.slug, note=AUDIT_NOTE
    )
    return JsonResponse([_json(r, program.slug) for r in rows], safe=False)


@router.post(
    "internships",
    url_name="internships",
    response={201: InternshipOut, 400: Error, 403: Error, 404: Error},
    summary="インターンシップの登録",
)
def internship_create_endpoint(
    request: HttpRequest, payload: Body[InternshipCreate]
) -> HttpResponse:
    program = program_or_404(request.user, payload.program, ADD_INTERNSHIP)
    _choice(payload.kind, InternshipKind.values, "kind")
    values = {
        name: getattr(payload, name)
        for name in payload.model_fields_set
        | {"employer_id", "participant_id", "start_on", "end_on", "kind"}
    }
    values.pop("program", None)
    _dates(values)
    _links(program, values)
    try:
        item = internship_create(program=program, by=request.user, **values)
    except DomainError as error:
        raise _renamed(error) from error
    audit_record_view(request, item.participant, program_slug=program.slug)
    return JsonResponse(_json(_fresh(item), program.slug), status=201)


@router.get(
    "internships/{int:internship_id}",
    url_name="internship",
    response={200: InternshipOut, 403: Error, 404: Error},
    summary="インターンシップ1件",
)
def internship_detail(request: HttpRequest, internship_id: int) -> HttpResponse:
    item = _internship(request, internship_id, VIEW_INTERNSHIP)
    audit_record_view(request, item.participant, program_slug=item.program.slug)
    return JsonResponse(_json(_fresh(item), item.program.slug))


@router.patch(
    "internships/{int:internship_id}",
    url_name="internship",
    response={200: InternshipOut, 400: Error, 403: Error, 404: Error, 409: Error},
    summary="インターンシップの変更",
)
def internship_patch(
    request: HttpRequest, internship_id: int, payload: Body[InternshipPatch]
) -> HttpResponse:
    item = _internship(request, internship_id, CHANGE_INTERNSHIP)
    values = {name: getattr(payload, name) for name in payload.model_fields_set}
    required = {
        "kind",
        "employer_id",
        "participant_id",
        "start_on",
        "end_on",
        "status",
        "outcome",
        "outcome_note",
    }
    empty = sorted(name for name in required & set(values) if values[name] is None)
    if empty:
        raise bad_request({name: [_("必須の項目です。")] for name in empty})
    _choice(values.get("kind"), InternshipKind.values, "kind")
    _choice(values.get("status"), [InternshipStatus.CANCELLED, InternshipStatus.DONE], "status")
    _choice(values.get("outcome"), InternshipOutcome.values, "outcome")
    _dates(values)
    _links(item.program, values)
    try:
        internship_update(internship=item, by=request.user, **values)
    except DomainError as error:
        raise _renamed(error) from error
    audit_record_view(request, item.participant, program_slug=item.program.slug)
    return JsonResponse(_json(_fresh(item), item.program.slug))


@router.post(
    "internships/{int:internship_id}/consents",
    url_name="internship_consents",
    response={200: InternshipOut, 400: Error, 403: Error, 404: Error, 409: Error},
    summary="同意の記録",
)
def internship_consent(
    request: HttpRequest, internship_id: int, payload: Body[ConsentIn]
) -> HttpResponse:
    """The participant's (``participant``) or the employer's (``employer``) consent to the plan."""
    item = _internship(request, internship_id, CHANGE_INTERNSHIP)
    _choice(payload.party, ConsentParty.values, "party")
    values = payload.model_dump()
    _dates(values)
    internship_consent_record(internship=item, by=request.user, **values)
    audit_record_view(request, item.participant, program_slug=item.program.slug)
    return JsonResponse(_json(_fresh(item), item.program.slug))


@router.post(
    "internships/{int:internship_id}/insurance",
    url_name="internship_insurance",
    response={200: InternshipOut, 400: Error, 403: Error, 404: Error, 409: Error},
    summary="保険の加入の記録",
)
def internship_insurance(
    request: HttpRequest, internship_id: int, payload: Body[InsuranceIn]
) -> HttpResponse:
    item = _internship(request, internship_id, CHANGE_INTERNSHIP)
    values = payload.model_dump()
    _dates(values)
    internship_insurance_record(internship=item, by=request.user, **values)
    audit_record_view(request, item.participant, program_slug=item.program.slug)
    return JsonResponse(_json(_fresh(item), item.program.slug))


@router.post(
    "internships/{int:internship_id}/confirm",
    url_name="internship_confirm",
    response={200: InternshipOut, 403: Error, 404: Error, 409: Error},
    summary="インターンシップの確定",
)
def internship_confirm_endpoint(request: HttpRequest, internship_id: int) -> HttpResponse:
    """Confirm: both consents and, for work experience, insurance covering every day;
    else 409 with ``details.missing``."""
    item = _internship(request, internship_id, CHANGE_INTERNSHIP)
    item = _fresh(item)
    internship_confirm(internship=item, by=request.user)
    audit_record_view(request, item.participant, program_slug=item.program.slug)
    return JsonResponse(_json(_fresh(item), item.program.slug))
