"""The LINE webhook, ``POST /line/<program>/webhook``: verify the signature, store every
event once, ignore on purpose what the platform does not act on, enqueue the rest,
answer 200 (DESIGN.md invariant 3, "nothing received is lost").

LINE's own SDK fixture (``../shared/fixtures/line/webhook.json``, 28 events of every
type, all sharing one ``webhookEventId``; event 25 is a redelivery of event 0) is
replayed as LINE would send it; single events come from the fake LINE platform, so
their reply tokens are real and the replies can be read back from it.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django_tasks import default_task_backend

from secondcareer.devtools.fakeline import sign
from secondcareer.devtools.fakeline.pytest_plugin import FakeLine
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.models import EventStatus, LineUser, WebhookEvent
from secondcareer.messaging.line.services import processing
from secondcareer.programs.models import Program
from secondcareer.programs.services import program_load_preset

SDK_FIXTURE = Path(__file__).resolve().parents[6] / "shared" / "fixtures" / "line" / "webhook.json"
needs_sdk_fixture = pytest.mark.skipif(
    not SDK_FIXTURE.exists(), reason="../shared/fixtures/line/webhook.json not present"
)
URL = "/line/kobe/webhook"
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

# What each event of the SDK fixture becomes: (type, source type) -> status, with how
# many such events. Event 25 (a redelivery of event 0) is not a row of its own.
FIXTURE_ROWS: Counter[tuple[str, str, str]] = Counter(
    {
        # one-to-one chats: acted on (messages: text, video, audio, location, sticker,
        # file, image)
        ("message", "user", EventStatus.PENDING): 7,
        ("follow", "user", EventStatus.PENDING): 1,
        ("unfollow", "user", EventStatus.PENDING): 1,
        ("postback", "user", EventStatus.PENDING): 4,  # plain, date, time, datetime
        # groups and rooms: recorded only
        ("message", "room", EventStatus.IGNORED): 2,
        ("message", "group", EventStatus.IGNORED): 1,
        ("join", "group", EventStatus.IGNORED): 1,
        ("leave", "group", EventStatus.IGNORED): 1,
        ("memberJoined", "group", EventStatus.IGNORED): 1,
        ("memberLeft", "group", EventStatus.IGNORED): 1,
        ("unsend", "group", EventStatus.IGNORED): 1,
        # from a user, but of a type the platform does not act on: recorded only
        ("beacon", "user", EventStatus.IGNORED): 2,
        ("accountLink", "user", EventStatus.IGNORED): 1,
        ("videoPlayComplete", "user", EventStatus.IGNORED): 1,
        ("messageEdited", "user", EventStatus.IGNORED): 1,
        ("undefined", "user", EventStatus.IGNORED): 1,
    }
)


# --- fixtures and helpers ---------------------------------------------------------------


@pytest.fixture
def dummy_tasks(settings: Any) -> Any:
    """Tasks are enqueued for real but never run (the dummy backend keeps them)."""
    settings.TASKS = DUMMY_TASKS
    default_task_backend.clear()  # type: ignore[attr-defined]
    return default_task_backend


@pytest.fixture
def handled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the events :func:`processing.handle` was called for (a spy: the real
    handler still runs)."""
    calls: list[int] = []
    real = processing.handle

    def spy(event: WebhookEvent) -> tuple[str, list[dict[str, Any]]]:
        calls.append(event.pk)
        return real(event)

    monkeypatch.setattr(processing, "handle", spy)
    return calls


def sdk_body() -> bytes:
    return SDK_FIXTURE.read_bytes()


def secret() -> str:
    return channel_for("kobe").channel_secret


def post(client: Client, body: bytes, signature: str | None, url: str = URL) -> Any:
    headers = {} if signature is None else {"x-line-signature": signature}
    return client.post(url, data=body, content_type="application/json", headers=headers)


def rows() -> Counter[tuple[str, str, str]]:
    return Counter(WebhookEvent.objects.values_list("event_type", "source_type", "status"))


