"""Reads for referrals, placements and follow-ups (docs/placements.md).

A follow-up is *overdue* when it is not done and its due date is before the day asked
about: derived here, never stored.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from secondcareer.placements.models import FollowUp, Placement, Referral
from secondcareer.programs.models import Program


def is_overdue(followup: FollowUp, today: dt.date) -> bool:
    return followup.done_on is None and followup.due_on < today


def with_overdue(followups: QuerySet[FollowUp], today: dt.date) -> QuerySet[FollowUp]:
    """Annotate ``overdue`` (not done and due before ``today``) in the same query."""
    return followups.annotate(
        overdue=Case(
            When(Q(done_on__isnull=True, due_on__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def followups_due(program: Program, on: dt.date) -> QuerySet[FollowUp]:
    """The program's follow-ups not done and due on or before ``on``, earliest first,
    with ``overdue`` annotated (due before ``on``); those due after the contract end
    (``own_service``) stay on the list."""
    followups = FollowUp.objects.filter(
        placement__program=program, done_on__isnull=True, due_on__lte=on
    ).select_related("placement")
    return with_overdue(followups, on).order_by("due_on", "placement_id", "months", "id")


def program_referrals(program: Program) -> QuerySet[Referral]:
    return Referral.objects.filter(program=program).select_related("posting")


def program_placements(program: Program) -> QuerySet[Placement]:
    return Placement.objects.filter(program=program)
