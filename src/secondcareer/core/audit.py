"""Writing the audit log. Views call :func:`audit_record_view` whenever a seeker's
personal record is shown; services call :func:`audit_log` for other actions."""

from __future__ import annotations

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
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        actor_id=actor.pk if authenticated else None,
        actor_username=actor.get_username() if authenticated else "system",
        program_slug=program_slug,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
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
