"""The side door the LINE simulator page uses: read what was sent, mint tokens, and have
the fake deliver a signed webhook to the project, as LINE does."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from secondcareer.devtools.fakeline import (
    DEFAULT_ACCESS_TOKEN,
    DEFAULT_CHANNEL_SECRET,
    signature_is_valid,
)
from secondcareer.devtools.fakeline.tests.conftest import http

AUTH = {"Authorization": f"Bearer {DEFAULT_ACCESS_TOKEN}"}


def _push(server, user_id: str, text: str) -> None:
    body = {"to": user_id, "messages": [{"type": "text", "text": text}]}
    status, _, _ = http("POST", f"{server.base_url}/v2/bot/message/push", body, AUTH)
    assert status == 200


def test_messages_sent_to_a_user_are_read_back_as_json(server, clock, user_id):
    clock.advance(0.1234)  # a time between two milliseconds
    _push(server, user_id, "1通目")
    clock.advance(1)
    _push(server, user_id, "2通目")

    status, headers, body = http("GET", f"{server.base_url}/fake/messages?user={user_id}")

    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert [m["message"]["text"] for m in body["messages"]] == ["1通目", "2通目"]
    first, second = body["messages"]
    assert (first["via"], first["userId"]) == ("push", user_id)
    assert body["last"] == second["seq"]

    since = first["timestamp"]
    _, _, newer = http("GET", f"{server.base_url}/fake/messages?user={user_id}&since={since}")
    assert [m["message"]["text"] for m in newer["messages"]] == ["2通目"]
    _, _, after = http(
        "GET", f"{server.base_url}/fake/messages?user={user_id}&after={body['last']}"
    )
    assert after == {"messages": [], "last": body["last"]}


def test_messages_need_a_user(server):
    status, _, _ = http("GET", f"{server.base_url}/fake/messages")
    assert status == 400


@pytest.fixture
def project() -> Iterator[dict]:
    """A stand-in for the project's webhook: records what it gets and replies at once
    with the reply token, through the fake, before answering the webhook."""
    seen: dict = {"calls": []}

    def app(environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        signature = environ.get("HTTP_X_LINE_SIGNATURE", "")
        seen["calls"].append((body, signature))
        event = json.loads(body)["events"][0]
        reply = {
            "replyToken": event["replyToken"],
            "messages": [{"type": "text", "text": "ご用件を選んでください"}],
        }
        status, _, _ = http("POST", f"{seen['fake']}/v2/bot/message/reply", reply, AUTH)
        start_response("200 OK" if status == 200 else "500 Error", [("Content-Type", "text/plain")])
        return [b"OK"]

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    httpd = make_server("127.0.0.1", 0, app, handler_class=Quiet)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    seen["url"] = f"http://127.0.0.1:{httpd.server_address[1]}/line/kobe/webhook"
    yield seen
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_the_simulator_has_the_fake_deliver_a_signed_webhook(server, platform, user_id, project):
    project["fake"] = server.base_url
    status, _, answer = http(
        "POST",
        f"{server.base_url}/fake/webhook",
        {"userId": user_id, "text": "こんにちは", "url": project["url"]},
    )
    assert (status, answer["status"]) == (200, 200)
    [(body, signature)] = project["calls"]
    assert signature_is_valid(body, signature, DEFAULT_CHANNEL_SECRET)
    assert json.loads(body)["events"][0]["message"]["text"] == "こんにちは"
    # The project replied with the token while the fake was still delivering.
    assert platform.texts_for(user_id) == ["ご用件を選んでください"]
    assert platform.replies_to(answer["replyTokens"][0])


def test_the_simulator_can_get_the_webhook_without_delivery(server, user_id):
    status, _, answer = http(
        "POST",
        f"{server.base_url}/fake/webhook",
        {"userId": user_id, "postback": "action=menu", "deliver": False},
    )
    assert status == 200
    assert signature_is_valid(answer["body"].encode(), answer["signature"], DEFAULT_CHANNEL_SECRET)
    assert json.loads(answer["body"])["events"][0]["postback"]["data"] == "action=menu"


def test_delivery_needs_a_webhook_url(server, user_id):
    status, _, body = http(
        "POST", f"{server.base_url}/fake/webhook", {"userId": user_id, "text": "x"}
    )
    assert status == 502
    assert "not delivered" in body["message"]


def test_the_simulator_creates_users_and_reply_tokens(server, platform):
    status, _, profile = http("POST", f"{server.base_url}/fake/users", {"displayName": "佐藤 花子"})
    assert status == 200
    user_id = profile["userId"]
    _, _, minted = http("POST", f"{server.base_url}/fake/reply-token", {"userId": user_id})
    reply = {"replyToken": minted["replyToken"], "messages": [{"type": "text", "text": "はい"}]}
    status, _, _ = http("POST", f"{server.base_url}/v2/bot/message/reply", reply, AUTH)
    assert status == 200
    assert platform.texts_for(user_id) == ["はい"]
    status, _, _ = http("POST", f"{server.base_url}/fake/users", {"userId": "U1"})
    assert status == 400
    status, _, _ = http(
        "POST", f"{server.base_url}/fake/reply-token", {"userId": user_id, "channelId": "9"}
    )
    assert status == 404


def test_public_strings_rejections_and_reset_over_http(server, platform, user_id):
    text = "会場：神戸市中央区御幸通6-1-12"
    body = {"to": user_id, "messages": [{"type": "text", "text": text}]}
    status, _, _ = http("POST", f"{server.base_url}/v2/bot/message/push", body, AUTH)
    assert status == 400
    _, _, listed = http("GET", f"{server.base_url}/fake/rejections")
    assert listed["rejections"][0]["reasons"] == ["address"]

    status, _, _ = http(
        "POST", f"{server.base_url}/fake/allow", {"strings": ["神戸市中央区御幸通6-1-12"]}
    )
    assert status == 200
    status, _, _ = http("POST", f"{server.base_url}/v2/bot/message/push", body, AUTH)
    assert status == 200

    http("POST", f"{server.base_url}/fake/reset", {})
    assert platform.sent == []
    assert platform.rejections == []


def test_cors_preflight_unknown_paths_and_wrong_methods(server):
    status, headers, _ = http("OPTIONS", f"{server.base_url}/fake/messages")
    assert (status, headers["Access-Control-Allow-Methods"]) == (204, "GET, POST, OPTIONS")
    assert http("GET", f"{server.base_url}/v2/bot/nothing", headers=AUTH)[0] == 404
    assert http("GET", f"{server.base_url}/v2/bot/message/push", headers=AUTH)[0] == 405


def test_the_app_can_be_mounted_under_a_path_prefix(platform, user_id):
    import io

    from secondcareer.devtools.fakeline.app import FakeLineApp

    app = FakeLineApp(platform, prefix="/fakeline")
    answers = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": f"/fakeline/v2/bot/profile/{user_id}",
        "HTTP_AUTHORIZATION": f"Bearer {DEFAULT_ACCESS_TOKEN}",
        "wsgi.input": io.BytesIO(),
    }
    body = app(environ, lambda status, headers: answers.append(status))
    assert answers == ["200 OK"]
    assert json.loads(b"".join(body))["userId"] == user_id
