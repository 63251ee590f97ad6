"""Rate limits for the public booking form, counted in Django's cache.

Fixed windows: ``"10/hour"`` allows ten hits per calendar hour of the server clock.
Limits come from ``settings.SECONDCAREER_RATE_LIMITS`` (a dict, scope → ``"N/unit"``
with unit ``minute``, ``hour`` or ``day``, or None to switch a scope off), falling back
to :data:`DEFAULT_LIMITS`. Identifiers (IP addresses, phone numbers) are keyed by an
HMAC, so the cache never holds a phone number.

The cache is the shared one of ``CACHE_URL`` (the database by default, or Redis), so the
limits hold across every web process. The database cache's ``incr`` is a read and a
write, so two processes counting the same key at the same instant may count once; Redis
counts atomically.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# booking_ip: booking attempts (the final 「予約する」) per client address;
# booking_phone: bookings made per phone number;
# booking_form_ip: name/phone forms sent per client address (each one starts a session).
DEFAULT_LIMITS: dict[str, str | None] = {
    "booking_ip": "10/hour",
    "booking_phone": "3/day",
    "booking_form_ip": "60/hour",
}
_UNITS = {"minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def parse_limit(text: str) -> Limit:
    """``"10/hour"`` → Limit(10, 3600)."""
    count, _, unit = text.partition("/")
    if unit not in _UNITS or not count.strip().isdigit():
        raise ValueError(f"rate limit must look like '10/hour', got {text!r}")
    return Limit(int(count), _UNITS[unit])


def limit_for(scope: str) -> Limit | None:
    configured = {**DEFAULT_LIMITS, **getattr(settings, "SECONDCAREER_RATE_LIMITS", {})}
    text = configured.get(scope)
    return parse_limit(text) if text else None


def _key(scope: str, identifier: str, limit: Limit, now: float) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}:{identifier}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{int(now // limit.seconds)}"


def retry_after(scope: str, *, now: float | None = None) -> int:
    """Seconds until the current window of ``scope`` ends."""
    limit = limit_for(scope)
    if limit is None:
        return 0
    now = time.time() if now is None else now
    return int(limit.seconds - now % limit.seconds) + 1


def is_limited(scope: str, identifier: str, *, now: float | None = None) -> bool:
    """Whether ``identifier`` has used up ``scope`` in the current window."""
    limit = limit_for(scope)
    if limit is None:
        return False
    now = time.time() if now is None else now
    return int(cache.get(_key(scope, identifier, limit, now), 0)) >= limit.count


def hit(scope: str, identifier: str, *, now: float | None = None) -> bool:
    """Count one use; True when this use is over the limit."""
    limit = limit_for(scope)
    if limit is None:
        return False
    now = time.time() if now is None else now
    key = _key(scope, identifier, limit, now)
    cache.add(key, 0, timeout=limit.seconds + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.seconds + 60)
        count = 1
    return count > limit.count


def client_ip(request: HttpRequest) -> str:
    """The client address: REMOTE_ADDR, or behind ``SECONDCAREER_TRUSTED_PROXIES``
    reverse proxies the address the nearest of them saw (X-Forwarded-For is
    client-controlled except for the entries our own proxies appended). IPv6 clients
    are counted per /64, the block one subscriber usually holds."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "SECONDCAREER_TRUSTED_PROXIES", 0) or 0)
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
