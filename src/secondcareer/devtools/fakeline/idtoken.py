"""LINE Login ID tokens as the fake issues them: HS256 JSON Web Tokens.

Only the fake reads them back (``POST /oauth2/v2.1/verify``), as the project never
verifies an ID token itself: it asks the LINE Login endpoint, like in production.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

ISSUER = "https://access.line.me"


class IdTokenInvalid(ValueError):
    """Carries LINE Login's ``error_description`` for the failed check."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(claims: dict[str, Any], key: bytes) -> str:
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = _b64(hmac.new(key, signing_input, hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


def decode(
    token: str,
    key: bytes,
    *,
    now: float,
    client_id: str,
    nonce: str | None = None,
    user_id: str | None = None,
) -> dict[str, Any]:
    """The claims of a valid token, checked in the order LINE Login reports problems."""
    try:
        header, payload, signature = token.split(".")
        expected = hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(_unb64(signature), expected):
            raise IdTokenInvalid("Invalid IdToken.")
        claims: dict[str, Any] = json.loads(_unb64(payload))
    except (ValueError, TypeError) as exc:
        if isinstance(exc, IdTokenInvalid):
            raise
        raise IdTokenInvalid("Invalid IdToken.") from exc
    if claims.get("iss") != ISSUER:
        raise IdTokenInvalid("Invalid IdToken Issuer.")
    if float(claims.get("exp", 0)) <= now:
        raise IdTokenInvalid("IdToken expired.")
    if claims.get("aud") != client_id:
        raise IdTokenInvalid("Invalid IdToken Audience.")
    if nonce is not None and claims.get("nonce") != nonce:
        raise IdTokenInvalid("Invalid IdToken Nonce.")
    if user_id is not None and claims.get("sub") != user_id:
        raise IdTokenInvalid("Invalid IdToken Subject Identifier.")
    return claims
