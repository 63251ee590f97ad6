"""The case stages placements supplies to consultations' derived status
(:mod:`secondcareer.consultations.stages`), registered in :class:`PlacementsConfig.ready`.

- ``placed``: the seeker has a placement in the case's program that no follow-up ended
  with "left" (離職);
- ``in_followup``: such a placement still has a follow-up not done.

A "left" outcome ends the placement for the status, so the case goes back to in
support (支援中) without anything stored on the case.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from secondcareer.consultations.stages import CaseRef
from secondcareer.placements.models import FollowUp, FollowUpOutcome, Placement


def active_placements(case: CaseRef) -> QuerySet[Placement]:
    left = FollowUp.objects.filter(placement=OuterRef("pk"), outcome=FollowUpOutcome.LEFT)
    return Placement.objects.filter(seeker=case.seeker, program=case.program).filter(~Exists(left))


def placed(case: CaseRef) -> QuerySet[Any]:
    return active_placements(case).values("pk")


def in_followup(case: CaseRef) -> QuerySet[Any]:
    pending = FollowUp.objects.filter(placement=OuterRef("pk"), done_on__isnull=True)
    return active_placements(case).filter(Exists(pending)).values("pk")
