"""Jobs' router of the JSON API (``/api/``, :mod:`secondcareer.api`): employers and
postings, for the job developers' tablets and partner systems.

- ``GET/POST /api/employers``, ``GET/PATCH /api/employers/{id}``;
- ``GET/POST /api/postings``, ``GET/PATCH /api/postings/{id}``.

The same access rules as the screens (``jobs/views.py``): reading employers needs
``jobs.view_employer`` (job developers, managers, consultants), reading postings
``jobs.view_jobposting`` (and reception); writing needs the ``add_``/``change_``
permissions (job developers and managers); the municipality gets 403; a program where
the caller holds no role is a 404. An employer's contacts (people at the employer) are
in the answer only for those who may see them, and are never logged. Only the centre's
own postings can be changed; of an imported Hello Work posting only the status (closing
it), else 409.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router
from pydantic import StrictBool, StrictInt, StrictStr

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
from secondcareer.core.errors import DomainError
from secondcareer.core.sql import storable_id
from secondcareer.jobs.models import (
    DevelopmentActivity,
    Employer,
    Industry,
    JobPosting,
    PhysicalLoad,
    PostingSource,
    PostingStatus,
    WageType,
)
from secondcareer.jobs.selectors import (
    SEARCH_STATES,
    PostingFilters,
    employer_search,
    posting_is_open,
    posting_search,
)
from secondcareer.jobs.services import (
    employer_create,
    employer_update,
    posting_close,
    posting_create,
    posting_update,
)
from secondcareer.people.access import has_program_perm, program_object_or_404, program_or_404
from secondcareer.programs.models import Area, Program

VIEW_EMPLOYER = "jobs.view_employer"
ADD_EMPLOYER = "jobs.add_employer"
CHANGE_EMPLOYER = "jobs.change_employer"
VIEW_CONTACT = "jobs.view_employercontact"
ADD_CONTACT = "jobs.add_employercontact"
VIEW_POSTING = "jobs.view_jobposting"
ADD_POSTING = "jobs.add_jobposting"
CHANGE_POSTING = "jobs.change_jobposting"
MAX_RESULTS = 100
MAX_OFFSET = 100_000

router = Router(tags=["求人開拓・求人"])

# --- Schemas -----------------------------------------------------------------------------


class ContactOut(Output):
    id: int
    name: str
    role: str
    phone: str
    email: str


class ContactIn(Input):
    name: Text = Field(max_length=100, description="氏名")
    role: StrictStr = Field(default="", max_length=100, description="役職・担当")
    phone: StrictStr = Field(default="", max_length=30)
    email: StrictStr = Field(default="", max_length=254)


class EmployerOut(Output):
    """事業所1件。``contacts`` は担当者を見る権限があるときだけ（ないときは null）。"""

    id: int
    program: str = Field(description="事業の識別子")
    name: str
    name_kana: str
    corporate_number: str = Field(description="法人番号（13桁）")
    office_number: str = Field(description="ハローワークの事業所番号")
    address: str
    area: str | None = Field(description="地域の識別子")
    industry: str = Field(json_schema_extra=enum(["", *Industry.values]))
    employees: int | None
    age_limit: int | None = Field(description="採用の上限年齢")
    retirement_age: int | None = Field(description="定年年齢")
    rehire_max_age: int | None = Field(description="再雇用の上限年齢")
    part_time_ok: bool
    training: bool
    physical_load: str = Field(json_schema_extra=enum(["", *PhysicalLoad.values]))
    first_development_on: dt.date | None = Field(
        description="最初の求人開拓の日（その年度の新規開拓）"
    )
    contacts: list[ContactOut] | None


class EmployerFields(Input):
    name_kana: StrictStr = Field(default="", max_length=200, description="名称のフリガナ")
    corporate_number: StrictStr = Field(default="", max_length=13, description="法人番号")
    office_number: StrictStr = Field(default="", max_length=13, description="事業所番号")
    address: StrictStr = Field(default="", max_length=300)
    area: StrictStr | None = Field(default=None, description="地域の識別子")
    industry: StrictStr = Field(default="", json_schema_extra=enum(["", *Industry.values]))
    employees: StrictInt | None = Field(default=None, ge=0, le=10_000_000)
    age_limit: StrictInt | None = Field(default=None, ge=0, le=150)
    retirement_age: StrictInt | None = Field(default=None, ge=0, le=150)
    rehire_max_age: StrictInt | None = Field(default=None, ge=0, le=150)
    part_time_ok: StrictBool = False
    training: StrictBool = False
    physical_load: StrictStr = Field(default="", json_schema_extra=enum(["", *PhysicalLoad.values]))


class EmployerCreate(EmployerFields):
    """事業所の登録（担当者も一緒に登録できる）。"""

    program: Text = Field(description="事業の識別子")
    name: Text = Field(max_length=200, description="名称")
    contacts: list[ContactIn] = Field(default_factory=list, max_length=50)


class EmployerPatch(EmployerFields):
    """事業所の変更: 送った項目だけが変わる。"""

    name: Text | None = Field(default=None, max_length=200)


class EmployerQuery(Input):
    model_config = Input.model_config | {"strict": False}
    program: Text = Field(description="事業の識別子")
    q: str = Field(
        default="", max_length=100, description="名称・フリガナ（全角半角・かなを問わない）"
    )
    corporate_number: str = Field(default="", max_length=20, description="法人番号")
    area: str = Field(default="", max_length=50, description="地域の識別子")
    industry: str = Field(default="", max_length=1, json_schema_extra=enum(Industry.values))
    limit: int = Field(default=50, ge=1, le=MAX_RESULTS, description="最大件数（新しい順）")
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET, description="読み飛ばす件数")


class PostingOut(Output):
    """求人1件（ハローワークの項目）。"""

    id: int
    program: str
    number: str = Field(description="求人番号")
    received_on: dt.date | None = Field(description="受付年月日")
    referral_deadline: dt.date = Field(description="紹介期限日（この日まで募集中）")
    employer_id: int
    office_name: str = Field(description="事業所名")
    occupation: str = Field(description="職種")
    description: str = Field(description="仕事内容")
    workplace_address: str = Field(description="就業場所")
    workplace_area: str | None = Field(description="就業場所の地域の識別子")
    employment_type: str = Field(description="雇用形態")
    employment_period: str = Field(description="雇用期間")
    wage_type: str = Field(json_schema_extra=enum(WageType.values))
    wage_from: int = Field(description="賃金（下限、円）")
    wage_to: int | None = Field(description="賃金（上限、円。null は上限なし）")
    working_hours: str
    days_per_week: int | None = Field(description="週所定労働日数")
    holidays: str
    age: str
    age_limited: bool
    age_limit_reason: str
    retirement_age: int | None
    rehire_max_age: int | None
    requirements: str
    insurance: str
    openings: int | None
    source: str = Field(json_schema_extra=enum(PostingSource.values))
    status: str = Field(json_schema_extra=enum(PostingStatus.values))
    is_open: bool = Field(description="今日の時点で募集中（紹介期限日から判断）")
    closed_on: dt.date | None


class PostingFields(Input):
    received_on: StrictStr | None = Field(default=None, json_schema_extra={"format": "date"})
    office_name: StrictStr = Field(default="", max_length=200, description="空なら事業所の名称")
    description: StrictStr = Field(default="", max_length=20_000)
    workplace_address: StrictStr = Field(default="", max_length=300)
    workplace_area: StrictStr | None = Field(default=None, description="地域の識別子")
    employment_type: StrictStr = Field(default="", max_length=100)
    employment_period: StrictStr = Field(default="", max_length=200)
    wage_to: StrictInt | None = Field(default=None, ge=1, le=100_000_000)
    working_hours: StrictStr = Field(default="", max_length=5000)
    days_per_week: StrictInt | None = Field(default=None, ge=1, le=7)
    holidays: StrictStr = Field(default="", max_length=5000)
    age: StrictStr = Field(default="", max_length=100)
    age_limited: StrictBool = False
    age_limit_reason: StrictStr = Field(default="", max_length=5000)
    retirement_age: StrictInt | None = Field(default=None, ge=0, le=150)
    rehire_max_age: StrictInt | None = Field(default=None, ge=0, le=150)
    requirements: StrictStr = Field(default="", max_length=5000)
    insurance: StrictStr = Field(default="", max_length=200)
    openings: StrictInt | None = Field(default=None, ge=0, le=10_000)


class PostingCreate(PostingFields):
    """センター独自の求人の登録（出所は own）。求人番号を省くと C-000001 の形で付く。"""

    program: Text = Field(description="事業の識別子")
    number: StrictStr = Field(default="", max_length=20)
    employer_id: Id = Field(description="その事業の事業所のID")
    occupation: Text = Field(max_length=200)
    referral_deadline: Text = Field(json_schema_extra={"format": "date"})
    wage_type: Text = Field(json_schema_extra=enum(WageType.values))
    wage_from: StrictInt = Field(ge=1, le=100_000_000)


class PostingPatch(PostingFields):
    """求人の変更: 送った項目だけが変わる。ハローワークの求人は status: closed（募集の終了）だけ。"""

    employer_id: Id | None = None
    occupation: Text | None = Field(default=None, max_length=200)
    referral_deadline: StrictStr | None = Field(default=None, json_schema_extra={"format": "date"})
    wage_type: StrictStr | None = Field(default=None, json_schema_extra=enum(WageType.values))
    wage_from: StrictInt | None = Field(default=None, ge=1, le=100_000_000)
    status: StrictStr | None = Field(
        default=None, description="closed で募集を終了する", json_schema_extra=enum(["closed"])
    )


class PostingQuery(Input):
    model_config = Input.model_config | {"strict": False}
    program: Text = Field(description="事業の識別子")
    q: str = Field(
        default="",
        max_length=100,
        description="職種・仕事内容・事業所名のキーワード（空白区切りですべてを含む。全角半角・かなを問わない）",
    )
    area: str = Field(default="", max_length=50, description="就業場所の地域の識別子")
    occupation: str = Field(default="", max_length=100, description="職種に含む語")
    employment_type: str = Field(default="", max_length=100, description="雇用形態")
    wage_type: str = Field(default="", json_schema_extra=enum(WageType.values))
    wage_min: int | None = Field(
        default=None, ge=1, le=100_000_000, description="賃金の下限（wage_type と一緒に）"
    )
    days_max: int | None = Field(default=None, ge=1, le=7, description="週の勤務日数の上限")
    source: str = Field(default="", json_schema_extra=enum(PostingSource.values))
    state: str = Field(default="open", json_schema_extra=enum(SEARCH_STATES))
    employer_id: int | None = Field(default=None, description="この事業所の求人だけ")
    limit: int = Field(default=50, ge=1, le=MAX_RESULTS, description="最大件数（新しい順）")
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET, description="読み飛ばす件数")


# --- Helpers -------------------------------------------------------------------------------


def _employer_json(
    employer: Employer, program_slug: str, *, contacts: bool, first: dt.date | None
) -> dict[str, Any]:
    return {
        "id": employer.pk,
        "program": program_slug,
        "name": employer.name,
        "name_kana": employer.name_kana,
        "corporate_number": employer.corporate_number,
        "office_number": employer.office_number,
        "address": employer.address,
        "area": employer.area.code if employer.area else None,
        "industry": employer.industry,
        "employees": employer.employees,
        "age_limit": employer.age_limit,
        "retirement_age": employer.retirement_age,
        "rehire_max_age": employer.rehire_max_age,
        "part_time_ok": employer.part_time_ok,
        "training": employer.training,
        "physical_load": employer.physical_load,
        "first_development_on": first.isoformat() if first else None,
        "contacts": [
            {"id": c.pk, "name": c.name, "role": c.role, "phone": c.phone, "email": c.email}
            for c in employer.contacts.all()  # ordered by id (Meta), prefetched for lists
        ]
        if contacts
        else None,
    }


def _posting_json(posting: JobPosting, program_slug: str, today: dt.date) -> dict[str, Any]:
    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": posting.pk,
        "program": program_slug,
        "number": posting.number,
        "received_on": day(posting.received_on),
        "referral_deadline": posting.referral_deadline.isoformat(),
        "employer_id": posting.employer_id,
        "office_name": posting.office_name,
        "occupation": posting.occupation,
        "description": posting.description,
        "workplace_address": posting.workplace_address,
        "workplace_area": posting.workplace_area.code if posting.workplace_area else None,
        "employment_type": posting.employment_type,
        "employment_period": posting.employment_period,
        "wage_type": posting.wage_type,
        "wage_from": posting.wage_from,
        "wage_to": posting.wage_to,
        "working_hours": posting.working_hours,
        "days_per_week": posting.days_per_week,
        "holidays": posting.holidays,
        "age": posting.age,
        "age_limited": posting.age_limited,
        "age_limit_reason": posting.age_limit_reason,
        "retirement_age": posting.retirement_age,
        "rehire_max_age": posting.rehire_max_age,
        "requirements": posting.requirements,
        "insurance": posting.insurance,
        "openings": posting.openings,
        "source": posting.source,
        "status": posting.status,
        "is_open": posting_is_open(posting, today),
        "closed_on": day(posting.closed_on),
    }


def _area(program: Program, code: str | None, field: str) -> Area | None:
    if not code:
        return None
    area = Area.objects.filter(program=program, code=code).first()
    if area is None:
        raise DomainError(
            _("入力内容に誤りがあります。"),
            field_errors={field: [_("この事業の地域の識別子を指定してください。")]},
        )
    return area


def _renamed(error: DomainError, names: dict[str, str]) -> DomainError:
    """A service's field errors under the API's field names."""
    error.field_errors = {names.get(k, k): v for k, v in error.field_errors.items()}
    return error


def _first_activity(employer: Employer) -> dt.date | None:
    first = (
        DevelopmentActivity.objects.filter(employer=employer).order_by("on").values("on").first()
    )
    return first["on"] if first else None


def _given(payload: Input, exclude: set[str]) -> dict[str, Any]:
    return {name: getattr(payload, name) for name in payload.model_fields_set - exclude}


# --- Employers -----------------------------------------------------------------------------


@router.get(
    "employers",
    url_name="employers",
    response={200: list[EmployerOut], 400: Error, 403: Error, 404: Error},
    summary="事業所の検索",
)
def employer_list(request: HttpRequest, query: Query[EmployerQuery]) -> HttpResponse:
    """The program's employers, newest first, by name or furigana (any width and kana),
    法人番号, area and industry."""
    refuse_unknown_query(
        request, {"program", "q", "corporate_number", "area", "industry", "limit", "offset"}
    )
    program = program_or_404(request.user, query.program, VIEW_EMPLOYER)
    contacts = has_program_perm(request.user, program, VIEW_CONTACT)
    employers = employer_search(
        program,
        q=query.q,
        corporate_number=query.corporate_number,
        area=query.area,
        industry=query.industry,
    )
    if contacts:
        employers = employers.prefetch_related("contacts")
    rows = list(employers[query.offset : query.offset + query.limit])
    return JsonResponse(
        [
            _employer_json(
                e, program.slug, contacts=contacts, first=getattr(e, "first_activity", None)
            )
            for e in rows
        ],
        safe=False,
    )


@router.post(
    "employers",
    url_name="employers",
    response={201: EmployerOut, 400: Error, 403: Error, 404: Error},
    summary="事業所の登録",
)
def employer_create_endpoint(request: HttpRequest, payload: Body[EmployerCreate]) -> HttpResponse:
    program = program_or_404(request.user, payload.program, ADD_EMPLOYER)
    if payload.contacts and not has_program_perm(request.user, program, ADD_CONTACT):
        raise DomainError(_("担当者を登録する権限がありません。"), code="forbidden", status=403)
    fields = _given(payload, {"program", "name", "contacts", "area"})
    employer = employer_create(
        program=program,
        name=payload.name,
        area=_area(program, payload.area, "area"),
        contacts=[c.model_dump() for c in payload.contacts],
        **fields,
    )
    contacts = has_program_perm(request.user, program, VIEW_CONTACT)
    return JsonResponse(
        _employer_json(employer, program.slug, contacts=contacts, first=None), status=201
    )


def _employer_for(request: HttpRequest, employer_id: int, perm: str) -> Employer:
    return program_object_or_404(
        request.user,
        Employer.objects.select_related("program", "area").filter(pk=record_id(employer_id)),
        perm,
    )


@router.get(
    "employers/{int:employer_id}",
    url_name="employer",
    response={200: EmployerOut, 403: Error, 404: Error},
    summary="事業所1件",
)
def employer_detail(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = _employer_for(request, employer_id, VIEW_EMPLOYER)
    contacts = has_program_perm(request.user, employer.program_id, VIEW_CONTACT)
    return JsonResponse(
        _employer_json(
            employer, employer.program.slug, contacts=contacts, first=_first_activity(employer)
        )
    )


@router.patch(
    "employers/{int:employer_id}",
    url_name="employer",
    response={200: EmployerOut, 400: Error, 403: Error, 404: Error},
    summary="事業所の変更",
)
def employer_patch(
    request: HttpRequest, employer_id: int, payload: Body[EmployerPatch]
) -> HttpResponse:
    fields = _given(payload, {"area"})
    if "name" in fields and fields["name"] is None:
        raise bad_request({"name": [_("必須の項目です。")]})
    employer = _employer_for(request, employer_id, CHANGE_EMPLOYER)
    if "area" in payload.model_fields_set:
        fields["area"] = _area(employer.program, payload.area, "area")
    employer_update(employer=employer, **fields)
    contacts = has_program_perm(request.user, employer.program_id, VIEW_CONTACT)
    return JsonResponse(
        _employer_json(
            employer, employer.program.slug, contacts=contacts, first=_first_activity(employer)
        )
    )


# --- Postings ------------------------------------------------------------------------------

_POSTING_NAMES = {"employer": "employer_id"}


@router.get(
    "postings",
    url_name="postings",
    response={200: list[PostingOut], 400: Error, 403: Error, 404: Error},
    summary="求人の検索",
)
def posting_list(request: HttpRequest, query: Query[PostingQuery]) -> HttpResponse:
    """The program's postings that match, newest first; ``q``: every word (any width and
    kana, two characters are enough: 介護, 清掃) in 職種, 仕事内容 or 事業所名."""
    refuse_unknown_query(
        request,
        {
            "program",
            "q",
            "area",
            "occupation",
            "employment_type",
            "wage_type",
            "wage_min",
            "days_max",
            "source",
            "state",
            "employer_id",
            "limit",
            "offset",
        },
    )
    problems: dict[str, list[str]] = {}
    if query.state not in SEARCH_STATES:
        problems["state"] = [_("open・closed・all のいずれかを指定してください。")]
    if query.wage_type and query.wage_type not in WageType.values:
        problems["wage_type"] = [_("hourly・daily・monthly のいずれかを指定してください。")]
    if query.wage_min is not None and not query.wage_type:
        problems["wage_type"] = [_("賃金の下限を指定するときは、賃金形態も指定してください。")]
    if query.source and query.source not in PostingSource.values:
        problems["source"] = [_("own・hellowork・other のいずれかを指定してください。")]
    if problems:
        raise bad_request(problems)
    program = program_or_404(request.user, query.program, VIEW_POSTING)
    if query.employer_id is not None and not storable_id(query.employer_id):
        return JsonResponse([], safe=False)
    today = timezone.localdate()
    filters = PostingFilters(
        q=query.q,
        area=query.area,
        occupation=query.occupation,
        employment_type=query.employment_type,
        wage_type=query.wage_type,
        wage_min=query.wage_min,
        days_max=query.days_max,
        source=query.source,
        state=query.state,
        employer_id=query.employer_id,
    )
    rows = list(posting_search(program, filters, today)[query.offset : query.offset + query.limit])
    return JsonResponse([_posting_json(p, program.slug, today) for p in rows], safe=False)


def _posting_values(
    program: Program, payload: PostingFields, fields: dict[str, Any], problems: dict[str, Any]
) -> dict[str, Any]:
    """The payload's given fields as the service takes them (dates read, ids looked up)."""
    for name in ("received_on", "referral_deadline"):
        if name in fields and fields[name] is not None:
            fields[name] = date_field(fields[name], name, problems)
    if "workplace_area" in fields:
        fields["workplace_area"] = _area(program, fields["workplace_area"], "workplace_area")
    if "employer_id" in fields:
        employer_id = fields.pop("employer_id")
        employer = (
            Employer.objects.filter(program=program, pk=employer_id).first()
            if employer_id is not None and storable_id(employer_id)
            else None
        )
        if employer is None:
            raise DomainError(
                _("入力内容に誤りがあります。"),
                field_errors={
                    "employer_id": [_("この事業に登録された事業所のIDを指定してください。")]
                },
            )
        fields["employer"] = employer
    return fields


