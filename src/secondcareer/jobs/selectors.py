"""Reads of employers and postings.

A posting past its 紹介期限日 is closed whether or not :func:`postings_close_expired`
has run yet: the open lists derive it from the date, they do not trust ``status``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from secondcareer.core.jpcalendar import fiscal_year, fiscal_year_bounds
from secondcareer.core.text import normalize_text
from secondcareer.jobs.models import DevelopmentActivity, Employer, JobPosting, PostingStatus
from secondcareer.jobs.search import query_terms
from secondcareer.programs.models import Program


def _open_q(on: dt.date) -> Q:
    return Q(status=PostingStatus.OPEN, referral_deadline__gte=on)


def open_postings(program: Program, on: dt.date) -> QuerySet[JobPosting]:
    """The program's postings open on ``on``: status open and 紹介期限日 not passed."""
    return (
        JobPosting.objects.filter(program=program)
        .filter(_open_q(on))
        .select_related("employer", "workplace_area")
        .order_by("referral_deadline", "id")
    )


def posting_is_open(posting: JobPosting, on: dt.date) -> bool:
    return posting.status == PostingStatus.OPEN and posting.referral_deadline >= on


def newly_developed(program: Program, fiscal_year: int) -> QuerySet[Employer]:
    """Employers whose first development activity falls in ``fiscal_year`` (April to
    March): the 新規開拓 KPI (Saitama 2(1), 300 a year)."""
    first, last = fiscal_year_bounds(fiscal_year)
    return (
        Employer.objects.filter(program=program)
        .annotate(first_activity=Min("activities__on"))
        .filter(first_activity__gte=first, first_activity__lte=last)
        .order_by("first_activity", "id")
    )


# --- searches of the screens and the API --------------------------------------------------

SEARCH_STATES = ("open", "closed", "all")


@dataclass(frozen=True)
class PostingFilters:
    """What the posting search (screen and API) filters on; empty means any."""

    q: str = ""  # free text over 職種, 仕事内容 and 事業所名
    area: str = ""  # the workplace's area code
    occupation: str = ""  # contained in 職種
    employment_type: str = ""  # 雇用形態, as stored
    wage_type: str = ""
    wage_min: int | None = None  # with wage_type: the posting can pay at least this
    days_max: int | None = None  # 週所定労働日数 at most this
    source: str = ""
    state: str = "open"  # open (derived from the date), closed, all
    employer_id: int | None = None


def _terms_q(terms: list[str]) -> Q:
    q = Q()
    for term in terms:
        q &= Q(search_text__contains=term)
    return q


def posting_search(program: Program, filters: PostingFilters, on: dt.date) -> QuerySet[JobPosting]:
    """The program's postings that match ``filters`` on day ``on``, newest first (受付年月日,
    then the latest registered); each term of ``q`` must occur (folded: any width, kana
    as hiragana) in 職種, 仕事内容 or 事業所名."""
    postings = JobPosting.objects.filter(program=program).filter(_terms_q(query_terms(filters.q)))
    if filters.state == "open":
        postings = postings.filter(_open_q(on))
    elif filters.state == "closed":
        postings = postings.exclude(_open_q(on))
    if filters.area:
        postings = postings.filter(workplace_area__code=filters.area)
    if filters.occupation:
        postings = postings.filter(occupation__icontains=normalize_text(filters.occupation))
    if filters.employment_type:
        postings = postings.filter(employment_type=filters.employment_type)
    if filters.wage_type:
        postings = postings.filter(wage_type=filters.wage_type)
        if filters.wage_min is not None:
            # The upper bound (the amount itself when fixed or open-ended) reaches it.
            postings = postings.alias(top=Coalesce("wage_to", "wage_from")).filter(
                top__gte=filters.wage_min
            )
    if filters.days_max is not None:
        postings = postings.filter(days_per_week__lte=filters.days_max)
    if filters.source:
        postings = postings.filter(source=filters.source)
    if filters.employer_id is not None:
        postings = postings.filter(employer_id=filters.employer_id)
    return postings.select_related("workplace_area").order_by(
        F("received_on").desc(nulls_last=True), "-id"
    )


def employment_types(program: Program) -> list[str]:
    """The 雇用形態 the program's postings use (the search's choices)."""
    return sorted(
        set(
            JobPosting.objects.filter(program=program)
            .exclude(employment_type="")
            .values_list("employment_type", flat=True)
            .distinct()
        )
    )


def employer_search(
    program: Program,
    *,
    q: str = "",
    corporate_number: str = "",
    area: str = "",
    industry: str = "",
) -> QuerySet[Employer]:
    """The program's employers, newest first, each with ``first_activity`` (the day of
    its first development activity: its 新規開拓 fiscal year); ``q`` matches the name or
    its furigana in any width and kana, ``corporate_number`` the 法人番号 exactly."""
    first = (
        DevelopmentActivity.objects.filter(employer=OuterRef("pk")).order_by("on").values("on")[:1]
    )
    employers = Employer.objects.filter(program=program).filter(_terms_q(query_terms(q)))
    if corporate_number:
        employers = employers.filter(
            corporate_number=normalize_text(corporate_number).replace("-", "").replace(" ", "")
        )
    if area:
        employers = employers.filter(area__code=area)
    if industry:
        employers = employers.filter(industry=industry)
    return (
        employers.annotate(first_activity=Subquery(first))
        .select_related("area")
        .order_by("-created_at", "-id")
    )


def first_developed_fiscal_year(employer: Employer) -> int | None:
    """The fiscal year the employer was newly developed in (its first activity)."""
    day = getattr(employer, "first_activity", None)
    if day is None:
        day = employer.activities.aggregate(first=Min("on"))["first"]
    return fiscal_year(day) if day is not None else None
