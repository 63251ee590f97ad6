"""A LINE user books through the real webhook, the dialogue and the booking services,
with every reply going through the fake LINE platform (and its outbound policy)."""

from __future__ import annotations

import datetime as dt

import pytest

from secondcareer.booking.models import Reservation, ReservationStatus
from secondcareer.booking.selectors import availability
from secondcareer.booking.services import reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.models import LineUser
from secondcareer.messaging.line.tests.conftest import LineChat
from secondcareer.programs.models import Service, Venue

NAV = ("最初に戻る", "相談員に聞く")


def choose(chat: LineChat, contains: str | None = None) -> list[str]:
    """Tap the first quick reply whose label contains ``contains`` (or the first
    that is not a navigation button)."""
    actions = [a for a in chat.last_quick_replies() if a.get("type") == "postback"]
    for action in actions:
        label = action["label"]
        if (contains is None and label not in NAV) or (contains is not None and contains in label):
            return chat.tap(action["data"])
    raise AssertionError(f"no quick reply {contains!r} in {[a['label'] for a in actions]}")


def register_by_page(chat: LineChat) -> None:
    """The user opens the registration page from LINE (ID token in the fragment → form)."""
    token = chat.fake.platform.issue_id_token(chat.user_id, channel_for("kobe").channel_id)
    response = chat.client.post(
        "/line/kobe/register/",
        {
            "id_token": token,
            "family_name": "山田",
            "given_name": "花子",
            "family_name_kana": "ヤマダ",
            "given_name_kana": "ハナコ",
            "birth_date_year": "1958",
            "birth_date_month": "4",
            "birth_date_day": "2",
            "phone": "090-1234-5678",
            "privacy": "on",
        },
    )
    assert response.status_code == 200
    assert "登録が完了しました" in response.content.decode()


def test_a_new_follower_is_welcomed_and_counted_as_a_registrant(chat):
    replies = chat.follow()
    assert any("友だち追加ありがとうございます" in r for r in replies)
    assert chat.line_user().following is True


def test_an_unregistered_user_is_sent_to_the_registration_page_not_asked_for_details_in_chat(chat):
    chat.follow()
    replies = chat.tap("action=book")
    assert any("/line/kobe/register/" in r for r in replies)
    assert not any("電話番号を" in r and "入力" in r and "LINE" not in r for r in replies)


def test_registration_verifies_the_id_token_and_links_the_seeker(chat):
    chat.follow()
    register_by_page(chat)
    user = chat.line_user()
    assert user.seeker is not None and user.seeker.family_name == "山田"
    assert user.seeker.registration_channel == "line"


def test_a_forged_id_token_links_nothing(chat):
    chat.follow()
    response = chat.client.post(
        "/line/kobe/register/",
        {
            "id_token": "forged",
            "family_name": "偽",
            "given_name": "者",
            "family_name_kana": "ニセ",
            "given_name_kana": "モノ",
            "birth_date_year": "1958",
            "birth_date_month": "4",
            "birth_date_day": "2",
            "phone": "090-1234-5678",
            "privacy": "on",
        },
    )
    assert "本人確認ができませんでした" in response.content.decode()
    assert chat.line_user().seeker is None


def _book_in_person_to_confirmation(chat: LineChat) -> None:
    chat.tap("action=book")
    choose(chat, "対面")
    choose(chat)  # the first free date
    choose(chat)  # the first free time


def test_a_scripted_conversation_books_a_real_slot(chat, kobe):
    chat.follow()
    register_by_page(chat)
    _book_in_person_to_confirmation(chat)
    replies = choose(chat, "はい")
    reservation = Reservation.objects.get(seeker=chat.line_user().seeker)
    assert reservation.channel == "line" and reservation.status == ReservationStatus.CONFIRMED
    assert reservation.venue.name == "三宮ビル東館"
    assert any("予約" in r for r in replies)
    day = reservation.starts_at.astimezone(dt.timezone(dt.timedelta(hours=9))).date()
    rows = availability(program=kobe, service_code="in_person", start=day, end=day)
    assert next(r for r in rows if r.slot.start == reservation.starts_at).free == 0


