"""What the matching screens share: who may open which seeker, and a match's words as
the pages and the meeting's Excel file show them.

Access (DESIGN.md invariant 5): the matching screens show a seeker's matching profile
and matches, never case notes. Consultants, managers and job developers see matches;
reception and the municipality get 403. A consultant who is not also a manager sees
the seekers of their caseload only (their cases and those shared with them, as on the
case screens); another seeker is a 404 for them, so their existence is not disclosed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.consultations.access import caseload_filter, sees_whole_program
from secondcareer.consultations.models import Case
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.jobs.models import JobPosting, WageType
from secondcareer.people.models import Seeker
from secondcareer.programs.models import Program

# Seeing matches (recommendations, candidates, the meeting); reading and keeping a
# profile; pinning and hiding (matching/apps.py gives them to the roles).
VIEW_PERMISSION = "matching.view_matches"
PROFILE_PERMISSION = "matching.view_seekerprofile"
CHANGE_PERMISSION = "matching.change_seekerprofile"
DECIDE_PERMISSION = "matching.decide_match"


def today() -> dt.date:
    return timezone.localtime(timezone.now(), TOKYO).date()


def in_scope(seekers: QuerySet[Seeker], user: Any, program: Program) -> QuerySet[Seeker]:
    """``seekers`` narrowed to those ``user`` sees: all for managers and job developers,
    a consultant's caseload (a case of theirs, or one shared with them) otherwise."""
    if sees_whole_program(user, program.pk):
        return seekers
    cases = Case.objects.filter(caseload_filter(user), program_id=program.pk)
    return seekers.filter(Exists(cases.filter(seeker_id=OuterRef("pk"))))


def caseload_ids(user: Any, program: Program) -> set[int] | None:
    """The seeker ids of a consultant's caseload (one query), ``None`` for the whole
    program: the ``among`` of :func:`~secondcareer.matching.selectors.posting_matches`."""
    if sees_whole_program(user, program.pk):
        return None
    cases = Case.objects.filter(caseload_filter(user), program_id=program.pk)
    return set(cases.values_list("seeker_id", flat=True))


def seeker_or_404(request: HttpRequest, program: Program, seeker_id: int) -> Seeker:
    """The program's seeker ``seeker_id`` if ``request.user`` may see their matches
    (the program and the permission already checked), else 404."""
    seekers = in_scope(
        Seeker.objects.filter(program=program).select_related("area"), request.user, program
    )
    return get_object_or_404(seekers, pk=seeker_id)


def posting_or_404(program: Program, posting_id: int) -> JobPosting:
    return get_object_or_404(
        JobPosting.objects.filter(program=program).select_related("employer", "workplace_area"),
        pk=posting_id,
    )


def percent(score: float) -> int:
    """A score of 0–1 as a whole percentage (0.824 → 82)."""
    return round(max(0.0, min(1.0, float(score))) * 100)


def wage_text(posting: JobPosting) -> str:
    """「時給1,100円～1,300円」, 「月給180,000円～」."""
    form = WageType(posting.wage_type).label if posting.wage_type in WageType.values else ""
    low = f"{posting.wage_from:,}"
    if posting.wage_to is None:
        return _("%(form)s%(low)s円～") % {"form": form, "low": low}
    if posting.wage_to == posting.wage_from:
        return _("%(form)s%(low)s円") % {"form": form, "low": low}
    return _("%(form)s%(low)s円～%(high)s円") % {
        "form": form,
        "low": low,
        "high": f"{posting.wage_to:,}",
    }


def area_name(posting: JobPosting) -> str:
    area = posting.workplace_area
    return area.name if area is not None else (posting.workplace_address or "")


def is_new(posting: JobPosting, on: dt.date, days: int = 7) -> bool:
    """Received within the ``days`` before ``on`` (the meeting's 新着)."""
    received = posting.received_on or timezone.localtime(posting.created_at, TOKYO).date()
    return on - dt.timedelta(days=days) <= received <= on
