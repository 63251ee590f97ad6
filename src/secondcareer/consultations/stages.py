"""The later stages of a case (``placed``, ``in_followup``), supplied by apps above
consultations: a registry of sources, each a subquery that holds when the case is at
that stage.

consultations cannot import placements (it sits above it in the layers), so placements
registers its sources in its ``AppConfig.ready``::

    from secondcareer.consultations.stages import register_stage_source

    register_stage_source("placed", lambda case: Placement.objects.filter(
        seeker=case.seeker, program=case.program))

A source takes the outer case reference (``OuterRef`` on ``Case``: ``case`` is an object
whose ``seeker``/``program``/``pk`` attributes are ``OuterRef("seeker")``,
``OuterRef("program")`` and ``OuterRef("pk")``) and returns a queryset; the stage holds
when any registered source's queryset has a row, so
:meth:`secondcareer.consultations.models.CaseQuerySet.with_status_facts` stays one query.
Without a source (placements not installed) a stage never holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

STAGES = ("placed", "in_followup")


@dataclass(frozen=True)
class CaseRef:
    """The outer case's columns a source may filter on."""

    pk: Any
    seeker: Any
    program: Any


StageSource = Callable[[CaseRef], QuerySet[Any]]

_SOURCES: dict[str, dict[str, StageSource]] = {stage: {} for stage in STAGES}


def register_stage_source(stage: str, source: StageSource, *, name: str = "default") -> None:
    """Add (or replace, by ``name``) a source for ``stage`` (``placed`` or ``in_followup``)."""
    if stage not in _SOURCES:
        raise ValueError(f"unknown case stage {stage!r}; one of {STAGES}")
    _SOURCES[stage][name] = source


def stage_condition(stage: str, case: CaseRef | None = None) -> Q | Exists | None:
    """An expression true when the case is at ``stage``; None without any source."""
    ref = case or CaseRef(pk=OuterRef("pk"), seeker=OuterRef("seeker"), program=OuterRef("program"))
    sources = list(_SOURCES[stage].values())
    if not sources:
        return None
    condition: Any = Exists(sources[0](ref))
    for source in sources[1:]:
        condition = condition | Exists(source(ref))
    return condition  # type: ignore[no-any-return]


def case_at_stage(stage: str, *, case_pk: int, seeker_id: int, program_id: int) -> bool:
    """Whether one case is at ``stage`` (a query per source, for a case read alone)."""
    ref = CaseRef(pk=case_pk, seeker=seeker_id, program=program_id)
    return any(source(ref).exists() for source in _SOURCES[stage].values())
