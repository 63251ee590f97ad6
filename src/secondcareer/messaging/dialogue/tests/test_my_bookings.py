"""Listing, cancelling and moving one's own bookings."""

from __future__ import annotations

import datetime as dt

from secondcareer.messaging.dialogue import (
    CancelReservation,
    CommandResult,
    Postback,
    RescheduleReservation,
)
from secondcareer.messaging.dialogue.tests.fakes import (
    IN_PERSON,
    Chat,
    at,
    booking,
    kobe_ctx,
)

D = dt.date
CHAT_DEC_3 = booking(11, at(D(2026, 12, 3), 14))
DESK_DEC_7 = booking(12, at(D(2026, 12, 7), 10), IN_PERSON)
PAST = booking(13, at(D(2026, 11, 30), 10))


def test_my_bookings_lists_upcoming_bookings_without_personal_data():
    chat = Chat(kobe_ctx([DESK_DEC_7, CHAT_DEC_3, PAST]))
    chat.send(Postback("action=my_bookings"))
    assert chat.text == (
        "ご予約は次のとおりです。\n"
        "・12月3日(木) 14:00\n　オンライン相談（チャット）\n"
        "・12月7日(月) 10:00\n　三宮ビル東館"
    )
    assert chat.labels()[:3] == ["日時を変更する", "予約を取り消す", "相談を予約する"]


def test_no_bookings_offers_to_book():
    for action in ("my_bookings", "cancel", "reschedule"):
        chat = Chat(kobe_ctx([PAST]))
        chat.send(Postback(f"action={action}"))
        assert chat.text == "現在、ご予約はありません。"
        assert chat.labels()[0] == "相談を予約する"


def test_cancel_one_of_two_bookings():
    chat = Chat(kobe_ctx([CHAT_DEC_3, DESK_DEC_7]))
    chat.say("予約をキャンセルしたい")
    assert chat.where == "cancel.choose"
    assert chat.labels()[:2] == ["12/3(木) 14:00", "12/7(月) 10:00"]
    chat.tap("12/7(月) 10:00")
    assert chat.text == "12月7日(月) 10:00\n三宮ビル東館\nこのご予約を取り消しますか？"
    chat.tap("はい")
    assert chat.commands == [CancelReservation(12)]
    assert chat.text.startswith("ご予約を取り消しました。")
    assert chat.where == "menu.start"


def test_cancel_the_only_booking_goes_straight_to_the_question():
    chat = Chat(kobe_ctx([CHAT_DEC_3]))
    chat.send(Postback("action=cancel"))
    assert chat.where == "cancel.confirm"
    chat.say("いいえ")
    assert chat.text == "ご予約はそのままです。"
    assert chat.commands == []


def test_cancel_by_typing_the_date():
    chat = Chat(kobe_ctx([CHAT_DEC_3, DESK_DEC_7]))
    chat.send(Postback("action=cancel"))
    chat.say("12/7のです")
    assert chat.where == "cancel.confirm"
    assert chat.state.get("rid") == "12"


def test_cancel_too_late_or_already_cancelled_is_explained():
    for code, text in (
        ("too_late", "開始が近いため、チャットでは取り消せません。"),
        ("conflict", "すでに取り消されているか、終了しています。"),
        ("boom", "ただいまお手続きができませんでした。"),
    ):
        chat = Chat(kobe_ctx([CHAT_DEC_3]))
        chat.results = [CommandResult(False, code)]
        chat.send(Postback("action=cancel"))
        chat.tap("はい")
        assert text in chat.text
        assert chat.where == "menu.start"


def test_cancel_someone_elses_booking_id_is_refused():
    chat = Chat(kobe_ctx([CHAT_DEC_3, DESK_DEC_7]))
    chat.send(Postback("action=cancel"))
    chat.send(Postback("pick=booking&v=999"))
    assert chat.where == "cancel.choose"
    assert chat.state.misses == 1


def test_reschedule_a_booking_to_a_new_time():
    chat = Chat(kobe_ctx([CHAT_DEC_3, DESK_DEC_7]))
    chat.send(Postback("action=my_bookings"))
    chat.tap("日時を変更する")
    chat.tap("12/7(月) 10:00")
    assert chat.text.startswith("12月7日(月) 10:00のご予約を変更します。")
    assert chat.where == "reschedule.date"
    assert "12/5(土)" not in chat.labels()  # the desk's own days
    chat.tap("12/9(水)")
    chat.tap("15:00")
    assert chat.text == "12月7日(月) 10:00のご予約を\n12月9日(水) 15:00に変更しますか？"
    chat.tap("はい")
    assert chat.commands == [RescheduleReservation(12, at(D(2026, 12, 9), 15))]
    assert chat.text == "ご予約を変更しました。\n12月9日(水) 15:00\n三宮ビル東館"


def test_reschedule_the_only_booking_by_typing():
    chat = Chat(kobe_ctx([CHAT_DEC_3]))
    chat.say("予約の変更")
    assert chat.where == "reschedule.date"
    chat.say("来週の火曜の18時")
    assert chat.where == "reschedule.confirm"
    chat.say("はい")
    assert chat.commands == [RescheduleReservation(11, at(D(2026, 12, 8), 18))]


def test_reschedule_to_a_full_slot_offers_alternatives():
    chat = Chat(kobe_ctx([DESK_DEC_7]))
    chat.results = [
        CommandResult(False, "full", alternatives=(at(D(2026, 12, 9), 11),)),
        CommandResult(True),
    ]
    chat.send(Postback("action=reschedule"))
    chat.say("12/9 10時")
    chat.tap("はい")
    assert chat.where == "reschedule.alternatives"
    chat.tap("12/9(水) 11:00")
    chat.tap("はい")
    assert chat.commands[-1] == RescheduleReservation(12, at(D(2026, 12, 9), 11))
    assert chat.text.startswith("ご予約を変更しました。")


def test_reschedule_too_late_offers_another_date_or_the_phone():
    chat = Chat(kobe_ctx([DESK_DEC_7]))
    chat.results = [CommandResult(False, "too_late")]
    chat.send(Postback("action=reschedule"))
    chat.say("12/9 10時")
    chat.tap("はい")
    assert "お電話でご連絡ください" in chat.text
    assert chat.where == "reschedule.date"
