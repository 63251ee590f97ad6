"""Who may see and manage internships, per program (people.access holds the roles).

- Job developers and managers manage every internship of the program (they arrange
  them with the employers): ``placements.view/add/change_internship``.
- A consultant reads the internships of their caseload's seekers (the cases assigned to
  them or shared with them, ``consultations.access.caseload_filter``); another
  consultant's are a 404, as a case is.
- Reception and the municipality hold no internship permission: 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from secondcareer.consultations.access import caseload_filter
from secondcareer.consultations.models import Case
from secondcareer.people.access import program_roles
from secondcareer.people.models import Role
from secondcareer.people.roles import ROLE_GROUP_NAMES, ROLE_PERMISSIONS, register_role_permissions

VIEW_INTERNSHIP = "placements.view_internship"
ADD_INTERNSHIP = "placements.add_internship"
CHANGE_INTERNSHIP = "placements.change_internship"

INTERNSHIP_GRANTS: dict[str, set[str]] = {
    Role.JOB_DEVELOPER: {VIEW_INTERNSHIP, ADD_INTERNSHIP, CHANGE_INTERNSHIP},
    Role.MANAGER: {VIEW_INTERNSHIP, ADD_INTERNSHIP, CHANGE_INTERNSHIP},
    Role.CONSULTANT: {VIEW_INTERNSHIP},
}


def register_internship_permissions() -> None:
    """Add the internship grants to what the app ``placements`` has registered so far
    (``register_role_permissions`` replaces an app's grants, so the ones already there
    are read back from ``ROLE_PERMISSIONS`` and kept). Called from the app's ready()
    after its own registration; calling it again changes nothing."""
    grants = {
        role: {p for p in ROLE_PERMISSIONS.get(role, ()) if p.startswith("placements.")}
        | INTERNSHIP_GRANTS.get(role, set())
        for role in ROLE_GROUP_NAMES
    }
    register_role_permissions("placements", grants)


def internship_scope(user: Any, program_id: int) -> QuerySet[Any] | None:
    """The seekers whose internships ``user`` sees: None for the whole program (job
    developers and managers), else a consultant's caseload. The caller has checked
    ``placements.view_internship`` in the program."""
    roles = program_roles(user, program_id)
    if Role.MANAGER in roles or Role.JOB_DEVELOPER in roles:
        return None
    return Case.objects.filter(caseload_filter(user), program_id=program_id).values("seeker_id")


def visible_internships(user: Any, program_id: int, internships: QuerySet[Any]) -> QuerySet[Any]:
    """``internships`` of the program that ``user`` may see."""
    qs = internships.filter(program_id=program_id)
    scope = internship_scope(user, program_id)
    return qs if scope is None else qs.filter(participant_id__in=scope)
