"""The fake LINE platform served by Django itself under ``/fakeline/`` (demo and tests).

One :class:`~secondcareer.devtools.fakeline.FakeLinePlatform` per process, created on the first
request, with a channel for every program in the database (the credentials of
:func:`~secondcareer.messaging.line.config.channel_for`, webhook URL
``SECONDCAREER_SITE_URL/line/<slug>/webhook``) and the programs' public strings on its
allow-list. It is brought up to date on every request except the simulator's polling,
so a program loaded while the server runs gets its channel at once.

In the demo everything goes through the one web server: the simulator page posts to
``/fakeline/fake/webhook``, the fake signs the event and posts it to the real webhook
(another request to the same server), the task worker replies through the SDK to
``/fakeline/v2/bot/message/reply``, and the simulator reads the reply back from
``/fakeline/fake/messages``. The server must therefore serve requests concurrently
(``runserver`` does), and be ONE process: the platform lives in memory, so with several
worker processes (gunicorn ``--workers 4``) a reply token minted in one is unknown to
another. For that, run the fake as its own server (``python -m secondcareer.devtools.fakeline``)
and point ``LINE_API_BASE_URL`` at it.

Only when ``settings.FAKE_LINE_ENABLED`` (on outside production). The side door is
narrowed here: no ``url`` on ``/fake/webhook`` (webhooks go only to the programs' own
webhook), no ``/fake/allow`` or ``/fake/reset`` over HTTP, and no CORS headers (the
simulator is on the same origin).
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from secondcareer.devtools.fakeline import Channel, FakeLinePlatform
from secondcareer.devtools.fakeline.app import FakeLineApp
from secondcareer.devtools.fakeline.platform import screen_outbound_with
from secondcareer.messaging.line.client import public_allow_list
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.policy import find_violations
from secondcareer.programs.models import Program

PREFIX = "/fakeline"
_CLOSED_PATHS = frozenset({"/fake/allow", "/fake/reset"})
_POLL_PATH = "/fake/messages"


@dataclass
class _Mounted:
    platform: FakeLinePlatform
    app: FakeLineApp
    channels: tuple[Channel, ...]


_lock = threading.Lock()
_mounted: _Mounted | None = None


def _site_url() -> str:
    return str(getattr(settings, "SECONDCAREER_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def _wanted() -> tuple[tuple[Channel, ...], list[str]]:
    """The channels and public strings the database asks for now."""
    site = _site_url()
    channels: list[Channel] = []
    allow: list[str] = []
    for slug, name in Program.objects.order_by("slug").values_list("slug", "name"):
        line = channel_for(slug)
        if not line.is_configured:
            continue
        channels.append(
            Channel(
                channel_id=line.channel_id,
                access_token=line.access_token,
                secret=line.channel_secret,
                webhook_url=f"{site}/line/{slug}/webhook",
                name=name[:20],
            )
        )
        allow += public_allow_list(slug)
    return tuple(channels), allow


def _add_missing(platform: FakeLinePlatform, strings: Iterable[str]) -> None:
    missing = list(dict.fromkeys(s for s in strings if s and s not in platform.allow))
    if missing:
        platform.allow_public(*missing)


def mounted(*, refresh: bool = True) -> _Mounted:
    """The process's fake platform, created on first use; with ``refresh`` its channels
    and allow-list are brought up to date with the database."""
    global _mounted
    with _lock:
        if _mounted is not None and not refresh:
            return _mounted
        channels, allow = _wanted()
        if _mounted is None:
            screen_outbound_with(find_violations)  # the demo's fake refuses what policy refuses
            platform = FakeLinePlatform(channels=channels, allow=dict.fromkeys(allow))
            _mounted = _Mounted(platform, FakeLineApp(platform, prefix=PREFIX), channels)
        elif channels != _mounted.channels:
            for channel in channels:
                _mounted.platform.add_channel(channel)
            _mounted.channels = channels
        _add_missing(_mounted.platform, allow)
        return _mounted


def platform() -> FakeLinePlatform:
    """The in-process fake platform (tests and the simulator page read it directly)."""
    return mounted().platform


def forget() -> None:
    """Drop the in-process platform; the next request builds a fresh one (tests)."""
    global _mounted
    with _lock:
        _mounted = None


def _fields(request: HttpRequest) -> dict[str, Any]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return {k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}


def _refused(request: HttpRequest, path: str) -> HttpResponse | None:
    if path in _CLOSED_PATHS:
        return JsonResponse({"message": "not available through the mounted fake"}, status=403)
    if path == "/fake/webhook" and request.method == "POST" and "url" in _fields(request):
        return JsonResponse(
            {"message": "url is not accepted: webhooks go to the program's own webhook URL"},
            status=400,
        )
    return None


@csrf_exempt  # the fake's own rules apply: bearer tokens for the API, none for the side door
def serve(request: HttpRequest, path: str = "") -> HttpResponse:
    if not getattr(settings, "FAKE_LINE_ENABLED", False):
        raise Http404
    inner = "/" + path
    refused = _refused(request, inner)
    if refused is not None:
        return refused
    app = mounted(refresh=not (request.method == "GET" and inner == _POLL_PATH)).app
    body = request.body
    environ = dict(request.META)  # the WSGI environ (WSGIRequest)
    environ.update(
        {
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            "SCRIPT_NAME": request.META.get("SCRIPT_NAME", ""),
            "PATH_INFO": PREFIX + inner,
        }
    )
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        answer["status"], answer["headers"] = status, headers
        return lambda data: None

    chunks = app(environ, start_response)
    content = b"".join(chunks)
    headers: list[tuple[str, str]] = answer.get("headers", [])
    content_type = next((v for k, v in headers if k.lower() == "content-type"), None)
    response = HttpResponse(
        content,
        status=int(str(answer.get("status", "500")).split(" ", 1)[0]),
        content_type=content_type,
    )
    for name, value in headers:
        lowered = name.lower()
        if lowered in {"content-type", "content-length"} or lowered.startswith("access-control-"):
            continue
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response
