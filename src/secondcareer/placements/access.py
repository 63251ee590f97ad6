"""Who sees which referral, placement and follow-up (as consultations/access.py for
cases): managers and job developers the whole program; a consultant the seekers of the
cases they may open (assigned to them or shared with them). Another consultant's seeker
does not exist for a consultant (404). Follow-ups are case content: job developers have
no ``placements.view_followup`` (403).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from secondcareer.consultations.access import caseload_filter
from secondcareer.consultations.models import Case
from secondcareer.people.access import program_roles
from secondcareer.people.models import Role

REFERRAL_VIEW = "placements.view_referral"
REFERRAL_ADD = "placements.add_referral"
REFERRAL_CHANGE = "placements.change_referral"
SUPPORT_ADD = "placements.add_applicationsupport"
PLACEMENT_VIEW = "placements.view_placement"
PLACEMENT_ADD = "placements.add_placement"
FOLLOWUP_VIEW = "placements.view_followup"
FOLLOWUP_CHANGE = "placements.change_followup"


def seeker_scope(user: Any, program_id: int) -> QuerySet[Any] | None:
    """``None`` for the whole program (managers, job developers), else the ids of the
    seekers of a consultant's caseload, as a subquery."""
    roles = program_roles(user, program_id)
    if Role.MANAGER in roles or Role.JOB_DEVELOPER in roles:
        return None
    cases = Case.objects.filter(caseload_filter(user), program_id=program_id)
    return cases.values("seeker_id")


def scoped(queryset: QuerySet[Any], user: Any, program_id: int, seeker_field: str) -> QuerySet[Any]:
    scope = seeker_scope(user, program_id)
    if scope is None:
        return queryset
    return queryset.filter(**{f"{seeker_field}__in": scope})


def may_see_seeker(user: Any, program_id: int, seeker_id: int) -> bool:
    scope = seeker_scope(user, program_id)
    return (
        scope is None
        or Case.objects.filter(
            caseload_filter(user), program_id=program_id, seeker_id=seeker_id
        ).exists()
    )
