"""A case's status, derived from its data and never stored (ADR 0023).

Pure: the caller gives the facts (from :meth:`CaseQuerySet.with_status_facts` or a
case's own rows) and gets the status. ``placed`` and ``in_followup`` come from the
placements app through :mod:`secondcareer.consultations.stages`; without a registered
source they are False.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("受付")
    PLANNING = "planning", _("計画作成中")
    IN_SUPPORT = "in_support", _("支援中")
    PLACED = "placed", _("就職決定")
    FOLLOW_UP = "follow_up", _("定着支援中")
    CLOSED = "closed", _("終結")


def case_status(
    *,
    closed: bool,
    has_records: bool,
    has_plan: bool,
    placed: bool = False,
    in_followup: bool = False,
) -> CaseStatus:
    """The furthest stage the facts show: closed before everything; then follow-up,
    placed, an approved plan (in support), a consultation held (planning), else intake."""
    if closed:
        return CaseStatus.CLOSED
    if in_followup:
        return CaseStatus.FOLLOW_UP
    if placed:
        return CaseStatus.PLACED
    if has_plan:
        return CaseStatus.IN_SUPPORT
    if has_records:
        return CaseStatus.PLANNING
    return CaseStatus.INTAKE
