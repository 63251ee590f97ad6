"""``secondcareer line-process-pending``: events left pending (the web process died
between storing and enqueueing) are picked up again after a while, and handled once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from secondcareer.devtools.fakeline import Channel, new_user_id
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.models import EventStatus, WebhookEvent


@pytest.fixture
def line_channel(program: Any, fake_line: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LINE_API_BASE_URL", fake_line.base_url)
    line = channel_for(program.slug)
    fake_line.platform.add_channel(Channel(line.channel_id, line.access_token, line.channel_secret))
    return line.channel_id


def stored_follow(client: Any, fake_line: Any, program: Any, channel_id: str) -> WebhookEvent:
    """A follow event stored by the real webhook whose task never ran (no commit hook
    fires inside the test transaction: as if the process died right after storing)."""
    user_id = new_user_id()
    webhook = fake_line.platform.sign_and_build_webhook(
        user_id, event="follow", channel_id=channel_id
    )
    response = client.post(
        f"/line/{program.slug}/webhook",
        data=webhook.body,
        content_type="application/json",
        headers={"x-line-signature": webhook.signature},
    )
    assert response.status_code == 200
    return WebhookEvent.objects.get(line_user_id=user_id)


def age(event: WebhookEvent, seconds: int) -> None:
    WebhookEvent.objects.filter(pk=event.pk).update(
        received_at=timezone.now() - dt.timedelta(seconds=seconds)
    )


@pytest.mark.parametrize("now", [True, False], ids=["processed here", "queued again"])
def test_an_event_pending_too_long_is_handled_once(
    client, fake_line, program, line_channel, now, django_capture_on_commit_callbacks
):
    event = stored_follow(client, fake_line, program, line_channel)
    age(event, 120)
    with django_capture_on_commit_callbacks(execute=True):  # the reply goes out after commit
        call_command("line-process-pending", older_than=60, now=now)
    event.refresh_from_db()
    assert (event.status, event.attempts) == (EventStatus.DONE, 1)
    texts = fake_line.platform.texts_for(event.line_user_id)
    assert len(texts) == 1 and "友だち追加ありがとうございます" in texts[0]

    with django_capture_on_commit_callbacks(execute=True):
        call_command("line-process-pending", older_than=60, now=now)
    assert len(fake_line.platform.texts_for(event.line_user_id)) == 1


def test_a_recent_event_is_left_to_the_queue(client, fake_line, program, line_channel):
    event = stored_follow(client, fake_line, program, line_channel)
    call_command("line-process-pending", older_than=60, now=True)
    event.refresh_from_db()
    assert event.status == EventStatus.PENDING
    assert fake_line.platform.texts_for(event.line_user_id) == []
