"""One place that decides whether a request is signed in as staff.

- **Lifetime** (ASVS 7.3.1/7.3.2): a session is signed out after
  ``STAFF_IDLE_TIMEOUT`` without a request, and ``STAFF_ABSOLUTE_TIMEOUT`` after the
  password was accepted, whichever comes first; the next page says why, in Japanese.
  The times live in the session (:data:`SIGNED_IN_AT`, :data:`LAST_SEEN`), so every
  web process enforces the same limits.
- **Second factor** (ASVS 6.3.3): a session that has passed the password but not the
  second factor is *anonymous* for every page except the sign-in pages themselves. So
  ``/staff/…`` pages redirect to the sign-in, ``/admin/`` to the sign-in, and the JSON
  API answers 401 — and a page added tomorrow is covered without a decorator. A
  request that carries ``Authorization: Bearer`` is authenticated by the API itself
  and never looks at the session user.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

SIGNED_IN_AT = "staff_signed_in_at"
LAST_SEEN = "staff_last_seen"
# Writing the session on every request would be a database write per request; the last
# activity is refreshed once a minute, which is precise enough for a 30-minute limit.
LAST_SEEN_RESOLUTION = 60

# The pages a signed-in-by-password session may still see, by URL name.
SIGN_IN_PAGES = (
    "workspace:login",
    "workspace:logout",
    "workspace:second_factor",
    "workspace:second_factor_enrol",
)


def _sign_in_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in SIGN_IN_PAGES)


def session_started(request: HttpRequest) -> None:
    """Record the start of a staff session (called when the password is accepted). The
    session cookie expires at the absolute limit, never later."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session.set_expiry(timezone.now() + settings.STAFF_ABSOLUTE_TIMEOUT)


def _expiry_reason(request: HttpRequest, now: float) -> str | None:
    started = request.session.get(SIGNED_IN_AT)
    seen = request.session.get(LAST_SEEN)
    if not isinstance(started, int | float) or not isinstance(seen, int | float):
        return "no session times"  # a session from before these limits: sign in again
    if now - started >= settings.STAFF_ABSOLUTE_TIMEOUT.total_seconds():
        return "absolute timeout"
    if now - seen >= settings.STAFF_IDLE_TIMEOUT.total_seconds():
        return "idle timeout"
    return None


class StaffSessionMiddleware:
    """After ``AuthenticationMiddleware``, django-otp's ``OTPMiddleware`` and
    ``MessageMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._sign_in_paths: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if SESSION_KEY in request.session:
            now = time.time()
            reason = _expiry_reason(request, now)
            if reason is not None:
                request.signout_reason = reason  # type: ignore[attr-defined]
                logout(request)
                if reason == "idle timeout":
                    messages.warning(
                        request,
                        _(
                            "しばらく操作がなかったため、ログアウトしました。もう一度ログインしてください。"
                        ),
                    )
                elif reason == "absolute timeout":
                    messages.warning(
                        request,
                        _(
                            "ログインしてから長い時間がたったため、ログアウトしました。もう一度ログインしてください。"
                        ),
                    )
            elif now - request.session[LAST_SEEN] >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN] = now
        if self._sign_in_paths is None:
            self._sign_in_paths = _sign_in_paths()
        if request.path_info not in self._sign_in_paths:
            _require_second_factor(request)
        return self.get_response(request)


def _require_second_factor(request: HttpRequest) -> None:
    real: Any = request.user

    def effective() -> Any:
        if real.is_authenticated and not real.is_verified():
            return AnonymousUser()
        return real

    request.user = cast(Any, SimpleLazyObject(effective))

    async def aeffective() -> Any:
        return effective()

    request.auser = aeffective
