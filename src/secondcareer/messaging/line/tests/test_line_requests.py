"""Typed requests on LINE, end to end through the fake platform: booking-like text
starts a booking (not a staff inquiry), the centre's booking dial is given where the
bot suggests phoning (and passes the outbound policy as the centre's own published
number, no other), and the staff inquiry page says who asked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from secondcareer.booking.models import Reservation
from secondcareer.booking.selectors import availability
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditEntry
from secondcareer.messaging.line.client import public_allow_list
from secondcareer.messaging.line.tests.test_line_booking import choose, register_by_page
from secondcareer.messaging.models import Inquiry
from secondcareer.messaging.policy import OutboundRefused, check_outbound
from secondcareer.people.services import staff_create

KOBE_DIAL = "078-000-0000"  # the placeholder the Kobe preset ships
UNANSWERABLE = "隣の家の犬が夜中に吠えてうるさいのですが、どうしたらいいでしょうか"


def _free_online_day_at_14(kobe) -> dt.date:  # type: ignore[no-untyped-def]
    """A day from the day after tomorrow on whose 14:00 the online desk is free."""
    today = timezone.localdate()
    rows = availability(
        program=kobe,
        service_code="online",
        start=today + dt.timedelta(days=2),
        end=today + dt.timedelta(days=30),
    )
    return next(
        a.slot.start.astimezone(TOKYO).date()
        for a in rows
        if a.free > 0 and a.slot.start.astimezone(TOKYO).hour == 14
    )


def test_a_date_and_time_typed_with_a_booking_word_books_that_slot(chat, kobe):
    chat.follow()
    register_by_page(chat)
    day = _free_online_day_at_14(kobe)
    replies = chat.say(f"{day.month}/{day.day} 14時に予約")
    assert not Inquiry.objects.exists()
    assert any("ご希望の相談をお選びください" in r for r in replies)
    choose(chat, "オンライン")
    replies = choose(chat, "チャット")
    assert any(
        f"{day.month}月{day.day}日" in r and "14:00" in r and "予約しますか" in r for r in replies
    )
    choose(chat, "はい")
    reservation = Reservation.objects.get(seeker=chat.line_user().seeker)
    assert reservation.starts_at.astimezone(TOKYO) == dt.datetime.combine(
        day, dt.time(14), tzinfo=TOKYO
    )
    assert reservation.method == "chat" and not Inquiry.objects.exists()


def test_an_unregistered_user_typing_a_booking_is_sent_to_register_first(chat):
    chat.follow()
    replies = chat.say("明日予約したい")
    assert any("/line/kobe/register/" in r for r in replies)
    assert any(KOBE_DIAL in r for r in replies)  # or call the booking dial
    assert not Inquiry.objects.exists()


def test_asking_to_book_by_phone_gets_the_booking_dial_and_its_hours(chat):
    welcome = chat.follow()
    assert any(KOBE_DIAL in r for r in welcome)
    replies = chat.say("電話で予約したい")
    assert any(f"予約ダイヤル {KOBE_DIAL}" in r for r in replies)
    assert any("受付時間: 平日 9:00〜21:00" in r for r in replies)
    assert not Inquiry.objects.exists()
    # It went out through the fake platform: nothing was refused for this user.
    assert not [r for r in chat.fake.platform.rejections if chat.user_id in str(r)]


def test_the_policy_lets_through_the_centres_own_number_and_no_other(kobe):
    allow = public_allow_list("kobe")
    assert KOBE_DIAL in allow
    check_outbound(f"予約ダイヤル {KOBE_DIAL}（受付時間: 平日）", allow=allow)
    with pytest.raises(OutboundRefused):
        check_outbound(f"予約ダイヤル {KOBE_DIAL}", allow=())  # not without the program data
    for other in ("078-000-0001", "090-1234-5678", "078-000-00001"):
        with pytest.raises(OutboundRefused):
            check_outbound(f"予約ダイヤル {KOBE_DIAL} または {other}", allow=allow)


def _consultant(kobe):  # type: ignore[no-untyped-def]
    return staff_create(
        username="kobe-cc", password="pw-12345-abc", program=kobe, role="consultant"
    )


def test_the_inquiry_page_names_the_registered_seeker_who_asked_and_audits_it(
    chat, kobe, client_for
):
    chat.follow()
    register_by_page(chat)
    chat.say(UNANSWERABLE)
    inquiry = Inquiry.objects.get()
    seeker = chat.line_user().seeker
    staff = _consultant(kobe)
    page = client_for(staff).get(f"/staff/inquiries/{inquiry.pk}/").content.decode()
    assert "山田 花子" in page and seeker.card_number in page
    assert AuditEntry.objects.filter(
        action="view", object_type="people.seeker", object_id=str(seeker.pk), actor_id=staff.pk
    ).exists()


def test_the_inquiry_page_of_an_unregistered_line_user_says_so_with_the_display_name(
    chat, kobe, client_for
):
    chat.follow()
    chat.say(UNANSWERABLE)
    inquiry = Inquiry.objects.get()
    user = chat.line_user()
    assert user.display_name == f"利用者{chat.user_id[1:5]}"  # fetched from LINE's profile
    staff = _consultant(kobe)
    page = client_for(staff).get(f"/staff/inquiries/{inquiry.pk}/").content.decode()
    assert "未登録のLINE利用者" in page and user.display_name in page
    assert AuditEntry.objects.filter(
        action="view", object_type="line.lineuser", object_id=str(user.pk), actor_id=staff.pk
    ).exists()


def test_an_faq_answer_about_the_phone_line_comes_with_the_number(chat, kobe):
    from secondcareer.messaging.faq.services import faq_load_seed

    faq_load_seed(program=kobe)
    chat.follow()
    replies = chat.say("予約ダイヤルの受付時間は")
    assert any("平日9時〜21時" in r and f"予約ダイヤル {KOBE_DIAL}" in r for r in replies)
