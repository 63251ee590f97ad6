"""What typed text at the top level starts: booking-like text starts a booking with the
date and time it names (not a staff inquiry), 「電話で予約」 gets the booking dial, and
questions about bookings still go to the FAQ."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from secondcareer.messaging.dialogue import (
    AnswerFaq,
    BookSlot,
    CommandResult,
    DialogueState,
    HandToHuman,
    Postback,
    step,
)
from secondcareer.messaging.dialogue.tests.fakes import (
    KOBE_PHONE,
    KOBE_PHONE_HOURS,
    Chat,
    at,
    booking,
    kobe_ctx,
    saitama_ctx,
)

D = dt.date


def _no_inquiry(chat: Chat) -> None:
    assert not any(isinstance(c, AnswerFaq | HandToHuman) for c in chat.commands)


def test_a_date_and_time_typed_with_a_booking_word_start_a_booking_that_keeps_them():
    chat = Chat(kobe_ctx())
    chat.say("12/3 14時に予約")
    _no_inquiry(chat)
    assert chat.where == "book.service"
    chat.tap("オンライン相談")
    chat.tap("チャット")
    # The date and time typed at the start are still there: straight to the confirmation.
    assert chat.text == "12月3日(木) 14:00 オンライン相談（チャット）で予約しますか？"
    chat.tap("はい")
    assert chat.commands == [BookSlot("online", None, at(D(2026, 12, 3), 14), "chat")]


def test_tomorrow_with_a_wish_to_book_asks_only_for_the_place_and_the_time():
    chat = Chat(kobe_ctx())
    chat.say("明日予約したい")
    _no_inquiry(chat)
    chat.tap("対面相談")
    assert chat.where == "book.time"
    assert "12月2日(水)の空いている時間です。" in chat.text


def test_next_tuesday_typed_with_a_booking_word_is_understood():
    chat = Chat(saitama_ctx())
    chat.say("来週の火曜に予約")
    _no_inquiry(chat)
    assert chat.where == "book.venue"
    chat.tap("春日部地方庁舎")  # open on Tuesdays in the fake roster
    assert chat.where == "book.time"
    assert "12月8日(火)の空いている時間です。" in chat.text


def test_a_method_date_and_time_in_one_sentence_go_straight_to_the_confirmation():
    chat = Chat(kobe_ctx())
    chat.say("電話で明日の14時に予約したい")
    assert chat.where == "book.confirm"
    assert chat.text == "12月2日(水) 14:00 オンライン相談（電話）で予約しますか？"


def test_a_typed_time_that_is_not_free_offers_the_free_times_of_that_day():
    chat = Chat(kobe_ctx())
    chat.say("12/3の朝6時に予約をお願いします")
    chat.tap("対面相談")
    assert "12月3日(木) 06:00は空いていません。" in chat.text
    assert chat.where == "book.time"


@pytest.mark.parametrize(
    "question",
    [
        "予約は何日前からできますか",
        "予約の仕方を教えてください",
        "先週予約した件で質問があります",
        "予約が取れないのですが",
        "明日の予約を確認したい",
        "12/3の予約をキャンセルしたいのですが",
    ],
)
def test_questions_about_bookings_still_go_to_the_faq(question):
    chat = Chat(kobe_ctx())
    chat.results = [CommandResult(True, message="こちらをご覧ください。")]
    chat.say(question)
    assert chat.commands[0] == AnswerFaq(question)


@pytest.mark.parametrize(
    "typed", ["電話で予約", "電話で予約したい", "電話番号を教えて", "予約ダイヤル", "電話したい"]
)
def test_asking_for_the_phone_gets_the_booking_dial_and_its_hours(typed):
    chat = Chat(kobe_ctx())
    chat.say(typed)
    assert chat.commands == []
    assert f"予約ダイヤル {KOBE_PHONE}" in chat.text
    assert f"受付時間: {KOBE_PHONE_HOURS}" in chat.text
    assert "電話での相談も選べます" in chat.text  # Kobe's online desk takes calls
    assert chat.labels()[0] == "相談を予約する"
    assert chat.where == "menu.start"


def test_a_program_without_a_published_number_says_so_and_offers_booking_by_chat():
    chat = Chat(saitama_ctx())
    chat.say("電話で予約したい")
    assert "ご案内できません" in chat.text
    assert "予約ダイヤル" not in chat.text
    assert chat.labels()[0] == "相談を予約する"


def test_the_rich_menu_can_ask_for_the_booking_dial_from_any_step():
    state = DialogueState("book", "date", {"service": "online", "method": "chat"})
    new, replies, _commands = step(state, Postback("action=phone"), kobe_ctx())
    assert f"予約ダイヤル {KOBE_PHONE}" in replies[-1].text
    assert new == DialogueState()


@pytest.mark.parametrize("phone", [KOBE_PHONE, ""])
def test_where_the_bot_suggests_phoning_it_gives_the_number_when_there_is_one(phone):
    ctx = replace(kobe_ctx([booking(11, at(D(2026, 12, 3), 14))]), phone=phone)
    chat = Chat(ctx)
    chat.results = [CommandResult(False, "too_late")]
    chat.send(Postback("action=cancel"))
    chat.tap("はい")
    assert "お電話でご連絡ください" in chat.text
    assert (f"予約ダイヤル {KOBE_PHONE}" in chat.text) is bool(phone)


def test_an_faq_answer_that_says_to_phone_gets_the_booking_dial_added():
    chat = Chat(kobe_ctx())
    chat.results = [CommandResult(True, message="遅れそうなときは、お電話でご連絡ください。")]
    chat.say("遅刻しそうなときはどうすればいいですか")
    assert chat.replies[0].text == (
        "遅れそうなときは、お電話でご連絡ください。\n"
        f"予約ダイヤル {KOBE_PHONE}\n受付時間: {KOBE_PHONE_HOURS}"
    )
    chat.results = [CommandResult(True, message="ご利用は無料です。")]
    chat.say("相談は無料ですか")
    assert chat.replies[0].text == "ご利用は無料です。"  # nothing added where no phoning
