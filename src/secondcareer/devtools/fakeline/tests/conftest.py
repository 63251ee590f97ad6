"""Fixtures for the fake's own tests: a platform with a hand-moved clock that expects
rejections (these tests provoke them on purpose), served on a free port, and the
official SDK's clients pointed at it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, MessagingApiBlob

from secondcareer.devtools.fakeline import (
    DEFAULT_ACCESS_TOKEN,
    FakeLinePlatform,
    ManualClock,
    RunningServer,
    new_user_id,
    start_server,
)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def platform(clock: ManualClock) -> FakeLinePlatform:
    return FakeLinePlatform(clock=clock, expect_rejections=True)


@pytest.fixture
def server(platform: FakeLinePlatform) -> Iterator[RunningServer]:
    with start_server(platform) as running:
        yield running


@pytest.fixture
def api_client(server: RunningServer) -> Iterator[ApiClient]:
    configuration = Configuration(host=server.base_url, access_token=DEFAULT_ACCESS_TOKEN)
    with ApiClient(configuration) as client:
        yield client


@pytest.fixture
def api(api_client: ApiClient) -> MessagingApi:
    return MessagingApi(api_client)


@pytest.fixture
def blob(api_client: ApiClient) -> MessagingApiBlob:
    return MessagingApiBlob(api_client)


@pytest.fixture
def user_id(platform: FakeLinePlatform) -> str:
    return platform.add_user(new_user_id(), display_name="山田 太郎").user_id


def http(
    method: str,
    url: str,
    body: bytes | dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], Any]:
    """A raw HTTP call (for what the SDK would not send): status, headers, JSON body."""
    headers = dict(headers or {})
    if isinstance(body, dict):
        body = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=5) as response:
            status, answer_headers, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        status, answer_headers, raw = exc.code, dict(exc.headers), exc.read()
    try:
        return status, answer_headers, json.loads(raw) if raw else None
    except ValueError:
        return status, answer_headers, raw
