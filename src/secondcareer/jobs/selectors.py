"""Reads of employers and postings.

A posting past its 紹介期限日 is closed whether or not :func:`postings_close_expired`
has run yet: the open lists derive it from the date, they do not trust ``status``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Min, Q, QuerySet

from secondcareer.core.jpcalendar import fiscal_year_bounds
from secondcareer.jobs.models import Employer, JobPosting, PostingStatus
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
