"""A program with its LINE channel registered on the fake LINE platform, and helpers to
chat as a LINE user through the real webhook."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from secondcareer.devtools.fakeline import Channel
from secondcareer.messaging.line.client import public_allow_list
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.models import LineUser
from secondcareer.programs.models import Program


@dataclass
class LineChat:
    client: Client
    fake: Any
    program: Program
    user_id: str
    capture: Any

    @property
    def channel_id(self) -> str:
        return channel_for(self.program.slug).channel_id

    def _post(self, **kind: Any) -> None:
        webhook = self.fake.platform.sign_and_build_webhook(
            self.user_id, channel_id=self.channel_id, **kind
        )
        with self.capture(execute=True):
            response = self.client.post(
                f"/line/{self.program.slug}/webhook",
                data=webhook.body,
                content_type="application/json",
                headers={"x-line-signature": webhook.signature},
            )
        assert response.status_code == 200

    def say(self, text: str) -> list[str]:
        before = len(self.fake.platform.texts_for(self.user_id))
        self._post(text=text)
        return self.fake.platform.texts_for(self.user_id)[before:]

    def tap(self, data: str) -> list[str]:
        before = len(self.fake.platform.texts_for(self.user_id))
        self._post(postback=data)
        return self.fake.platform.texts_for(self.user_id)[before:]

    def follow(self) -> list[str]:
        before = len(self.fake.platform.texts_for(self.user_id))
        self._post(event="follow")
        return self.fake.platform.texts_for(self.user_id)[before:]

    def last_quick_replies(self) -> list[dict[str, Any]]:
        sent = self.fake.platform.messages_for(self.user_id)
        for record in reversed(sent):
            items = (record.message.get("quickReply") or {}).get("items")
            if items:
                return [item["action"] for item in items]
        return []

    def line_user(self) -> LineUser:
        return LineUser.objects.get(program=self.program, line_user_id=self.user_id)


@pytest.fixture
def line_env(kobe: Program, fake_line: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("LINE_API_BASE_URL", fake_line.base_url)
    monkeypatch.setenv("LINE_API_DATA_BASE_URL", fake_line.base_url)
    channel = channel_for("kobe")
    fake_line.platform.add_channel(
        Channel(channel.channel_id, channel.access_token, channel.channel_secret)
    )
    fake_line.platform.allow_public(*public_allow_list("kobe"))
    return fake_line


@pytest.fixture
def line(line_env: Any) -> Any:
    """The fake LINE platform knowing Kobe's channel and its published strings, with the
    project's client pointed at it."""
    return line_env


@pytest.fixture
def chat(
    line_env: Any, kobe: Program, client: Client, django_capture_on_commit_callbacks: Any
) -> LineChat:
    user_id = "U" + uuid.uuid4().hex  # fresh per test: the fake platform lives all session
    line_env.platform.add_user(user_id)
    return LineChat(
        client=client,
        fake=line_env,
        program=kobe,
        user_id=user_id,
        capture=django_capture_on_commit_callbacks,
    )


def next_weekday(after: dt.date, weekday: int) -> dt.date:
    day = after + dt.timedelta(days=1)
    while day.weekday() != weekday:
        day += dt.timedelta(days=1)
    return day
