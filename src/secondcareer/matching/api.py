"""Matching's router of the JSON API (``/api/``, :mod:`secondcareer.api`); a stable
interface (README "Matching"):

- ``GET /api/seekers/<id>/matches?program=P&top=N`` — open postings for a seeker, best
  first (pinned first, hidden left out);
- ``GET /api/postings/<id>/matches?program=P&top=N`` — seekers for a posting;
- ``GET`` / ``PUT /api/seekers/<id>/profile?program=P`` — the matching profile;
- ``POST /api/seekers/<id>/matches/<posting_id>/decision?program=P`` ``{"choice"}`` —
  pin, hide or clear.

Access (:mod:`secondcareer.matching.access`): a program where the caller holds no role
is a 404, a role without the permission a 403 (reception, the municipality; job
developers for decisions); a consultant's seekers are their caseload. Every answer that
shows a seeker is audited.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router
from pydantic import StrictFloat, StrictInt, StrictStr

from secondcareer.core.api import Error, Input, Output, Text, enum, refuse_unknown_query
from secondcareer.core.audit import audit_record_view, audit_records_listed
from secondcareer.core.errors import DomainError
from secondcareer.jobs.models import PhysicalLoad
from secondcareer.matching.access import (
    DECIDE,
    MATCHES,
    PROFILE_CHANGE,
    PROFILE_VIEW,
    caseload_seeker_ids,
    posting_or_404,
    seeker_or_404,
)
from secondcareer.matching.models import EMPLOYMENT_TYPES, TimeOfDay
from secondcareer.matching.output import posting_match_json, profile_json, seeker_match_json
from secondcareer.matching.selectors import posting_matches, profile_for, seeker_matches
from secondcareer.matching.services import match_decide, profile_save
from secondcareer.people.access import program_or_404

router = Router(tags=["マッチング"])


class MatchQuery(Input):
    model_config = Input.model_config | {"strict": False}
    program: Text = Field(description="事業の識別子")
    top: int = Field(default=20, ge=1, le=100, description="件数（1〜100）")


class ProgramQuery(Input):
    model_config = Input.model_config | {"strict": False}
    program: Text = Field(description="事業の識別子")


class SeekerMatchOut(Output):
    posting_id: int
    score: float = Field(description="0〜1、高いほど合う")
    reasons: list[str] = Field(description="合う理由（日本語の文）")
    gaps: list[str] = Field(description="満たさない希望（日本語の文）")
    decision: str | None = Field(description="pin（固定）/ hide（非表示）/ null")
    number: str = Field(description="求人番号")
    occupation: str
    employer: str
    area: str | None
    wage_from: int
    wage_to: int | None
    wage_type: str
    referral_deadline: str


class PostingMatchOut(Output):
    seeker_id: int
    score: float
    reasons: list[str]
    gaps: list[str]
    card_number: str
    name: str
    age: int | None
    area: str | None


class ProfileOut(Output):
    seeker_id: int
    program: str
    wished_occupations: list[str]
    wished_areas: list[str] = Field(description="地域の識別子（プリセットの areas の code）")
    max_commute_minutes: int
    days_per_week: int
    hours_per_day: float
    time_of_day: str = Field(json_schema_extra=enum(TimeOfDay.values))
    min_hourly_wage: int = Field(description="希望の時給（円、0 は指定なし）")
    employment_types: list[str] = Field(json_schema_extra={"items": enum(EMPLOYMENT_TYPES)})
    physical_limit: str = Field(json_schema_extra=enum(PhysicalLoad.values))
    licences: str
    skills: str
    career_history: str
    tags: list[str]
    updated_at: str
    updated_by: str | None


class ProfileIn(Input):
    """マッチングの希望条件。省略した項目はいまの値のまま（新規なら既定値）。"""

    wished_occupations: list[StrictStr] | None = None
    wished_areas: list[StrictStr] | None = Field(default=None, description="地域の識別子")
    max_commute_minutes: StrictInt | None = Field(default=None, description="5〜240 分")
    days_per_week: StrictInt | None = Field(default=None, description="週 1〜7 日")
    hours_per_day: StrictFloat | StrictInt | None = Field(default=None, description="1〜24 時間")
    time_of_day: StrictStr | None = Field(default=None, json_schema_extra=enum(TimeOfDay.values))
    min_hourly_wage: StrictInt | None = Field(default=None, description="時給（円）、0 は指定なし")
    min_wage: StrictInt | None = Field(
        default=None, description="min_wage_type の単位の希望額（時給に直して保存）"
    )
    min_wage_type: StrictStr | None = Field(
        default=None, json_schema_extra=enum(("hourly", "daily", "monthly"))
    )
    employment_types: list[StrictStr] | None = Field(
        default=None, json_schema_extra={"items": enum(EMPLOYMENT_TYPES)}
    )
    physical_limit: StrictStr | None = Field(
        default=None, json_schema_extra=enum(PhysicalLoad.values)
    )
    licences: StrictStr | None = None
    skills: StrictStr | None = None
    career_history: StrictStr | None = None
    tags: list[StrictStr] | None = None


class DecisionIn(Input):
    choice: Text = Field(json_schema_extra=enum(("pin", "hide", "clear")))


class DecisionOut(Output):
    seeker_id: int
    posting_id: int
    choice: str | None = Field(description="pin / hide、解除したら null")


@router.get(
    "seekers/{int:seeker_id}/matches",
    url_name="seeker_matches",
    response={200: list[SeekerMatchOut], 400: Error, 403: Error, 404: Error},
    summary="利用者へのおすすめ求人",
)
def seeker_match_list(
    request: HttpRequest, seeker_id: int, query: Query[MatchQuery]
) -> HttpResponse:
    """Open postings for the seeker, best first, with reasons and gaps (empty without a
    profile); pinned ones first, hidden ones left out."""
    refuse_unknown_query(request, {"program", "top"})
    program = program_or_404(request.user, query.program, MATCHES)
    seeker = seeker_or_404(request.user, program, seeker_id)
    matches = seeker_matches(program=program, seeker=seeker, top=query.top)
    audit_record_view(request, seeker, program_slug=program.slug)
    return JsonResponse([seeker_match_json(m) for m in matches], safe=False)


@router.get(
    "postings/{int:posting_id}/matches",
    url_name="posting_matches",
    response={200: list[PostingMatchOut], 400: Error, 403: Error, 404: Error},
    summary="求人に合う利用者",
)
def posting_match_list(
    request: HttpRequest, posting_id: int, query: Query[MatchQuery]
) -> HttpResponse:
    """Seekers with a profile who fit the open posting, best first (a consultant: those
    of their caseload). Every seeker listed is audited."""
    refuse_unknown_query(request, {"program", "top"})
    program = program_or_404(request.user, query.program, MATCHES)
    posting = posting_or_404(program, posting_id)
    found = posting_matches(
        program=program,
        posting=posting,
        top=query.top,
        among=caseload_seeker_ids(request.user, program),
    )
    audit_records_listed(
        request, [m.seeker for m in found], program_slug=program.slug, note="api posting matches"
    )
    today = timezone.localdate()
    return JsonResponse([posting_match_json(m, today) for m in found], safe=False)


@router.get(
    "seekers/{int:seeker_id}/profile",
    url_name="seeker_profile",
    response={200: ProfileOut, 400: Error, 403: Error, 404: Error},
    summary="マッチングの希望条件",
)
def profile_detail(
    request: HttpRequest, seeker_id: int, query: Query[ProgramQuery]
) -> HttpResponse:
    refuse_unknown_query(request, {"program"})
    program = program_or_404(request.user, query.program, PROFILE_VIEW)
    seeker = seeker_or_404(request.user, program, seeker_id)
    profile = profile_for(program, seeker)
    if profile is None:
        raise DomainError(
            _("この利用者のマッチングの希望条件はまだ登録されていません。"),
            code="not_found",
            status=404,
        )
    audit_record_view(request, profile, program_slug=program.slug)
    return JsonResponse(profile_json(profile, program.slug))


@router.put(
    "seekers/{int:seeker_id}/profile",
    url_name="seeker_profile",
    response={200: ProfileOut, 400: Error, 403: Error, 404: Error, 422: Error},
    summary="マッチングの希望条件の登録・更新",
)
def profile_update(
    request: HttpRequest, seeker_id: int, query: Query[ProgramQuery], payload: Body[ProfileIn]
) -> HttpResponse:
    """Create or update the profile; fields left out keep their value."""
    refuse_unknown_query(request, {"program"})
    program = program_or_404(request.user, query.program, PROFILE_CHANGE)
    seeker = seeker_or_404(request.user, program, seeker_id)
    fields: dict[str, Any] = payload.model_dump(exclude_unset=True)
    profile = profile_save(
        program=program,
        seeker=seeker,
        by=request.auth,  # type: ignore[attr-defined]  # set by the site's auth
        **fields,
    )
    saved = profile_for(program, seeker)
    return JsonResponse(profile_json(saved or profile, program.slug))


@router.post(
    "seekers/{int:seeker_id}/matches/{int:posting_id}/decision",
    url_name="match_decision",
    response={200: DecisionOut, 400: Error, 403: Error, 404: Error, 422: Error},
    summary="おすすめ求人の固定・非表示",
)
def decision_create(
    request: HttpRequest,
    seeker_id: int,
    posting_id: int,
    query: Query[ProgramQuery],
    payload: Body[DecisionIn],
) -> HttpResponse:
    """Pin (always first), hide (left out) or clear a recommendation; remembered."""
    refuse_unknown_query(request, {"program"})
    program = program_or_404(request.user, query.program, DECIDE)
    seeker = seeker_or_404(request.user, program, seeker_id)
    posting = posting_or_404(program, posting_id)
    decision = match_decide(
        program=program,
        seeker=seeker,
        posting=posting,
        choice=payload.choice,
        by=request.auth,  # type: ignore[attr-defined]
    )
    return JsonResponse(
        {
            "seeker_id": seeker.pk,
            "posting_id": posting.pk,
            "choice": decision.choice if decision else None,
        }
    )