@router.post(
    "postings",
    url_name="postings",
    response={201: PostingOut, 400: Error, 403: Error, 404: Error, 409: Error},
    summary="センター独自の求人の登録",
)
def posting_create_endpoint(request: HttpRequest, payload: Body[PostingCreate]) -> HttpResponse:
    problems: dict[str, list[str]] = {}
    fields = _given(payload, {"program", "number"})
    fields.setdefault("employer_id", payload.employer_id)
    for name in ("occupation", "referral_deadline", "wage_type", "wage_from"):
        fields[name] = getattr(payload, name)
    for name in ("received_on", "referral_deadline"):
        if fields.get(name) is not None:
            date_field(fields[name], name, problems)
    if problems:
        raise bad_request(problems)
    program = program_or_404(request.user, payload.program, ADD_POSTING)
    values = _posting_values(program, payload, fields, problems)
    try:
        posting = posting_create(program=program, number=payload.number, **values)
    except DomainError as error:
        raise _renamed(error, _POSTING_NAMES) from None
    return JsonResponse(_posting_json(posting, program.slug, timezone.localdate()), status=201)


def _posting_for(request: HttpRequest, posting_id: int, perm: str) -> JobPosting:
    return program_object_or_404(
        request.user,
        JobPosting.objects.select_related("program", "workplace_area", "employer").filter(
            pk=record_id(posting_id)
        ),
        perm,
    )


