"""Sending messages through the official SDK to the fake: LINE's rules hold."""

from __future__ import annotations

import json
import uuid

import pytest
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessageAction,
    MessagingApi,
    MulticastRequest,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    TextMessage,
)

from secondcareer.devtools.fakeline import Channel, FakeLinePlatform, new_user_id, start_server
from secondcareer.devtools.fakeline.tests.conftest import http


def _error(excinfo: pytest.ExceptionInfo[ApiException]) -> dict:
    return json.loads(excinfo.value.body)


def _text(text: str) -> TextMessage:
    return TextMessage(text=text)


def test_a_reply_token_from_a_webhook_answers_once(api, platform, user_id):
    token = platform.sign_and_build_webhook(user_id, text="予約したい").reply_token

    answer = api.reply_message(ReplyMessageRequest(reply_token=token, messages=[_text("はい")]))

    assert len(answer.sent_messages) == 1
    assert answer.sent_messages[0].quote_token
    assert [m.text for m in platform.replies_to(token)] == ["はい"]
    assert platform.texts_for(user_id) == ["はい"]
    with pytest.raises(ApiException) as second:
        api.reply_message(ReplyMessageRequest(reply_token=token, messages=[_text("もう一度")]))
    assert second.value.status == 400
    assert _error(second) == {"message": "Invalid reply token"}
    assert platform.texts_for(user_id) == ["はい"]


def test_a_reply_token_works_within_a_minute_and_expires_after_it(api, platform, clock, user_id):
    fresh = platform.new_reply_token(user_id)
    stale = platform.new_reply_token(user_id)
    clock.advance(59)
    api.reply_message(ReplyMessageRequest(reply_token=fresh, messages=[_text("間に合いました")]))
    clock.advance(2)
    with pytest.raises(ApiException) as late:
        api.reply_message(ReplyMessageRequest(reply_token=stale, messages=[_text("遅すぎ")]))
    assert late.value.status == 400
    assert platform.texts_for(user_id) == ["間に合いました"]


def test_a_reply_token_unknown_to_the_platform_is_invalid(api):
    with pytest.raises(ApiException) as excinfo:
        api.reply_message(
            ReplyMessageRequest(reply_token="nHuyWiB7yP5Zw52FIkcQobQuGDXCTA", messages=[_text("x")])
        )
    assert excinfo.value.status == 400


def test_a_reply_token_of_another_channel_is_invalid(server, platform, user_id):
    other = platform.add_channel(Channel("2000000002", "token-of-saitama", "secret-of-saitama"))
    token = platform.new_reply_token(user_id, channel_id=other.channel_id)
    configuration = Configuration(
        host=server.base_url, access_token="fake-line-channel-access-token"
    )
    with ApiClient(configuration) as client, pytest.raises(ApiException) as excinfo:
        MessagingApi(client).reply_message(
            ReplyMessageRequest(reply_token=token, messages=[_text("x")])
        )
    assert excinfo.value.status == 400


def test_six_messages_in_one_request_are_refused(api, platform, user_id):
    token = platform.new_reply_token(user_id)
    # The SDK checks the count itself; construct() sends what a buggy caller would.
    request = ReplyMessageRequest.construct(
        reply_token=token, messages=[_text(f"{n}通目") for n in range(6)]
    )
    with pytest.raises(ApiException) as excinfo:
        api.reply_message(request)
    assert excinfo.value.status == 400
    assert _error(excinfo)["details"] == [
        {"message": "Size must be between 1 and 5", "property": "messages"}
    ]
    assert platform.sent == []
    # The refused request did not use the token up.
    api.reply_message(ReplyMessageRequest(reply_token=token, messages=[_text("1通目")]))


def test_five_messages_in_one_push_are_accepted(api, platform, user_id):
    api.push_message(PushMessageRequest(to=user_id, messages=[_text(str(n)) for n in range(5)]))
    assert platform.texts_for(user_id) == ["0", "1", "2", "3", "4"]


