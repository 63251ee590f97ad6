"""Webhook signatures: the ``x-line-signature`` scheme (HMAC-SHA256 of the raw request
body with the channel secret, base64-encoded)."""

from __future__ import annotations

import base64
import hashlib
import hmac


def sign(body: bytes, channel_secret: str) -> str:
    """The ``x-line-signature`` value LINE sends with ``body``."""
    digest = hmac.new(channel_secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signature_is_valid(body: bytes, signature: str, channel_secret: str) -> bool:
    return hmac.compare_digest(sign(body, channel_secret), signature)
