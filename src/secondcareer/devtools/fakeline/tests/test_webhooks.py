"""Webhooks the fake builds for the LINE → project direction: signed as LINE signs
them, parsed by the official SDK, each event with a fresh reply token."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhooks import (
    FollowEvent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
)

from secondcareer.devtools.fakeline import DEFAULT_CHANNEL_SECRET, sign, signature_is_valid

SHARED_FIXTURE = (
    Path(__file__).resolve().parents[6] / "shared" / "fixtures" / "line" / "webhook.json"
)


def test_the_signature_is_lines_hmac_sha256_in_base64():
    # Computed apart: printf '{}' | openssl dgst -sha256 -hmac secret -binary | base64
    assert sign(b"{}", "secret") == "dzJZAsrKgS3CWXM6rNBGtzgXNyx3e42VtAJkdHRRbhM="
    assert signature_is_valid(b"{}", sign(b"{}", "secret"), "secret")
    assert not signature_is_valid(b"{ }", sign(b"{}", "secret"), "secret")


@pytest.mark.skipif(not SHARED_FIXTURE.exists(), reason="../shared fixtures not present")
def test_lines_own_fixture_signed_here_passes_the_sdks_check():
    body = SHARED_FIXTURE.read_bytes()
    events = WebhookParser("fixture-secret").parse(body.decode(), sign(body, "fixture-secret"))
    assert len(events) == 28


def test_a_text_message_webhook_is_parsed_by_the_sdk(platform, user_id):
    webhook = platform.sign_and_build_webhook(user_id, text="予約したい")

    [event] = WebhookParser(DEFAULT_CHANNEL_SECRET).parse(webhook.body.decode(), webhook.signature)

    assert isinstance(event, MessageEvent)
    assert isinstance(event.message, TextMessageContent)
    assert event.message.text == "予約したい"
    assert event.source.user_id == user_id
    assert event.reply_token == webhook.reply_token
    assert re.fullmatch(r"[0-9A-Z]{26}", event.webhook_event_id)
    assert webhook.headers["x-line-signature"] == webhook.signature
    assert webhook.payload["destination"] == platform.channel().bot_user_id


def test_a_tampered_webhook_fails_the_sdks_signature_check(platform, user_id):
    webhook = platform.sign_and_build_webhook(user_id, text="予約したい")
    tampered = webhook.body.replace("予約".encode(), "取消".encode())
    with pytest.raises(InvalidSignatureError):
        WebhookParser(DEFAULT_CHANNEL_SECRET).parse(tampered.decode(), webhook.signature)


def test_postback_follow_and_unfollow_events(platform, user_id):
    webhook = platform.build_webhook(
        [
            platform.follow_event(user_id),
            platform.postback_event(user_id, "action=book&slot=42", params={"date": "2026-12-03"}),
            platform.unfollow_event(user_id),
        ]
    )
    follow, postback, unfollow = WebhookParser(DEFAULT_CHANNEL_SECRET).parse(
        webhook.body.decode(), webhook.signature
    )
    assert isinstance(follow, FollowEvent)
    assert isinstance(postback, PostbackEvent)
    assert postback.postback.data == "action=book&slot=42"
    assert postback.postback.params == {"date": "2026-12-03"}
    assert isinstance(unfollow, UnfollowEvent)
    # Unfollow events carry no reply token: two tokens for three events.
    assert len(set(webhook.reply_tokens)) == 2


def test_every_event_gets_its_own_fresh_reply_token(platform, user_id):
    first = platform.sign_and_build_webhook(user_id, text="1")
    second = platform.sign_and_build_webhook(user_id, postback="action=menu")
    assert first.reply_token != second.reply_token


def test_a_webhook_needs_something_to_say(platform, user_id):
    with pytest.raises(ValueError, match="text="):
        platform.sign_and_build_webhook(user_id)