def test_a_multicast_reaches_up_to_500_recipients(api, platform):
    recipients = [new_user_id() for _ in range(500)]
    api.multicast(MulticastRequest(to=recipients, messages=[_text("セミナーのご案内")]))
    assert platform.texts_for(recipients[0]) == ["セミナーのご案内"]
    assert platform.texts_for(recipients[-1]) == ["セミナーのご案内"]
    assert len(platform.sent) == 500


def test_a_multicast_to_501_recipients_is_refused(api, platform):
    request = MulticastRequest.construct(
        to=[new_user_id() for _ in range(501)], messages=[_text("セミナーのご案内")]
    )
    with pytest.raises(ApiException) as excinfo:
        api.multicast(request)
    assert excinfo.value.status == 400
    assert _error(excinfo)["details"] == [
        {"message": "Size must be between 1 and 500", "property": "to"}
    ]
    assert platform.sent == []


def test_a_text_of_5000_characters_passes_and_5001_is_refused(api, platform, user_id):
    api.push_message(PushMessageRequest(to=user_id, messages=[_text("あ" * 5000)]))
    with pytest.raises(ApiException) as excinfo:
        api.push_message(PushMessageRequest(to=user_id, messages=[_text("あ" * 5001)]))
    assert excinfo.value.status == 400
    assert _error(excinfo)["details"][0]["property"] == "messages[0].text"
    assert len(platform.sent) == 1


def test_text_length_is_counted_as_line_counts_it_in_utf16_units(api, user_id):
    with pytest.raises(ApiException) as excinfo:
        api.push_message(PushMessageRequest(to=user_id, messages=[_text("😀" * 2501)]))
    assert excinfo.value.status == 400


def _quick_reply(count: int) -> QuickReply:
    items = [
        QuickReplyItem(action=MessageAction(label=f"{n}時", text=f"{n}時")) for n in range(count)
    ]
    return QuickReply.construct(items=items)


def test_thirteen_quick_reply_items_pass_and_fourteen_are_refused(api, platform, user_id):
    api.push_message(
        PushMessageRequest(
            to=user_id, messages=[TextMessage(text="時間", quickReply=_quick_reply(13))]
        )
    )
    request = PushMessageRequest.construct(
        to=user_id,
        messages=[TextMessage.construct(type="text", text="時間", quick_reply=_quick_reply(14))],
    )
    with pytest.raises(ApiException) as excinfo:
        api.push_message(request)
    assert excinfo.value.status == 400
    assert _error(excinfo)["details"][0]["property"] == "messages[0].quickReply.items"


def test_a_quick_reply_label_longer_than_20_characters_is_refused(api, user_id):
    item = QuickReplyItem(action=MessageAction(label="あ" * 21, text="はい"))
    with pytest.raises(ApiException) as excinfo:
        api.push_message(
            PushMessageRequest(
                to=user_id,
                messages=[TextMessage(text="どうぞ", quickReply=QuickReply(items=[item]))],
            )
        )
    assert (
        _error(excinfo)["details"][0]["property"] == "messages[0].quickReply.items[0].action.label"
    )


def test_a_push_retried_with_the_same_retry_key_is_answered_409(api, platform, user_id):
    key = str(uuid.uuid4())
    request = PushMessageRequest(to=user_id, messages=[_text("明日14:00からのご予約です")])
    first = api.push_message_with_http_info(request, x_line_retry_key=key)

    with pytest.raises(ApiException) as replay:
        api.push_message(request, x_line_retry_key=key)

    assert replay.value.status == 409
    accepted = replay.value.headers["x-line-accepted-request-id"]
    assert accepted == first.headers["x-line-request-id"]
    body = _error(replay)
    assert body["message"] == "The retry key is already accepted"
    assert body["sentMessages"] == [m.to_dict() for m in first.data.sent_messages]
    assert platform.texts_for(user_id) == ["明日14:00からのご予約です"]


