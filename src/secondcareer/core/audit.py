"""Writing the audit log. Views call :func:`audit_record_view` whenever a seeker's
personal record is shown (:func:`audit_records_listed` for a list of them); services call
:func:`audit_log` for other actions, and the bulk services :func:`audit_log_bulk`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import HttpRequest

from secondcareer.core.models import AuditAction, AuditEntry
from secondcareer.core.sql import insert_returning_pk


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy
    # rewrites it, and an audit trail must not be spoofable.
    return request.META.get("REMOTE_ADDR") or None


def _entry(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: str,
    program_slug: str,
    request: HttpRequest | None,
    note: str,
) -> AuditEntry:
    """The one way an entry is built: who (a user, or None for the system), what, where."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry(
        actor_id=actor.pk if authenticated else None,
        actor_username=actor.get_username() if authenticated else "system",
        program_slug=program_slug,
        action=action,
        object_type=object_type,
        object_id=object_id,
        ip_address=_client_ip(request),
        path=(request.path[:300] if request is not None else ""),
        note=note[:200],
    )


def audit_log(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None,
    program_slug: str = "",
    request: HttpRequest | None = None,
    note: str = "",
    object_type: str = "",
    object_id: str = "",
) -> AuditEntry:
    """Append one entry. ``actor`` is a user (or None for the system). ``obj`` is the
    record concerned; without one (a sign-in attempt for a name no account has),
    ``object_type`` and ``object_id`` say what it was about."""
    entry = _entry(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
        program_slug=program_slug,
        request=request,
        note=note,
    )
    # Written out (:mod:`secondcareer.core.sql`): every booking writes one entry.
    return insert_returning_pk(entry)


def audit_record_view(request: HttpRequest, obj: models.Model, *, program_slug: str) -> AuditEntry:
    """Record that the requesting staff member opened ``obj`` (a personal record)."""
    return audit_log(
        actor=request.user,
        action=AuditAction.VIEW,
        obj=obj,
        program_slug=program_slug,
        request=request,
    )


def audit_records_listed(
    request: HttpRequest,
    objs: Iterable[models.Model],
    *,
    program_slug: str,
    note: str,
) -> int:
    """Record that the requesting staff member was shown ``objs`` on a list page (a
    calendar with names, search results): one view entry per distinct record, all in
    one insert. ``note`` names the page. Returns the number of entries written."""
    return audit_records_shown(
        actor=request.user, objs=objs, program_slug=program_slug, note=note, request=request
    )


def audit_records_shown(
    *,
    actor: Any,
    objs: Iterable[models.Model],
    program_slug: str,
    note: str,
    action: str = AuditAction.VIEW,
    request: HttpRequest | None = None,
) -> int:
    """One ``action`` entry per distinct record of ``objs``, in one insert (a command's
    printed list passes ``actor=None`` and ``action=AuditAction.EXPORT``)."""
    seen = dict.fromkeys((obj._meta.label_lower, str(obj.pk)) for obj in objs)
    entries = [
        _entry(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            program_slug=program_slug,
            request=request,
            note=note,
        )
        for object_type, object_id in seen
    ]
    if entries:
        AuditEntry.objects.bulk_create(entries)
    return len(entries)


@dataclass(frozen=True)
class AuditItem:
    """One entry for :func:`audit_log_bulk`: what :func:`audit_log` takes, minus the
    request (a bulk write is never one person's request)."""

    actor: Any
    action: str
    obj: models.Model
    note: str = ""


def audit_log_bulk(items: Sequence[AuditItem], *, program_slug: str = "") -> list[AuditEntry]:
    """Append one entry per item, in batched INSERTs: for the bulk services, which
    write as many entries as :func:`audit_log` would for the same rows one at a time."""
    entries = [
        _entry(
            actor=item.actor,
            action=item.action,
            object_type=item.obj._meta.label_lower,
            object_id=str(item.obj.pk),
            program_slug=program_slug,
            request=None,
            note=item.note,
        )
        for item in items
    ]
    return AuditEntry.objects.bulk_create(entries, batch_size=500)
