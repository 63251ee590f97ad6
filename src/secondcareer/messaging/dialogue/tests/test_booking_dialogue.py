"""Scripted booking conversations for Kobe (online, in person) and Saitama (venues)."""

from __future__ import annotations

import datetime as dt

from secondcareer.messaging.dialogue import (
    BookSlot,
    CommandResult,
    Postback,
    ServiceOption,
    VenueOption,
)
from secondcareer.messaging.dialogue.context import FlowContext, MethodOption
from secondcareer.messaging.dialogue.tests.fakes import (
    IN_PERSON,
    NOW,
    Chat,
    FakeSlots,
    at,
    kobe_ctx,
    kobe_hours,
    saitama_ctx,
)

D = dt.date
TUE_NEXT = D(2026, 12, 8)  # 来週の火曜, seen from Tuesday 1 December


def test_kobe_online_chat_booking_by_buttons():
    chat = Chat(kobe_ctx())
    chat.send(Postback("action=book"))
    assert chat.labels()[:2] == ["オンライン相談", "対面相談"]
    chat.tap("オンライン相談")
    assert chat.labels()[:3] == ["チャット", "電話", "ビデオ通話"]
    chat.tap("チャット")
    assert chat.where == "book.date"
    assert chat.replies[-1].date_picker is not None
    assert chat.labels()[0] == "12/1(火)"
    chat.tap("12/3(木)")
    assert "12月3日(木)の空いている時間です。" in chat.text
    chat.tap("ほかの候補")  # the online desk has 12 slots a weekday: two pages
    assert chat.labels()[:2] == ["19:00", "20:00"]
    chat.tap("はじめの候補")
    chat.tap("14:00")
    assert chat.text == "12月3日(木) 14:00 オンライン相談（チャット）で予約しますか？"
    chat.tap("はい")
    assert chat.commands == [BookSlot("online", None, at(D(2026, 12, 3), 14), "chat")]
    assert chat.text.startswith("ご予約が確定しました。\n12月3日(木) 14:00")
    assert chat.replies[-1].link is not None
    assert chat.where == "menu.start"


def test_kobe_in_person_booking_needs_no_venue_or_method_choice():
    chat = Chat(kobe_ctx())
    chat.send(Postback("action=book"))
    chat.tap("対面相談")
    assert chat.where == "book.date"
    assert "12/5(土)" not in chat.labels()  # the desk is open on weekdays only
    chat.pick_date(D(2026, 12, 4))
    assert chat.labels()[:7] == ["10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"]
    chat.say("14時")
    assert chat.text == "12月4日(金) 14:00 三宮ビル東館で予約しますか？"
    chat.say("はい")
    assert chat.commands == [
        BookSlot("in_person", "sannomiya_east", at(D(2026, 12, 4), 14), "in_person")
    ]


def test_saitama_offers_its_ten_venues_and_books_at_the_chosen_one():
    chat = Chat(saitama_ctx())
    chat.say("予約したい")
    assert chat.where == "book.venue"
    assert len(chat.labels()) == 12  # 10 venues + the two nav buttons
    chat.tap("ラーク所沢")
    assert chat.where == "book.date"
    first = chat.choices()[0]
    chat.tap(first.label)
    chat.tap("10:00")
    assert "ラーク所沢で予約しますか？" in chat.text
    chat.tap("はい")
    (command,) = chat.commands
    assert (command.service, command.venue, command.method) == (
        "consultation",
        "lark_tokorozawa",
        "in_person",
    )


def test_saitama_typed_town_narrows_the_venues():
    chat = Chat(saitama_ctx())
    chat.send(Postback("action=book"))
    chat.say("所沢")
    assert chat.labels() == ["所沢地方庁舎", "ラーク所沢", "最初に戻る", "相談員に聞く"]
    chat.say("川越")
    assert chat.where == "book.date"
    assert chat.state.get("venue") == "westa_kawagoe"