def test_a_multicast_retried_with_the_same_retry_key_is_answered_409(api, platform):
    key = str(uuid.uuid4())
    request = MulticastRequest(to=[new_user_id(), new_user_id()], messages=[_text("ご案内")])
    api.multicast(request, x_line_retry_key=key)
    with pytest.raises(ApiException) as replay:
        api.multicast(request, x_line_retry_key=key)
    assert replay.value.status == 409
    assert len(platform.sent) == 2


def test_a_retry_key_that_is_not_a_uuid_is_refused(api, user_id):
    with pytest.raises(ApiException) as excinfo:
        api.push_message(
            PushMessageRequest(to=user_id, messages=[_text("x")]), x_line_retry_key="1"
        )
    assert excinfo.value.status == 400


def test_a_retry_key_on_a_reply_is_refused(server, platform, user_id):
    token = platform.new_reply_token(user_id)
    status, _, body = http(
        "POST",
        f"{server.base_url}/v2/bot/message/reply",
        {"replyToken": token, "messages": [{"type": "text", "text": "x"}]},
        {
            "Authorization": "Bearer fake-line-channel-access-token",
            "X-Line-Retry-Key": str(uuid.uuid4()),
        },
    )
    assert status == 400
    assert "Retry-Key" in body["message"]


def test_a_refused_push_can_be_retried_with_its_key(api, platform, user_id):
    key = str(uuid.uuid4())
    with pytest.raises(ApiException):
        api.push_message(PushMessageRequest(to="U123", messages=[_text("x")]), x_line_retry_key=key)
    api.push_message(PushMessageRequest(to=user_id, messages=[_text("x")]), x_line_retry_key=key)
    assert platform.texts_for(user_id) == ["x"]


def test_requests_past_the_rate_limit_are_answered_429_until_the_second_is_over(
    api, platform, clock, user_id
):
    platform.rate_limit = 3
    for _ in range(3):
        api.get_profile(user_id)
    with pytest.raises(ApiException) as excinfo:
        api.get_profile(user_id)
    assert excinfo.value.status == 429
    assert "rate limit" in _error(excinfo)["message"]
    clock.advance(1)
    api.get_profile(user_id)


def test_a_message_with_a_phone_number_is_refused_and_recorded(api, platform, user_id):
    with pytest.raises(ApiException) as excinfo:
        api.push_message(
            PushMessageRequest(to=user_id, messages=[_text("担当 山田 090-1234-5678 まで")])
        )
    assert excinfo.value.status == 400
    body = _error(excinfo)
    assert body["message"] == "outbound policy"
    assert body["details"][0]["property"] == "messages[0].text"
    assert body["details"][0]["message"].startswith("phone:")
    assert platform.sent == []
    [rejection] = platform.rejections
    assert rejection.endpoint == "push"
    assert rejection.recipients == (user_id,)
    assert rejection.reasons == ("phone",)
    assert rejection.message["text"] == "担当 山田 090-1234-5678 まで"


def test_a_reply_refused_by_the_policy_leaves_the_token_usable(api, platform, user_id):
    token = platform.new_reply_token(user_id)
    with pytest.raises(ApiException):
        api.reply_message(ReplyMessageRequest(reply_token=token, messages=[_text("年収300万円")]))
    api.reply_message(
        ReplyMessageRequest(reply_token=token, messages=[_text("マイページをご覧ください")])
    )
    assert platform.texts_for(user_id) == ["マイページをご覧ください"]


def test_a_venue_address_on_the_platforms_allow_list_goes_out(api, platform, user_id):
    platform.allow_public("所沢市並木1-8-1")
    api.push_message(PushMessageRequest(to=user_id, messages=[_text("会場：所沢市並木1-8-1")]))
    assert platform.rejections == []


