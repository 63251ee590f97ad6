"""Gives ``Program.schedule_stamp`` a new value whenever a row the slots are built from is
saved or deleted, so the per-process caches of
:mod:`secondcareer.scheduling.selectors` never serve an old timetable or roster.

The programs app watches its own models here; scheduling connects its shift models in
its ``ready()``. Code that changes such rows with ``QuerySet.update()`` or
``bulk_create()`` (which send no signals) must call :func:`program_schedule_changed`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

from secondcareer.programs.models import (
    Closure,
    OpeningPeriod,
    Program,
    Service,
    SubstituteDate,
    Venue,
    VenueDay,
)

# Sent after a program's schedule stamp moved (``program_id``): scheduling empties its
# per-process caches on it (its ``ready()``); programs knows nothing of them.
schedule_changed = Signal()


def program_schedule_changed(program_id: int | None) -> None:
    """Mark the slots of ``program_id`` as changed: every process rebuilds them."""
    if program_id is None:
        return
    Program.objects.filter(pk=program_id).update(schedule_stamp=uuid.uuid4())
    schedule_changed.send(sender=Program, program_id=program_id)


def _program_id(instance: Any) -> int | None:
    if isinstance(instance, OpeningPeriod):
        return (
            Service.objects.filter(pk=instance.service_id)
            .values_list("program_id", flat=True)
            .first()
        )
    if isinstance(instance, VenueDay):
        return (
            Venue.objects.filter(pk=instance.venue_id).values_list("program_id", flat=True).first()
        )
    return getattr(instance, "program_id", None)


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata brings its own stamp
        return
    program_schedule_changed(_program_id(instance))


def _venues_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        program_schedule_changed(getattr(instance, "program_id", None))


def watch(*models: type[Model]) -> None:
    """Give the program a new schedule stamp when a row of one of ``models`` (each with a
    ``program`` foreign key, or handled in :func:`_program_id`) is saved or deleted."""
    for model in models:
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"schedule-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"schedule-delete-{label}")


def connect() -> None:
    watch(Service, OpeningPeriod, Venue, VenueDay, Closure, SubstituteDate)
    m2m_changed.connect(
        _venues_changed, sender=Service.venues.through, dispatch_uid="schedule-service-venues"
    )