def test_a_program_with_many_venues_asks_for_the_area_first():
    venues = tuple(VenueOption(f"v{i}", f"会場{i}", f"{'ABCDE'[i % 5]}市") for i in range(15))
    service = ServiceOption("c", "就職相談", (MethodOption("in_person", "対面"),), venues)
    ctx = FlowContext(
        services=(service,),
        slots=FakeSlots(lambda s, v, d: [10, 11] if d.weekday() < 5 else []),
        now=NOW,
    )
    chat = Chat(ctx)
    chat.send(Postback("action=book"))
    assert chat.where == "book.area"
    assert chat.labels()[:5] == ["A市", "B市", "C市", "D市", "E市"]
    chat.tap("B市")
    assert chat.labels()[:3] == ["会場1", "会場6", "会場11"]
    chat.tap("会場6")
    assert chat.where == "book.date"


def test_free_text_dates_tomorrow_next_tuesday_and_12_3_at_14():
    chat = Chat(kobe_ctx())
    chat.send(Postback("action=book"))
    chat.say("電話で")
    assert chat.state.get("method") == "phone"
    chat.say("明日")
    assert "12月2日(水)の空いている時間です。" in chat.text
    chat.say("やっぱり来週の火曜")
    assert "12月8日(火)の空いている時間です。" in chat.text
    chat.say("12/3 14時")
    assert chat.text == "12月3日(木) 14:00 オンライン相談（電話）で予約しますか？"


def test_everything_in_one_message_goes_straight_to_the_confirmation():
    chat = Chat(kobe_ctx())
    chat.say("予約")
    chat.say("ビデオで来週の火曜の午後2時")
    assert chat.where == "book.confirm"
    assert chat.text == "12月8日(火) 14:00 オンライン相談（ビデオ通話）で予約しますか？"


def test_a_bare_number_at_the_time_step_is_an_hour():
    chat = Chat(kobe_ctx())
    chat.send(Postback("action=book&service=in_person"))
    chat.tap("12/2(水)")
    chat.say("１５")
    assert chat.text == "12月2日(水) 15:00 三宮ビル東館で予約しますか？"


def test_a_part_of_the_day_filters_the_times():
    chat = Chat(kobe_ctx())
    chat.send(Postback("action=book&service=online&method=chat"))
    chat.say("12/4の夕方")
    assert chat.labels()[:3] == ["16:00", "17:00", "18:00"]
    chat.say("朝一")
    assert chat.where == "book.time"
    chat.say("12/4 朝一")
    assert chat.labels()[0] == "09:00" and len(chat.labels()) == 3


def test_a_full_day_offers_the_nearest_free_days():
    slots = FakeSlots(kobe_hours)
    slots.take_day("in_person", "sannomiya_east", D(2026, 12, 3))
    chat = Chat(kobe_ctx(slots=slots))
    chat.send(Postback("action=book&service=in_person"))
    chat.say("12月3日")
    assert chat.text.startswith("12月3日(木)は空きがありません。")
    assert chat.labels()[0] == "12/4(金)"


def test_a_past_date_and_a_taken_time_are_explained():
    chat = Chat(kobe_ctx())
    chat.send(Postback("action=book&service=in_person"))
    chat.say("今週の月曜")
    assert chat.text.startswith("11月30日(月)はすでに過ぎています。")
    chat.say("明日の8時")
    assert chat.text.startswith("12月2日(水) 08:00は空いていません。")
    assert chat.where == "book.time"


def test_full_slot_offers_alternatives_and_one_of_them_is_booked():
    chat = Chat(kobe_ctx())
    alternatives = (at(D(2026, 12, 3), 15), at(D(2026, 12, 4), 10))
    chat.results = [CommandResult(False, "full", "満席", alternatives), CommandResult(True)]
    chat.send(Postback("action=book&service=in_person"))
    chat.say("12/3 14時")
    chat.tap("はい")
    assert "申し訳ありません。その時間は満席になりました。" in chat.text
    assert chat.labels() == [
        "12/3(木) 15:00",
        "12/4(金) 10:00",
        "ほかの日にち",
        "最初に戻る",
        "相談員に聞く",
    ]
    assert chat.where == "book.alternatives"
    chat.tap("12/4(金) 10:00")
    assert chat.text == "12月4日(金) 10:00 三宮ビル東館で予約しますか？"
    chat.tap("はい")
    assert [c.start for c in chat.commands] == [at(D(2026, 12, 3), 14), at(D(2026, 12, 4), 10)]
    assert chat.text.startswith("ご予約が確定しました。")


