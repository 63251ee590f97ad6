"""Reads of case records with real query logic, always scoped by program.

- :func:`reviews_due` — the open reviews due on or before a day, with their assignee.
- :func:`inactive_seekers` — the seekers whose last contact is more than the preset's
  ``inactivity_followup_months`` before a day (Saitama 2(2)ケ), in one query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import DateTimeField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from secondcareer.consultations.contacts import contact_sources
from secondcareer.consultations.models import Review
from secondcareer.consultations.reviews import ReviewKind
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.people.models import Seeker, SeekerStatus
from secondcareer.programs.models import Program

# Stands for "no contact of this kind" inside the query (before any real date).
_NEVER = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


def reviews_due(program: Program, on: dt.date) -> QuerySet[Review]:
    """The open reviews of the program's open cases due on or before ``on``, earliest
    first, with case, seeker, consultant and assignee loaded (one query)."""
    return (
        Review.objects.filter(
            case__program=program,
            case__closed_on__isnull=True,
            done_on__isnull=True,
            due_on__lte=on,
        )
        .select_related("case__seeker", "case__consultant", "assignee")
        .order_by("due_on", "case_id", "id")
    )


def review_assignee(review: Review) -> Any:
    """Who does ``review``: its own assignee if one was set; otherwise the case's
    consultant for the consultant's review, and nobody in particular (any manager or
    deputy) for a manager's review."""
    if review.assignee_id is not None:
        return review.assignee
    if review.kind == ReviewKind.CONSULTANT:
        return review.case.consultant
    return None


@dataclass(frozen=True)
class InactiveSeeker:
    seeker: Seeker
    last_contact: dt.date


def inactivity_months(program: Program) -> int:
    months = program.inactivity_followup_months
    if not months:
        raise DomainError(
            _(
                "事業「%(program)s」には、利用が途絶えた利用者を確認するまでの月数"
                "（policies.inactivity_followup_months）が設定されていません。"
            )
            % {"program": program.name},
            code="not_configured",
            status=422,
        )
    return months


def inactive_seekers(
    program: Program, on: dt.date, months: int | None = None
) -> list[InactiveSeeker]:
    """Seekers of ``program`` whose last contact is more than ``months`` (default: the
    preset's ``inactivity_followup_months``) before ``on``: last contact exactly that
    many months before ``on`` is not inactive yet, one day earlier is.

    A contact is whatever a source in :mod:`secondcareer.consultations.contacts` gives:
    an attended consultation (its start), a reservation that was not cancelled and not
    missed (its start, future ones included: a seeker with a booking ahead is in touch),
    and what other apps register (chat, event attendance).
    Seekers with no contact at all, and withdrawn ones, are not listed. One query."""
    months = months if months is not None else inactivity_months(program)
    cutoff_day = on - relativedelta(months=months)
    # Before the first moment of the cutoff day in Japan = a Japanese date before it.
    cutoff = dt.datetime.combine(cutoff_day, dt.time(0), tzinfo=TOKYO)
    never = Value(_NEVER, output_field=DateTimeField())
    latest: list[Any] = [
        Coalesce(Subquery(source(OuterRef("pk")), output_field=DateTimeField()), never)
        for source in contact_sources().values()
    ]
    if len(latest) == 1:  # Greatest needs two expressions
        latest.append(never)
    seekers = (
        Seeker.objects.filter(program=program)
        .exclude(status=SeekerStatus.WITHDRAWN)
        .annotate(last_contact_at=Greatest(*latest, output_field=DateTimeField()))
        .filter(last_contact_at__lt=cutoff, last_contact_at__gt=_NEVER)
        .order_by("last_contact_at", "id")
    )
    return [
        InactiveSeeker(seeker=s, last_contact=s.last_contact_at.astimezone(TOKYO).date())
        for s in seekers
    ]
