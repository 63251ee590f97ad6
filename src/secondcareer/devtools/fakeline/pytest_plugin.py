"""pytest plugin for the fake LINE platform (``-p secondcareer.devtools.fakeline.pytest_plugin``).

- ``fake_line`` (session scope): a fake LINE platform served on 127.0.0.1 on a free
  port; ``fake_line.base_url`` for ``Configuration(host=...)``, ``fake_line.platform``
  for its state (sent messages, rejections, ``reset()``).
- The outbound policy is a test assertion for the whole run: when any fake platform
  (the fixture's or one a test built) refused a message under the outbound policy, the
  run fails at the end with a list of the refused messages, even if every test passed.
  Platforms built with ``FakeLinePlatform(expect_rejections=True)`` are exempt: they
  are for tests of the refusal itself.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from secondcareer.devtools.fakeline.platform import (
    DEFAULT_ACCESS_TOKEN,
    FakeLinePlatform,
    Rejection,
    add_rejection_listener,
    remove_rejection_listener,
    screen_outbound_with,
)
from secondcareer.devtools.fakeline.server import RunningServer, start_server

_REJECTIONS = pytest.StashKey[list[Rejection]]()
_LISTENER = pytest.StashKey[Any]()


@dataclass
class FakeLine:
    server: RunningServer

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def platform(self) -> FakeLinePlatform:
        return self.server.platform

    def reset(self) -> None:
        self.platform.reset()

    def configuration(self, access_token: str = DEFAULT_ACCESS_TOKEN) -> Any:
        """A ``linebot.v3.messaging.Configuration`` pointed at the fake."""
        from linebot.v3.messaging import Configuration

        return Configuration(host=self.base_url, access_token=access_token)


@pytest.fixture(scope="session")
def fake_line() -> Iterator[FakeLine]:
    server = start_server(FakeLinePlatform())
    try:
        yield FakeLine(server)
    finally:
        server.stop()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "fake_line_screen",
        "module:function that screens every message the fake LINE platform receives "
        "(the product's outbound policy); empty: screen nothing",
        default="",
    )


def pytest_configure(config: pytest.Config) -> None:
    # The screen is named in the configuration, not imported here: the fake imports
    # nothing of the product (import-linter contract), the project's ini names it.
    screen = str(config.getini("fake_line_screen") or "")
    if screen:
        module, _, function = screen.partition(":")
        screen_outbound_with(getattr(importlib.import_module(module), function))
    rejections: list[Rejection] = []

    def listener(platform: FakeLinePlatform, rejection: Rejection) -> None:
        rejections.append(rejection)

    config.stash[_REJECTIONS] = rejections
    config.stash[_LISTENER] = listener
    add_rejection_listener(listener)


def pytest_unconfigure(config: pytest.Config) -> None:
    listener = config.stash.get(_LISTENER, None)
    if listener is not None:
        remove_rejection_listener(listener)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if session.config.stash.get(_REJECTIONS, []) and session.exitstatus in (
        pytest.ExitCode.OK,
        pytest.ExitCode.NO_TESTS_COLLECTED,
    ):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    rejections = config.stash.get(_REJECTIONS, [])
    if not rejections:
        return
    terminalreporter.write_sep(
        "=", f"{len(rejections)} LINE message(s) refused by the outbound policy", red=True
    )
    for rejection in rejections:
        terminalreporter.write_line(rejection.describe())
    terminalreporter.write_line(
        "The run fails: the project sent personal data towards LINE (DESIGN.md invariant 2). "
        "Tests of the refusal itself use FakeLinePlatform(expect_rejections=True)."
    )