def test_full_without_alternatives_asks_for_another_day():
    chat = Chat(kobe_ctx())
    chat.results = [CommandResult(False, "full")]
    chat.send(Postback("action=book&service=in_person"))
    chat.say("12/3 14時")
    chat.tap("はい")
    assert chat.where == "book.date"
    assert "満席" in chat.text


def test_other_booking_errors_are_explained_with_a_way_back():
    expectations = {
        "overlap": ("book.time", "同じ時間帯に別のご予約があります。"),
        "too_late": ("book.date", "開始が近いため、チャットではご予約できません。"),
        "too_early": ("book.date", "その日はまだ予約を受け付けていません。"),
        "no_slot": ("book.time", "その時間は予約を受け付けていません。"),
        "too_many": ("menu.start", "お持ちいただける予約の数の上限に達しています。"),
        "boom": ("menu.start", "ただいまお手続きができませんでした。"),
    }
    for code, (where, text) in expectations.items():
        chat = Chat(kobe_ctx())
        chat.results = [CommandResult(False, code, "サービスの文面は表示しない")]
        chat.send(Postback("action=book&service=in_person"))
        chat.say("12/3 14時")
        chat.tap("はい")
        assert chat.where == where, code
        assert text in chat.text, code
        assert "サービスの文面" not in chat.text


def test_saying_no_at_the_confirmation_goes_back_to_the_date():
    chat = Chat(kobe_ctx())
    chat.send(Postback("action=book&service=in_person"))
    chat.say("12/3 14時")
    chat.say("いいえ")
    assert chat.where == "book.date"
    assert chat.commands == []


def test_the_date_picker_and_a_datetime_picker_are_understood():
    chat = Chat(kobe_ctx())
    chat.send(Postback("action=book&service=in_person"))
    chat.send(Postback("pick=date", {"datetime": "2026-12-03T11:00"}))
    assert chat.text == "12月3日(木) 11:00 三宮ビル東館で予約しますか？"


def test_a_forged_or_stale_postback_is_not_trusted():
    chat = Chat(kobe_ctx())
    chat.send(Postback("action=book&service=in_person"))
    chat.send(Postback("pick=time&v=03:00"))
    chat.send(Postback("pick=date&v=2026-12-03"))
    chat.send(Postback("pick=time&v=03:00"))
    assert chat.where == "book.time"
    chat.send(Postback("pick=service&v=nope"))
    assert chat.where == "book.time"
    assert chat.state.misses == 1


def test_no_free_day_at_all_says_so_and_offers_a_consultant():
    ctx = kobe_ctx(slots=FakeSlots(lambda s, v, d: []))
    chat = Chat(ctx)
    chat.send(Postback("action=book&service=online&method=chat"))
    assert "空いている日がありません" in chat.text
    assert chat.where == "menu.start"
    assert "相談員に聞く" in chat.labels()


def test_a_program_with_one_service_and_one_venue_starts_at_the_date():
    ctx = FlowContext(services=(IN_PERSON,), slots=FakeSlots(kobe_hours), now=NOW)
    chat = Chat(ctx)
    chat.send(Postback("action=book"))
    assert chat.where == "book.date"


def test_a_venue_named_in_full_wins_over_its_town():
    chat = Chat(saitama_ctx())
    chat.say("予約したい")
    chat.say("ラーク所沢で来週の金曜10時")  # the fake holds ラーク所沢 on Tuesdays and Fridays
    assert chat.text == "12月11日(金) 10:00 ラーク所沢で予約しますか？"