def test_a_request_without_a_valid_channel_access_token_is_401(server, user_id):
    message = {"to": user_id, "messages": [{"type": "text", "text": "x"}]}
    url = f"{server.base_url}/v2/bot/message/push"
    status, _, body = http("POST", url, message)
    assert status == 401
    status, _, body = http("POST", url, message, {"Authorization": "Bearer wrong"})
    assert status == 401
    assert "Authentication failed" in body["message"]


def test_a_push_to_something_that_is_not_a_line_user_id_is_refused(api):
    with pytest.raises(ApiException) as excinfo:
        api.push_message(PushMessageRequest(to="42", messages=[_text("x")]))
    assert _error(excinfo)["details"][0]["property"] == "to"


def test_a_body_that_is_not_json_is_400(server):
    status, _, body = http(
        "POST",
        f"{server.base_url}/v2/bot/message/push",
        b"{not json",
        {
            "Authorization": "Bearer fake-line-channel-access-token",
            "Content-Type": "application/json",
        },
    )
    assert status == 400
    assert "could not be parsed as JSON" in body["message"]


def test_every_answer_carries_a_request_id(api_client, user_id):
    answer = MessagingApi(api_client).get_profile_with_http_info(user_id)
    assert uuid.UUID(answer.headers["x-line-request-id"])


def test_profile_of_a_known_user_and_404_for_an_unknown_one(api, user_id):
    profile = api.get_profile(user_id)
    assert (profile.user_id, profile.display_name, profile.language) == (user_id, "山田 太郎", "ja")
    with pytest.raises(ApiException) as excinfo:
        api.get_profile(new_user_id())
    assert excinfo.value.status == 404


def test_the_monthly_quota_is_reported_and_enforced(api, platform):
    assert api.get_message_quota().type == "none"
    platform.monthly_quota = 3
    quota = api.get_message_quota()
    assert (quota.type, quota.value) == ("limited", 3)
    api.push_message(PushMessageRequest(to=new_user_id(), messages=[_text("a"), _text("b")]))
    api.multicast(MulticastRequest(to=[new_user_id(), new_user_id()], messages=[_text("c")]))
    assert api.get_message_quota_consumption().total_usage == 3
    with pytest.raises(ApiException) as excinfo:
        api.push_message(PushMessageRequest(to=new_user_id(), messages=[_text("d")]))
    assert excinfo.value.status == 429
    assert api.get_message_quota_consumption().total_usage == 3


def test_replies_do_not_count_against_the_quota(api, platform, user_id):
    platform.monthly_quota = 0
    token = platform.new_reply_token(user_id)
    api.reply_message(ReplyMessageRequest(reply_token=token, messages=[_text("返信は無料")]))
    assert api.get_message_quota_consumption().total_usage == 0


def test_bot_info_and_loading_animation(api, platform, user_id):
    from linebot.v3.messaging import ShowLoadingAnimationRequest

    assert api.get_bot_info().user_id == platform.channel().bot_user_id
    api.show_loading_animation(ShowLoadingAnimationRequest(chatId=user_id, loadingSeconds=10))


def test_two_channels_keep_their_messages_apart(platform, user_id):
    other = platform.add_channel(Channel("2000000002", "token-b", "secret-b"))
    with start_server(platform) as running:
        configuration = Configuration(host=running.base_url, access_token=other.access_token)
        with ApiClient(configuration) as client:
            MessagingApi(client).push_message(PushMessageRequest(to=user_id, messages=[_text("b")]))
    [sent] = platform.messages_for(user_id, channel_id=other.channel_id)
    assert sent.text == "b"
    assert platform.messages_for(user_id, channel_id=platform.channel().channel_id) == []


def test_a_platform_can_be_reset_between_tests(api, platform, user_id):
    api.push_message(PushMessageRequest(to=user_id, messages=[_text("x")]))
    platform.reset()
    assert platform.sent == []
    assert api.get_profile(user_id).user_id == user_id


def test_a_server_can_be_started_without_a_platform():
    with start_server() as running:
        assert isinstance(running.platform, FakeLinePlatform)
        assert running.base_url.startswith("http://127.0.0.1:")
