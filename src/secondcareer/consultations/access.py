"""Who sees which case (DESIGN.md invariant 5), in one place for the staff screens, the
API and the other apps (chat, the staff home).

- A manager sees every case of the program.
- A consultant sees the cases assigned to them (their caseload) and the ones explicitly
  shared with them.
- Reception and job developers see that a case exists and whom it is with (they have
  ``consultations.view_case``), never its notes, topics or plans (no
  ``consultations.view_case_notes``).
- The municipality sees no case (no ``view_case`` at all: 403 from the program check).

Another consultant's unshared case does not exist for a consultant: :func:`case_or_404`
raises 404, so its existence is not disclosed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from secondcareer.consultations.models import Case, CaseShare
from secondcareer.people.access import has_program_perm, program_roles
from secondcareer.people.models import Role

CASE_PERMISSION = "consultations.view_case"
NOTES_PERMISSION = "consultations.view_case_notes"


def sees_whole_program(user: Any, program_id: int) -> bool:
    """Managers see every case of the program; so do reception and job developers (who
    then see no content). A consultant who is not also a manager sees only their own."""
    roles = program_roles(user, program_id)
    return Role.MANAGER in roles or Role.CONSULTANT not in roles


def shared_case_ids(user: Any) -> QuerySet[CaseShare, Any]:
    """The ids of the cases shared with ``user`` now (shares not ended), as a subquery."""
    return CaseShare.objects.filter(shared_with_id=user.pk, ended_at__isnull=True).values("case_id")


def caseload_filter(user: Any) -> Q:
    """The cases a consultant may open: assigned to them, or shared with them and not
    revoked (:class:`~secondcareer.consultations.models.CaseShare`). One condition on
    ``Case`` (a subquery, no join), so lists, counts and the other apps' scopes stay one
    query."""
    return Q(consultant_id=user.pk) | Q(pk__in=shared_case_ids(user))


def visible_cases(
    user: Any, program_id: int, cases: QuerySet[Case] | None = None
) -> QuerySet[Case]:
    """``cases`` (default: all) of the program that ``user`` may see. The caller has
    already checked ``consultations.view_case`` in the program."""
    qs = (cases if cases is not None else Case.objects.all()).filter(program_id=program_id)
    if sees_whole_program(user, program_id):
        return qs
    return qs.filter(caseload_filter(user))


def may_open_case(user: Any, case: Case) -> bool:
    """Whether ``user`` may open ``case`` at all (content aside)."""
    if not has_program_perm(user, case.program_id, CASE_PERMISSION):
        return False
    if sees_whole_program(user, case.program_id):
        return True
    return visible_cases(user, case.program_id, Case.objects.filter(pk=case.pk)).exists()


def sees_case_content(user: Any, program_id: int) -> bool:
    """Notes, topics, plans and chats: consultants and managers only."""
    return has_program_perm(user, program_id, NOTES_PERMISSION)


def may_share_case(user: Any, case: Case) -> bool:
    """Whether ``user`` may share ``case`` with another consultant, or end a share: a
    manager of the program, or the case's own consultant (not a consultant it is merely
    shared with)."""
    roles = program_roles(user, case.program_id)
    if Role.MANAGER in roles:
        return True
    return Role.CONSULTANT in roles and case.consultant_id == getattr(user, "pk", None)


def case_or_404(user: Any, case: Case) -> Case:
    """``case`` if ``user`` may open it, else 404 (another consultant's unshared case
    does not exist for them)."""
    if not may_open_case(user, case):
        raise Http404
    return case


# --- the inactivity follow-up ---------------------------------------------------------------

CHECK_VIEW_PERMISSION = "consultations.view_inactivitycheck"
CHECK_ADD_PERMISSION = "consultations.add_inactivitycheck"


def followup_scope(user: Any, program_id: int) -> QuerySet[Any] | None:
    """The seekers whose follow-up ``user`` does: ``None`` for the whole program
    (managers, and reception, who make most of the calls), else a consultant's
    caseload — the seekers of the open cases assigned to them."""
    from secondcareer.people.models import Seeker

    if sees_whole_program(user, program_id):
        return None
    cases = Case.objects.open().filter(caseload_filter(user), program_id=program_id)
    return Seeker.objects.filter(pk__in=cases.values("seeker_id"))


def may_follow_up(user: Any, program_id: int, seeker_id: int) -> bool:
    """Whether ``seeker_id`` is in ``user``'s follow-up scope (permission aside)."""
    scope = followup_scope(user, program_id)
    return scope is None or scope.filter(pk=seeker_id).exists()
