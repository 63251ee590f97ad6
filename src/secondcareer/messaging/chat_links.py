"""The signed, expiring link that opens a seeker's chat (``/chat/<token>/``).

The token is the thread id signed with Django's signing (a salt of its own, a
timestamp), so it cannot be guessed or altered, and it stops working after
``CHAT_LINK_MAX_AGE_HOURS`` (default 72). The link alone shows nothing: the page still
asks for proof that the reader is the seeker (LINE's ID token or a one-time code)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "secondcareer.messaging.chat-link"
DEFAULT_MAX_AGE_HOURS = 72


class ChatLinkError(Exception):
    """The token is not one of ours (altered, truncated, made up)."""


class ChatLinkExpired(ChatLinkError):
    """The token was ours but is older than the configured lifetime."""


def max_age() -> dt.timedelta:
    hours = getattr(settings, "CHAT_LINK_MAX_AGE_HOURS", DEFAULT_MAX_AGE_HOURS)
    return dt.timedelta(hours=float(hours))


def chat_token(thread_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(int(thread_id)))


def thread_id_from_token(token: str) -> int:
    """The thread id a token carries; :class:`ChatLinkExpired` past its lifetime,
    :class:`ChatLinkError` for anything that is not a token we signed."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token, max_age=max_age())
    except signing.SignatureExpired as exc:
        raise ChatLinkExpired from exc
    except signing.BadSignature as exc:
        raise ChatLinkError from exc
    try:
        return int(value)
    except ValueError as exc:  # pragma: no cover - we only sign integers
        raise ChatLinkError from exc


def site_url() -> str:
    return str(getattr(settings, "SECONDCAREER_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def chat_path(thread_id: int) -> str:
    return reverse("chat_public:chat", args=[chat_token(thread_id)])


def chat_url(thread_id: int) -> str:
    """The absolute link a notice carries (a fresh token, so a fresh lifetime)."""
    return site_url() + chat_path(thread_id)