@pytest.fixture
def deliver(line: FakeLine, client: Client) -> Callable[..., Any]:
    """``deliver(user_id, text=… | postback=… | event="follow"/"unfollow")``: one event
    built and signed by the fake, posted to Kobe's webhook."""
    channel_id = channel_for("kobe").channel_id

    def send(user_id: str, **kwargs: Any) -> Any:
        webhook = line.platform.sign_and_build_webhook(user_id, channel_id=channel_id, **kwargs)
        return post(client, webhook.body, webhook.signature)

    return send


# --- LINE's own fixture ---------------------------------------------------------------------


@needs_sdk_fixture
def test_every_event_of_lines_fixture_is_stored_once_or_deliberately_ignored(
    kobe: Program,
    client: Client,
    dummy_tasks: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, sdk_body(), sign(sdk_body(), secret()))

    assert response.status_code == 200
    assert response.json() == {}
    assert WebhookEvent.objects.count() == 27  # 28 events, the redelivery of event 0 dedupes
    assert rows() == FIXTURE_ROWS
    # Only one-to-one chats are acted on; groups, rooms and standby never are.
    assert (
        not WebhookEvent.objects.exclude(source_type="user")
        .exclude(status=EventStatus.IGNORED)
        .exists()
    )
    assert all(
        note
        for note in WebhookEvent.objects.filter(status=EventStatus.IGNORED).values_list(
            "note", flat=True
        )
    ), "every ignored event says why"
    # Exactly the pending events were handed to the task queue, each once.
    enqueued = [result.args[0] for result in dummy_tasks.results]
    pending = WebhookEvent.objects.filter(status=EventStatus.PENDING).values_list("pk", flat=True)
    assert sorted(enqueued) == sorted(pending)
    # Event 0 is stored as first received (not as the redelivery of it).
    first = WebhookEvent.objects.get(
        event_type="message", source_type="user", payload__message__text="Hello, world"
    )
    assert first.is_redelivery is False
    assert first.payload == json.loads(sdk_body())["events"][0]


