"""core's one domain write: anonymising the personal data every app registered with
:mod:`secondcareer.core.personal_data` (``secondcareer anonymise``,
docs/personal-data.md). It knows no app: what to remove, whose and when comes from the
registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from secondcareer.core import personal_data
from secondcareer.core.audit import audit_log
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditAction

CHUNK = 500


@dataclass
class AnonymiseSummary:
    """Counts only: what a run found and (unless a dry run) changed."""

    before: dt.date
    dry_run: bool
    anonymised: int = 0
    already: int = 0
    skipped_open_case: int = 0
    skipped_activity: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # source key -> rows changed

    @property
    def skipped(self) -> int:
        return self.skipped_open_case + self.skipped_activity


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=TOKYO)


def _active_since(seeker_ids: Collection[int], before: dt.date) -> set[int]:
    """The seekers with a registered activity (a record, a booking, a chat message …)
    on or after ``before``: they are still in contact, their data stays."""
    found: set[int] = set()
    if not seeker_ids:
        return found
    for source in personal_data.sources():
        for name in source.activity:
            f = source.model._meta.get_field(name)
            since: Any = _start_of(before) if isinstance(f, models.DateTimeField) else before
            found.update(
                source.rows(seeker_ids)
                .filter(**{f"{name}__gte": since})
                .values_list(source.seeker or "pk", flat=True)
                .distinct()
            )
    return found


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def personal_data_anonymise(
    *, program: Any, before: dt.date, dry_run: bool = False, on: dt.date | None = None
) -> AnonymiseSummary:
    """Anonymise, in one transaction, the seekers of ``program`` whose every case closed
    before ``before`` and who have no activity since: every registered source's
    ``anonymise`` fields are overwritten, rows and their dates, kinds and counts stay.
    Seekers already anonymised are left alone (a second run changes nothing). One audit
    entry per run, with counts only. A dry run counts and writes nothing."""
    on = on or timezone.localtime(timezone.now(), TOKYO).date()
    summary = AnonymiseSummary(before=before, dry_run=dry_run)
    person = personal_data.subject()
    with transaction.atomic():
        found = personal_data.retention()(program, before)
        summary.skipped_open_case = len(found.open_case)
        done = set(
            person.model._default_manager.filter(
                **{
                    "pk__in": list(found.closed),
                    f"{person.anonymised_field}__isnull": False,
                }
            ).values_list("pk", flat=True)
        )
        summary.already = len(done)
        candidates = set(found.closed) - done
        active = _active_since(candidates, before) | (set(found.closed_later) - done)
        summary.skipped_activity = len(active)
        eligible = sorted(candidates - active)
        summary.anonymised = len(eligible)
        # Every source's rows are found before any is changed (a later source may find
        # its rows through a field an earlier one blanks, like a LINE user id).
        targets = [
            (source, list(source.rows(eligible).values_list("pk", flat=True).order_by("pk")))
            for source in personal_data.sources()
            if source.anonymise
        ]
        for source, pks in targets:
            summary.rows[source.key] = len(pks)
        if dry_run or not eligible:
            return summary
        for source, pks in targets:
            values = {
                name: (on if value is personal_data.TODAY else value)
                for name, value in source.anonymise.items()
            }
            for chunk in _chunks(pks):
                source.model._default_manager.filter(pk__in=chunk).update(**values)
        audit_log(
            actor=None,
            action=AuditAction.UPDATE,
            obj=None,
            object_type=person.model._meta.label_lower,
            object_id=before.isoformat(),
            program_slug=getattr(program, "slug", ""),
            note=f"anonymise before={before.isoformat()} seekers={len(eligible)}",
        )
    return summary
