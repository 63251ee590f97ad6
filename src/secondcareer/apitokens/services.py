"""Creating, using and revoking API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from secondcareer.apitokens.models import ApiToken
from secondcareer.core.audit import audit_log
from secondcareer.core.errors import DomainError
from secondcareer.core.models import AuditAction

TOKEN_PREFIX = "sc_"  # noqa: S105 - a marker, not a secret
PREFIX_LENGTH = 10  # "sc_" and 7 characters of the random part: enough to tell tokens apart
# last_used_at is written at most this often, so that the API does not write on every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def token_hash(raw: str) -> str:
    """SHA-256 hex of a token. A plain hash suffices: tokens are 256-bit random values,
    so there is nothing to guess that a slow, salted hash would protect."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def api_token_create(*, user: Any, name: str, actor: Any = None) -> tuple[ApiToken, str]:
    """A new token for ``user``. Returns the row and the token, which is never stored
    and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise DomainError(
            "トークンの用途を入力してください。",
            code="invalid",
            status=422,
            field_errors={"name": ["用途を入力してください。"]},
        )
    if not user.is_active:
        raise DomainError(
            "無効なスタッフにはトークンを発行できません。", code="invalid", status=422
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], prefix=raw[:PREFIX_LENGTH], key_hash=token_hash(raw)
        )
        audit_log(actor=actor, action=AuditAction.CREATE, obj=token, note="api token")
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: Any = None) -> ApiToken:
    """Revoke at once; a revoked token never authenticates again."""
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(actor=actor, action=AuditAction.UPDATE, obj=token, note="api token revoked")
    return token


def api_token_authenticate(raw: str, *, now: dt.datetime | None = None) -> Any | None:
    """The active user a presented token belongs to, or None for an unknown, revoked
    or malformed token, or one whose user is inactive."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = next(
        iter(
            ApiToken.objects.select_related("user")
            .filter(key_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
            .order_by()[:1]  # key_hash is unique: nothing to sort
        ),
        None,
    )
    if token is None:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