@needs_sdk_fixture
@pytest.mark.django_db(transaction=True)
def test_the_same_body_posted_again_stores_nothing_new_and_processes_nothing_twice(
    line: FakeLine, client: Client, handled: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    body, signature = sdk_body(), sign(sdk_body(), secret())

    first = post(client, body, signature)
    after_first = dict(WebhookEvent.objects.values_list("pk", "status"))
    done_first = WebhookEvent.objects.filter(status=EventStatus.DONE).count()
    second = post(client, body, signature)

    assert first.status_code == second.status_code == 200
    assert WebhookEvent.objects.count() == 27
    # The test backend runs each task at enqueue time: every pending event was handled
    # once, during the first post, and none again for the second.
    assert sorted(handled) == sorted(
        pk for pk, status in after_first.items() if status != EventStatus.IGNORED
    )
    assert len(handled) == len(set(handled)) == 13
    assert done_first == 13
    assert dict(WebhookEvent.objects.values_list("pk", "status")) == after_first
    assert WebhookEvent.objects.filter(status=EventStatus.DONE, attempts=1).count() == 13
    # The fixture's reply token was never issued by LINE: the replies are refused, which
    # is logged and leaves the events done (the work was committed before replying).
    assert not WebhookEvent.objects.filter(status__in=[EventStatus.PENDING, EventStatus.FAILED])
    refused = [r for r in caplog.records if r.name == processing.log.name]
    assert refused and all(r.levelname == "WARNING" for r in refused)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "no task failed"
    assert "U206d25c2ea6bd87c17655609a1c37cb8" not in caplog.text


# --- signatures and shapes --------------------------------------------------------------------


@needs_sdk_fixture
def test_a_wrong_signature_is_refused_and_nothing_is_stored(
    kobe: Program, client: Client, dummy_tasks: Any
) -> None:
    body = sdk_body()
    tampered = body.replace(b"Hello, world", b"Hello, World")

    answers = [
        post(client, body, sign(body, "not-the-channel-secret")).status_code,
        post(client, body, sign(body, channel_for("saitama").channel_secret)).status_code,
        post(client, tampered, sign(body, secret())).status_code,
        post(client, body, "not base64 at all").status_code,
        post(client, body, sign(body, secret())[:-4]).status_code,
    ]

    assert answers == [403] * 5
    assert not WebhookEvent.objects.exists()
    assert not dummy_tasks.results


@needs_sdk_fixture
def test_a_missing_signature_is_a_bad_request_and_nothing_is_stored(
    kobe: Program, client: Client, dummy_tasks: Any
) -> None:
    assert post(client, sdk_body(), None).status_code == 400
    assert post(client, sdk_body(), "").status_code == 400
    assert not WebhookEvent.objects.exists()


def test_lines_verify_call_with_no_events_is_acknowledged(kobe: Program, client: Client) -> None:
    body = json.dumps({"destination": "U0123456789abcdef0123456789abcdef", "events": []}).encode()

    response = post(client, body, sign(body, secret()))

    assert response.status_code == 200
    assert response.json() == {}
    assert not WebhookEvent.objects.exists()


def test_a_correctly_signed_body_that_is_not_lines_shape_is_a_bad_request(
    kobe: Program, client: Client
) -> None:
    for body in [b"not json", b"[]", b'{"events": {}}', b'{"events": [1]}', b'{"events": [{}]}']:
        assert post(client, body, sign(body, secret())).status_code == 400, body
    assert not WebhookEvent.objects.exists()


def test_an_unknown_program_is_not_found(kobe: Program, client: Client) -> None:
    body = b'{"destination": "U0", "events": []}'

    response = post(client, body, sign(body, secret()), url="/line/nowhere/webhook")

    assert response.status_code == 404


def test_a_program_without_a_configured_channel_in_production_is_not_found(
    kobe: Program, client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.ENVIRONMENT = "production"  # no demo secret: an unset secret disables the channel
    monkeypatch.delenv("LINE_KOBE_CHANNEL_SECRET", raising=False)
    body = b'{"destination": "U0", "events": []}'

    assert post(client, body, sign(body, "demo-line-channel-secret-kobe")).status_code == 404


def test_only_post_is_allowed(kobe: Program, client: Client) -> None:
    assert client.get(URL).status_code == 405
    assert client.put(URL, data=b"{}").status_code == 405


def test_another_programs_signature_does_not_open_this_programs_webhook(
    kobe: Program, client: Client
) -> None:
    program_load_preset(path_or_name="saitama")
    body = b'{"destination": "U0", "events": []}'
    saitamas = sign(body, channel_for("saitama").channel_secret)

    assert post(client, body, saitamas).status_code == 403
    assert post(client, body, saitamas, url="/line/saitama/webhook").status_code == 200


# --- events from real users (through the fake platform) -------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_follow_registers_the_user_and_the_welcome_reply_reaches_line(
    line: FakeLine, deliver: Callable[..., Any], kobe: Program
) -> None:
    user_id = line.platform.add_user().user_id

    response = deliver(user_id, event="follow")

    assert response.status_code == 200
    user = LineUser.objects.get(program=kobe, line_user_id=user_id)
    assert user.following is True
    assert user.followed_at is not None
    event = WebhookEvent.objects.get(line_user_id=user_id)
    assert (event.event_type, event.status, event.attempts) == ("follow", EventStatus.DONE, 1)
    [welcome] = line.platform.texts_for(user_id)
    assert kobe.name in welcome
    assert not line.platform.rejections


@pytest.mark.django_db(transaction=True)
def test_an_unfollow_marks_the_user_as_no_longer_following(
    line: FakeLine, deliver: Callable[..., Any], kobe: Program
) -> None:
    user_id = line.platform.add_user().user_id
    deliver(user_id, event="follow")

    response = deliver(user_id, event="unfollow")

    assert response.status_code == 200
    user = LineUser.objects.get(program=kobe, line_user_id=user_id)
    assert user.following is False
    assert user.unfollowed_at is not None
    assert len(line.platform.texts_for(user_id)) == 1  # the welcome only: no reply to a block
    assert list(
        WebhookEvent.objects.filter(line_user_id=user_id).values_list("event_type", "status")
    ) == [("follow", EventStatus.DONE), ("unfollow", EventStatus.DONE)]


def test_a_follow_again_after_blocking_registers_the_user_again(
    line: FakeLine,
    deliver: Callable[..., Any],
    kobe: Program,
    django_capture_on_commit_callbacks: Any,
) -> None:
    user_id = line.platform.add_user().user_id
    with django_capture_on_commit_callbacks(execute=True):
        deliver(user_id, event="follow")
        deliver(user_id, event="unfollow")
        deliver(user_id, event="follow")

    user = LineUser.objects.get(program=kobe, line_user_id=user_id)
    assert (user.following, user.unfollowed_at) == (True, None)
    assert len(line.platform.texts_for(user_id)) == 2  # one welcome per follow


def test_events_in_standby_mode_are_recorded_and_not_acted_on(
    line: FakeLine,
    client: Client,
    kobe: Program,
    dummy_tasks: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    channel_id = channel_for("kobe").channel_id
    user_id = line.platform.add_user().user_id
    event = line.platform.message_event(user_id, "予約したい", channel_id=channel_id)
    event["mode"] = "standby"
    webhook = line.platform.build_webhook([event], channel_id=channel_id)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, webhook.body, webhook.signature)

    assert response.status_code == 200
    stored = WebhookEvent.objects.get()
    assert stored.status == EventStatus.IGNORED
    assert "standby" in stored.note
    assert not dummy_tasks.results


def test_a_redelivered_event_is_stored_once(
    line: FakeLine,
    client: Client,
    kobe: Program,
    dummy_tasks: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    channel_id = channel_for("kobe").channel_id
    user_id = line.platform.add_user().user_id
    event = line.platform.message_event(user_id, "こんにちは", channel_id=channel_id)
    redelivered = event | {"deliveryContext": {"isRedelivery": True}}

    with django_capture_on_commit_callbacks(execute=True):
        first = line.platform.build_webhook([event], channel_id=channel_id)
        again = line.platform.build_webhook([redelivered], channel_id=channel_id)
        statuses = [post(client, w.body, w.signature).status_code for w in (first, again)]

    assert statuses == [200, 200]
    assert WebhookEvent.objects.get().is_redelivery is False
    assert len(dummy_tasks.results) == 1


def test_a_correctly_signed_body_that_is_not_utf8_is_a_bad_request_a_forged_one_forbidden(
    kobe: Program, client: Client, dummy_tasks: Any
) -> None:
    body = b'{"destination": "U0", "events": [{"type": "message", "text": "\xff\xfe"}]}'

    assert post(client, body, sign(body, secret())).status_code == 400
    assert post(client, body, sign(body, "not-the-channel-secret")).status_code == 403
    assert post(client, body, None).status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_database_error_that_is_not_a_duplicate_is_not_swallowed(
    kobe: Program, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import IntegrityError

    from secondcareer.messaging.line.services import events as events_module

    def broken(**kwargs: Any) -> Any:
        raise IntegrityError("NOT NULL constraint failed: something else")

    monkeypatch.setattr(events_module.WebhookEvent.objects, "create", broken)
    event = {
        "type": "message",
        "webhookEventId": "01TEST",
        "source": {"type": "user", "userId": "U1"},
        "message": {"type": "text", "text": "こんにちは"},
    }
    with pytest.raises(IntegrityError):
        events_module.webhook_events_store(program=kobe, events=[event], enqueue=lambda pk: None)