def test_the_line_user_loses_the_last_seat_to_a_phone_booking_and_gets_alternatives(chat, kobe):
    chat.follow()
    register_by_page(chat)
    _book_in_person_to_confirmation(chat)
    pending = [a for a in chat.last_quick_replies() if "はい" in a.get("label", "")]
    assert pending
    # While the LINE user reads the confirmation, reception books the same (last) seat.
    in_person = Service.objects.get(program=kobe, code="in_person")
    venue = Venue.objects.get(program=kobe, name="三宮ビル東館")
    confirm_texts = chat.fake.platform.texts_for(chat.user_id)[-1]
    caller = register_seeker(
        kobe,
        birth_date=dt.date(1950, 1, 1),
        family="電話",
        given="太郎",
        family_kana="デンワ",
        given_kana="タロウ",
        phone="080-9999-0000",
    )
    target = _slot_in_confirmation(kobe, confirm_texts)
    reservation_create(
        program=kobe,
        seeker=caller,
        service=in_person,
        start=target,
        venue=venue,
        method="in_person",
        channel="phone",
    )
    replies = chat.tap(pending[0]["data"])
    assert (
        Reservation.objects.filter(starts_at=target, venue=venue)
        .exclude(status="cancelled")
        .count()
        == 1
    )
    assert not Reservation.objects.filter(seeker=chat.line_user().seeker).exists()
    assert any("満席" in r for r in replies)
    assert len([a for a in chat.last_quick_replies() if a["label"] not in NAV]) >= 1


def _slot_in_confirmation(kobe, text: str) -> dt.datetime:
    """The start time the bot asked to confirm (e.g. 「11月26日(木) 10:00」)."""
    import re

    from secondcareer.core.jpcalendar import TOKYO

    match = re.search(r"(\d{1,2})月(\d{1,2})日.*?(\d{1,2}):(\d{2})", text)
    assert match, text
    month, day, hour, minute = map(int, match.groups())
    today = dt.date.today()
    year = today.year if (month, day) >= (today.month, today.day) else today.year + 1
    return dt.datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def test_the_chat_cannot_cancel_or_move_someone_elses_booking(chat, kobe):
    from secondcareer.messaging.dialogue import CancelReservation, RescheduleReservation
    from secondcareer.messaging.line.services.conversation import _executor

    chat.follow()
    register_by_page(chat)
    other = register_seeker(kobe, birth_date=dt.date(1950, 1, 1), phone="080-9999-0001")
    in_person = Service.objects.get(program=kobe, code="in_person")
    venue = Venue.objects.get(program=kobe, name="三宮ビル東館")
    start = dt.date.today() + dt.timedelta(days=2)
    free = [
        r
        for r in availability(
            program=kobe, service_code="in_person", start=start, end=start + dt.timedelta(days=20)
        )
        if r.free > 0
    ]
    theirs = reservation_create(
        program=kobe,
        seeker=other,
        service=in_person,
        start=free[0].slot.start,
        venue=venue,
        method="in_person",
        channel="phone",
    )
    execute = _executor(chat.line_user(), theirs.created_at, [])
    assert execute(CancelReservation(reservation_id=theirs.pk)).code == "not_found"
    assert (
        execute(RescheduleReservation(reservation_id=theirs.pk, start=free[1].slot.start)).code
        == "not_found"
    )
    assert Reservation.objects.get(pk=theirs.pk).status == ReservationStatus.CONFIRMED


@pytest.mark.parametrize("text", ["こんにちは", "予約したい", "あした"])
def test_free_text_never_crashes_and_always_gets_an_answer(chat, text):
    chat.follow()
    assert chat.say(text)
    assert LineUser.objects.get(line_user_id=chat.user_id).dialogue_state is not None


def test_after_registering_line_itself_says_what_to_do_next_once_with_the_booking_button(chat):
    chat.follow()
    before = len(chat.fake.platform.texts_for(chat.user_id))
    with chat.capture(execute=True):
        register_by_page(chat)

    told = chat.fake.platform.texts_for(chat.user_id)[before:]
    assert len(told) == 1
    assert "ご登録ありがとうございました" in told[0] and "相談を予約する" in told[0]
    assert "山田" not in told[0] and "090" not in told[0]  # nothing personal on LINE
    assert {"type": "postback", "label": "相談を予約する", "data": "action=book"}.items() <= (
        chat.last_quick_replies()[0].items()
    )
    # The button starts a booking; a second run of the task sends nothing more.
    started = chat.tap("action=book")
    assert not any("/line/kobe/register/" in r for r in started)  # registered now
    assert any(r.get("label", "").startswith("対面") for r in chat.last_quick_replies())
    from secondcareer.messaging.line.services.linking import line_user_tell_linked

    after_tap = len(chat.fake.platform.texts_for(chat.user_id))
    line_user_tell_linked(line_user_id=chat.line_user().pk)
    assert len(chat.fake.platform.texts_for(chat.user_id)) == after_tap
