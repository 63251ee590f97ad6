"""The fake LINE platform served by Django under /fakeline/: the Messaging API with the
programs' own tokens, the simulator's side door, and a webhook signed by the fake that
the real webhook accepts — through the test client, and the whole loop (fake → webhook
→ task → reply → fake) through a live server."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings

from secondcareer.devtools.fakeline import new_user_id
from secondcareer.messaging.line import fake_mount
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.models import EventStatus, WebhookEvent
from secondcareer.programs.models import Program


@pytest.fixture(autouse=True)
def fresh_platform() -> Iterator[None]:
    fake_mount.forget()
    yield
    fake_mount.forget()


def bearer(slug: str) -> dict[str, str]:
    return {"authorization": f"Bearer {channel_for(slug).access_token}"}


def push(client: Client, slug: str, to: str, text: str, **headers: str) -> Any:
    return client.post(
        "/fakeline/v2/bot/message/push",
        data={"to": to, "messages": [{"type": "text", "text": text}]},
        content_type="application/json",
        headers=bearer(slug) | headers,
    )


def test_a_push_with_the_programs_token_goes_through_django_to_the_fake(client, program):
    user_id = new_user_id()
    response = push(client, program.slug, user_id, "明日は相談日です。")
    assert response.status_code == 200
    assert len(response.json()["sentMessages"]) == 1
    assert response["x-line-request-id"]

    response = client.get(f"/fakeline/fake/messages?user={user_id}")
    assert response.status_code == 200
    answer = response.json()
    assert [m["message"]["text"] for m in answer["messages"]] == ["明日は相談日です。"]
    assert answer["messages"][0]["channelId"] == channel_for(program.slug).channel_id
    assert answer["last"] == answer["messages"][0]["seq"]


def test_the_messaging_api_needs_a_known_bearer_token(client, program):
    response = client.post(
        "/fakeline/v2/bot/message/push",
        data={"to": new_user_id(), "messages": [{"type": "text", "text": "こんにちは"}]},
        content_type="application/json",
        headers={"authorization": "Bearer not-a-token"},
    )
    assert response.status_code == 401


def test_a_retried_push_with_the_same_retry_key_is_answered_409(client, program):
    user_id, key = new_user_id(), str(uuid.uuid4())
    assert push(client, program.slug, user_id, "一度だけ", x_line_retry_key=key).status_code == 200
    assert push(client, program.slug, user_id, "一度だけ", x_line_retry_key=key).status_code == 409
    assert fake_mount.platform().texts_for(user_id) == ["一度だけ"]


def test_each_program_gets_its_own_channel_even_when_added_while_running(client, program):
    assert client.get(f"/fakeline/fake/messages?user={new_user_id()}").status_code == 200
    Program.objects.create(slug="gamma", name="ガンマ市事業", client="ガンマ市", card_prefix="GA")
    assert push(client, "gamma", new_user_id(), "ようこそ").status_code == 200
    channel = fake_mount.platform().channel(channel_for("gamma").channel_id)
    assert channel.webhook_url == "http://127.0.0.1:8000/line/gamma/webhook"


def test_rich_menu_images_go_through_the_mount(client, program):
    from secondcareer.messaging.line.richmenu import menu_definition, menu_image

    created = client.post(
        "/fakeline/v2/bot/richmenu",
        data=menu_definition(program.slug),
        content_type="application/json",
        headers=bearer(program.slug),
    )
    assert created.status_code == 200
    menu_id = created.json()["richMenuId"]
    uploaded = client.generic(
        "POST",
        f"/fakeline/v2/bot/richmenu/{menu_id}/content",
        data=menu_image(),
        content_type="image/png",
        headers=bearer(program.slug),
    )
    assert uploaded.status_code == 200
    image = client.get(f"/fakeline/v2/bot/richmenu/{menu_id}/content", headers=bearer(program.slug))
    assert image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")


@override_settings(FAKE_LINE_ENABLED=False)
def test_the_mount_does_not_exist_when_the_fake_is_disabled(client, program):
    assert client.get(f"/fakeline/fake/messages?user={new_user_id()}").status_code == 404
    assert push(client, program.slug, new_user_id(), "こんにちは").status_code == 404


def test_the_side_door_posts_webhooks_only_to_the_programs_own_webhook(client, program):
    response = client.post(
        "/fakeline/fake/webhook",
        data={
            "userId": new_user_id(),
            "text": "こんにちは",
            "url": "http://example.com/steal",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert client.post("/fakeline/fake/reset").status_code == 403
    assert (
        client.post(
            "/fakeline/fake/allow", data={"strings": ["x"]}, content_type="application/json"
        ).status_code
        == 403
    )


def test_the_side_door_sends_no_cors_headers_on_the_same_origin(client, program):
    response = client.get(f"/fakeline/fake/messages?user={new_user_id()}")
    assert not any(name.lower().startswith("access-control-") for name in response.headers)


def test_a_webhook_signed_by_the_fake_is_accepted_by_the_real_webhook(client, program):
    user_id = new_user_id()
    signed = client.post(
        "/fakeline/fake/webhook",
        data={
            "userId": user_id,
            "text": "こんにちは",
            "channelId": channel_for(program.slug).channel_id,
            "deliver": False,
        },
        content_type="application/json",
    )
    assert signed.status_code == 200
    body, signature = signed.json()["body"], signed.json()["signature"]

    response = client.post(
        f"/line/{program.slug}/webhook",
        data=body.encode(),
        content_type="application/json",
        headers={"x-line-signature": signature},
    )
    assert response.status_code == 200
    event = WebhookEvent.objects.get(program=program, line_user_id=user_id)
    assert event.event_type == "message"
    assert event.status == EventStatus.PENDING  # the task runs after the commit


def _http(method: str, url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - the live test server
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=30) as response:
        return response.status, json.loads(response.read() or b"null")


def test_the_whole_loop_runs_through_one_live_server(live_server, settings, monkeypatch):
    """What the simulator page does: follow and say hello through the side door; the
    fake signs and posts to the real webhook, the task replies through the SDK to the
    mounted fake, and the replies are read back from the side door."""
    program = Program.objects.create(
        slug="delta", name="デルタ市セカンドキャリア事業", client="デルタ市", card_prefix="DE"
    )
    settings.SECONDCAREER_SITE_URL = live_server.url
    monkeypatch.setenv("LINE_API_BASE_URL", f"{live_server.url}/fakeline")
    channel_id = channel_for(program.slug).channel_id
    user_id = new_user_id()
    base = f"{live_server.url}/fakeline/fake"

    assert _http("POST", f"{base}/users", {"userId": user_id})[0] == 200
    status, answer = _http(
        "POST", f"{base}/webhook", {"userId": user_id, "event": "follow", "channelId": channel_id}
    )
    assert (status, answer["status"]) == (200, 200)

    _, received = _http("GET", f"{base}/messages?user={user_id}&channel={channel_id}")
    texts = [m["message"]["text"] for m in received["messages"]]
    assert any("友だち追加ありがとうございます" in t for t in texts)

    _, answer = _http(
        "POST",
        f"{base}/webhook",
        {"userId": user_id, "postback": "action=menu", "channelId": channel_id},
    )
    assert answer["status"] == 200
    _, more = _http("GET", f"{base}/messages?user={user_id}&after={received['last']}")
    assert more["messages"], "the menu postback got no reply"
    assert all(m["via"] == "reply" for m in received["messages"] + more["messages"])
    assert WebhookEvent.objects.filter(line_user_id=user_id, status=EventStatus.DONE).count() == 2