@router.get(
    "postings/{int:posting_id}",
    url_name="posting",
    response={200: PostingOut, 403: Error, 404: Error},
    summary="求人1件",
)
def posting_detail(request: HttpRequest, posting_id: int) -> HttpResponse:
    posting = _posting_for(request, posting_id, VIEW_POSTING)
    return JsonResponse(_posting_json(posting, posting.program.slug, timezone.localdate()))


@router.patch(
    "postings/{int:posting_id}",
    url_name="posting",
    response={200: PostingOut, 400: Error, 403: Error, 404: Error, 409: Error},
    summary="求人の変更（センター独自の求人）・募集の終了",
)
def posting_patch(
    request: HttpRequest, posting_id: int, payload: Body[PostingPatch]
) -> HttpResponse:
    problems: dict[str, list[str]] = {}
    fields = _given(payload, {"status"})
    for name in ("occupation", "referral_deadline", "wage_type", "wage_from", "employer_id"):
        if name in fields and fields[name] is None:
            problems[name] = [_("必須の項目です。")]
    for name in ("received_on", "referral_deadline"):
        if fields.get(name) is not None:
            date_field(fields[name], name, problems)
    if payload.status is not None and payload.status != PostingStatus.CLOSED:
        problems["status"] = [_("status には closed（募集の終了）だけを指定できます。")]
    if problems:
        raise bad_request(problems)
    posting = _posting_for(request, posting_id, CHANGE_POSTING)
    today = timezone.localdate()
    try:
        with transaction.atomic():
            if fields:
                values = _posting_values(posting.program, payload, fields, problems)
                posting_update(posting=posting, **values)
            if payload.status == PostingStatus.CLOSED:
                posting_close(posting=posting, on=today)
    except DomainError as error:
        raise _renamed(error, _POSTING_NAMES) from None
    return JsonResponse(_posting_json(posting, posting.program.slug, today))
