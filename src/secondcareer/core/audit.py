"""Writing the audit log. Views call :func:`audit_record_view` whenever a seeker's
personal record is shown; services call :func:`audit_log` for other actions."""

from __future__ import annotations

from collections.abc import Sequence
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


def audit_log(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    program_slug: str = "",
    request: HttpRequest | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry. ``actor`` is a user (or None for the system)."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        actor_id=actor.pk if authenticated else None,
        actor_username=actor.get_username() if authenticated else "system",
        program_slug=program_slug,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        ip_address=_client_ip(request),
        path=(request.path[:300] if request is not None else ""),
        note=note[:200],
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
    entries = []
    for item in items:
        if item.action not in AuditAction.values:
            raise ValueError(f"unknown audit action {item.action!r}")
        authenticated = item.actor is not None and getattr(item.actor, "is_authenticated", False)
        entries.append(
            AuditEntry(
                actor_id=item.actor.pk if authenticated else None,
                actor_username=item.actor.get_username() if authenticated else "system",
                program_slug=program_slug,
                action=item.action,
                object_type=item.obj._meta.label_lower,
                object_id=str(item.obj.pk),
                note=item.note[:200],
            )
        )
    return AuditEntry.objects.bulk_create(entries, batch_size=500)
