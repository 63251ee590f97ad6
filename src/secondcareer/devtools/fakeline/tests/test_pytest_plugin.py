"""The pytest plugin fails a run in which any message was refused by the outbound
policy, even when every test passed; platforms that expect rejections are exempt."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

PLUGIN_ARGS = (
    "-p",
    "secondcareer.devtools.fakeline.pytest_plugin",
    "-p",
    "no:cacheprovider",
    "-o",
    "fake_line_screen=secondcareer.messaging.policy:find_violations",
)

# The inner runs talk plain HTTP (the SDK is exercised elsewhere; importing it would
# double the time of each run).
SEND = """
import json
import urllib.error
import urllib.request

import pytest

from secondcareer.devtools.fakeline import DEFAULT_ACCESS_TOKEN

USER = "U" + "a" * 32


def push(base_url, text):
    body = json.dumps({"to": USER, "messages": [{"type": "text", "text": text}]}).encode()
    request = urllib.request.Request(
        base_url + "/v2/bot/message/push",
        data=body,
        headers={
            "Authorization": "Bearer " + DEFAULT_ACCESS_TOKEN,
            "Content-Type": "application/json",
        },
    )
    urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request)
"""


@pytest.fixture(autouse=True)
def _only_this_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    # The inner runs load only the plugin under test: faster, and no Django.
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


def test_a_run_that_sent_personal_data_fails_though_its_tests_pass(pytester: pytest.Pytester):
    pytester.makepyfile(
        test_leak=SEND
        + """
def test_sends_a_phone_number_and_catches_the_error(fake_line):
    with pytest.raises(urllib.error.HTTPError):
        push(fake_line.base_url, "担当者の携帯 090-1234-5678")
    fake_line.reset()  # resetting does not hide the rejection


def test_sends_something_harmless(fake_line):
    push(fake_line.base_url, "12月3日(木) 14:00 のご予約を承りました。")
    assert fake_line.platform.texts_for(USER) == ["12月3日(木) 14:00 のご予約を承りました。"]
"""
    )

    result = pytester.runpytest_subprocess(*PLUGIN_ARGS)

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*2 passed*",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*1 LINE message(s) refused by the outbound policy*",
            "push to Uaaaa*phone:*",
            "*090-1234-5678*",
        ]
    )


def test_a_clean_run_and_platforms_expecting_rejections_pass(pytester: pytest.Pytester):
    pytester.makepyfile(
        test_clean=SEND
        + """
from secondcareer.devtools.fakeline import FakeLinePlatform, start_server


def test_sends_something_harmless(fake_line):
    push(fake_line.base_url, "セミナーのご案内です。")


def test_provokes_a_rejection_on_purpose():
    with start_server(FakeLinePlatform(expect_rejections=True)) as server:
        with pytest.raises(urllib.error.HTTPError):
            push(server.base_url, "〒359-0042")
        assert len(server.platform.rejections) == 1
"""
    )

    result = pytester.runpytest_subprocess(*PLUGIN_ARGS)

    assert result.ret == pytest.ExitCode.OK
    result.stdout.no_fnmatch_line("*refused by the outbound policy*")
