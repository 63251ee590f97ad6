"""Who may use matching, per program (:mod:`secondcareer.people.access`, roles in
``apps.py``):

- consultants and managers keep profiles, see matches and pin or hide them;
- job developers keep profiles and see matches, both ways (no case notes: matching
  shows none), but do not pin or hide;
- reception and the municipality see nothing of matching (403).

A consultant who is not also a manager works within their caseload, as for cases
(:mod:`secondcareer.consultations.access`): a seeker outside it does not exist for them
(404), and a posting's candidates are only the seekers of their caseload.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from secondcareer.consultations.access import sees_whole_program, visible_cases
from secondcareer.core.api import record_id
from secondcareer.jobs.models import JobPosting
from secondcareer.people.models import Seeker
from secondcareer.programs.models import Program

PROFILE_VIEW = "matching.view_seekerprofile"
PROFILE_CHANGE = "matching.change_seekerprofile"
MATCHES = "matching.view_matches"
DECIDE = "matching.decide_match"


def caseload_seeker_ids(user: Any, program: Program) -> set[int] | None:
    """The seekers a consultant may see in matching (their caseload), or None: the
    whole program (managers, job developers)."""
    if sees_whole_program(user, program.pk):
        return None
    return set(visible_cases(user, program.pk).values_list("seeker_id", flat=True))


def seeker_or_404(user: Any, program: Program, seeker_id: int) -> Seeker:
    """The program's seeker ``seeker_id`` if ``user`` may see them in matching (the
    permission in the program already checked), else 404."""
    seeker = (
        Seeker.objects.select_related("area")
        .filter(pk=record_id(seeker_id), program=program)
        .first()
    )
    if seeker is None:
        raise Http404
    if (
        not sees_whole_program(user, program.pk)
        and not visible_cases(user, program.pk).filter(seeker_id=seeker.pk).exists()
    ):
        raise Http404
    return seeker


def posting_or_404(program: Program, posting_id: int) -> JobPosting:
    posting = (
        JobPosting.objects.select_related("employer", "workplace_area")
        .filter(pk=record_id(posting_id), program=program)
        .first()
    )
    if posting is None:
        raise Http404
    return posting
