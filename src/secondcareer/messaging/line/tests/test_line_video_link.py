"""A video consultation over LINE: the booking confirmation and the day-before reminder
carry no room address and no phone number, only the platform's own page; a message that
links to a room of the program's template is refused before it is sent."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from secondcareer.booking.models import Reservation
from secondcareer.booking.services import reservation_create
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.messaging.line.reminders import LineReminderNotifier, reservation_page_url
from secondcareer.messaging.line.services.push import push_to
from secondcareer.messaging.line.tests.test_line_booking import choose, register_by_page
from secondcareer.messaging.policy import OutboundRefused
from secondcareer.programs.models import Program, Service

ROOMS = "https://meet.example.org/kobe/{room}"


@pytest.fixture
def rooms(kobe: Program) -> Program:
    Program.objects.filter(pk=kobe.pk).update(video_room_url=ROOMS)
    kobe.refresh_from_db()
    return kobe


def everything_sent(chat) -> str:
    return json.dumps(
        [r.message for r in chat.fake.platform.messages_for(chat.user_id)], ensure_ascii=False
    )


def test_the_line_booking_confirmation_of_a_video_consultation_has_no_room_and_no_phone(
    chat, rooms
):
    chat.follow()
    register_by_page(chat)
    chat.tap("action=book")
    choose(chat, "オンライン")
    choose(chat, "ビデオ")
    choose(chat)  # the first free date
    choose(chat)  # the first free time

    replies = choose(chat, "はい")

    reservation = Reservation.objects.get(seeker=chat.line_user().seeker)
    assert reservation.method == "video" and reservation.video_room
    assert any("ご予約が確定しました" in r for r in replies)
    sent = everything_sent(chat)
    assert reservation.video_room not in sent and "meet.example.org" not in sent
    assert "090-1234-5678" not in sent and "09012345678" not in sent
    # …but it links to the seeker's own booking page, where the room is given.
    assert f"/book/r/{reservation.cancel_token}/" in sent
    assert "ビデオ通話への入り方" in sent


def test_the_line_booking_confirmation_of_a_visit_has_no_booking_page_link(chat):
    chat.follow()
    register_by_page(chat)
    chat.tap("action=book")
    choose(chat, "対面")
    choose(chat)  # the first venue or date offered
    replies = choose(chat)
    while not any("予約しますか" in r for r in replies):
        replies = choose(chat)
    choose(chat, "はい")

    reservation = Reservation.objects.get(seeker=chat.line_user().seeker)
    assert reservation.method != "video"
    assert "/book/r/" not in everything_sent(chat)


@pytest.fixture
def video_booking(chat, rooms):
    chat.follow()
    register_by_page(chat)
    day = dt.datetime.now(TOKYO).date() + dt.timedelta(days=3)
    start = dt.datetime.combine(day, dt.time(10), tzinfo=TOKYO)
    return reservation_create(
        program=rooms,
        seeker=chat.line_user().seeker,
        service=Service.objects.get(program=rooms, code="online"),
        start=start,
        method="video",
        channel="phone",
    )


def test_the_reminder_links_to_the_booking_page_not_to_the_room(chat, video_booking):
    assert LineReminderNotifier().send_reminder(video_booking)

    sent = everything_sent(chat)
    assert reservation_page_url(video_booking) in sent
    assert f"/book/r/{video_booking.cancel_token}/" in sent
    assert video_booking.video_room not in sent and "meet.example.org" not in sent
    assert "090-1234-5678" not in sent


def test_a_push_that_links_to_a_video_room_is_refused(chat, video_booking):
    with pytest.raises(DomainError) as refused:
        push_to(
            program=video_booking.program,
            line_users=[chat.line_user()],
            messages=[{"type": "text", "text": f"部屋はこちら {video_booking.video_url}"}],
            purpose="reminder",
        )

    assert refused.value.code == "refused"
    assert isinstance(refused.value.__cause__, OutboundRefused)
    assert refused.value.__cause__.reason_code == "link"
    assert video_booking.video_room not in everything_sent(chat)
