"""Pushes: day-before reminders over LINE, idempotent retry keys, the monthly quota and
the outbound policy guard."""

from __future__ import annotations

import datetime as dt

import pytest

from secondcareer.booking.reminders import call_list, reminders_send
from secondcareer.booking.services import reservation_create
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO, next_business_day
from secondcareer.messaging.line.models import LineUser, OutboundMessage
from secondcareer.messaging.line.services.push import push_to
from secondcareer.messaging.line.tests.test_line_booking import register_by_page
from secondcareer.programs.models import Service, Venue


@pytest.fixture
def linked_booking(chat, kobe):
    chat.follow()
    register_by_page(chat)
    seeker = chat.line_user().seeker
    # A business day at least two days ahead (the desk is open on weekdays only).
    day = next_business_day(dt.datetime.now(TOKYO).date() + dt.timedelta(days=1))
    start = dt.datetime.combine(day, dt.time(14), tzinfo=TOKYO)
    reservation = reservation_create(
        program=kobe,
        seeker=seeker,
        service=Service.objects.get(program=kobe, code="in_person"),
        venue=Venue.objects.get(program=kobe, name="三宮ビル東館"),
        start=start,
        method="in_person",
        channel="phone",
        now=start - dt.timedelta(days=1, hours=3),
    )
    return reservation, start - dt.timedelta(hours=20)


def test_a_linked_seeker_gets_one_line_reminder_and_is_not_on_the_call_list(chat, linked_booking):
    reservation, evening_before = linked_booking
    reminders_send(now=evening_before)
    reminders_send(now=evening_before)
    texts = [t for t in chat.fake.platform.texts_for(chat.user_id) if "ご予約の確認" in t]
    assert len(texts) == 1
    assert "三宮ビル東館" in texts[0] and "14:00" in texts[0]
    reservation.refresh_from_db()
    assert reservation.reminder_sent_at is not None
    day = reservation.starts_at.astimezone(TOKYO).date()
    assert reservation not in call_list(program=reservation.program, day=day)


def test_a_blocked_account_gets_no_push_and_the_seeker_is_phoned_instead(chat, linked_booking):
    reservation, evening_before = linked_booking
    LineUser.objects.update(following=False)
    reminders_send(now=evening_before)
    assert not [t for t in chat.fake.platform.texts_for(chat.user_id) if "ご予約の確認" in t]
    day = reservation.starts_at.astimezone(TOKYO).date()
    assert reservation in call_list(program=reservation.program, day=day)


def test_pushes_over_the_monthly_quota_are_refused_before_sending(chat, kobe, monkeypatch):
    chat.follow()
    monkeypatch.setenv("LINE_KOBE_MONTHLY_QUOTA", "1")
    user = chat.line_user()
    push_to(
        program=kobe,
        line_users=[user],
        messages=[{"type": "text", "text": "セミナーのお知らせです。"}],
        purpose="campaign",
    )
    with pytest.raises(DomainError) as caught:
        push_to(
            program=kobe,
            line_users=[user],
            messages=[{"type": "text", "text": "もう一通。"}],
            purpose="campaign",
        )
    assert caught.value.code == "quota"
    assert OutboundMessage.objects.count() == 1


def test_personal_data_is_refused_before_a_retry_key_is_even_stored(chat, kobe):
    chat.follow()
    with pytest.raises(DomainError) as caught:
        push_to(
            program=kobe,
            line_users=[chat.line_user()],
            messages=[{"type": "text", "text": "お電話は 090-1234-5678 まで"}],
            purpose="campaign",
        )
    assert caught.value.code == "refused"
    assert not OutboundMessage.objects.exists()


def test_many_recipients_go_out_in_multicasts_of_at_most_500(chat, kobe):
    users = []
    for n in range(501):
        user_id = f"U{n:032x}"
        chat.fake.platform.add_user(user_id)
        users.append(LineUser.objects.create(program=kobe, line_user_id=user_id, following=True))
    records = push_to(
        program=kobe,
        line_users=users,
        messages=[{"type": "text", "text": "求人のお知らせです。"}],
        purpose="campaign",
    )
    assert [len(r.recipients) for r in records] == [500, 1]
    assert {r.status for r in records} == {"sent"}
    assert len({r.retry_key for r in records}) == 2


def test_a_repeated_reminder_reuses_its_retry_key_and_the_platform_answers_409(
    chat, linked_booking
):
    reservation, _ = linked_booking
    from secondcareer.messaging.line.reminders import LineReminderNotifier

    notifier = LineReminderNotifier()
    assert notifier.send_reminder(reservation)
    OutboundMessage.objects.update(status="queued")  # as if the worker died before recording
    assert notifier.send_reminder(reservation)
    assert OutboundMessage.objects.count() == 1
    assert len([t for t in chat.fake.platform.texts_for(chat.user_id) if "ご予約の確認" in t]) == 1


def test_a_reply_that_comes_too_late_for_its_token_is_pushed_instead_once(chat, kobe):
    from secondcareer.messaging.line.models import WebhookEvent
    from secondcareer.messaging.line.services.processing import send_reply

    chat.follow()
    event = WebhookEvent.objects.filter(line_user_id=chat.user_id).latest("id")
    message = [{"type": "text", "text": "お待たせしました。メニューからお選びください。"}]
    assert send_reply(
        program_slug="kobe", reply_token="expired-token", messages=message, event_id=event.pk
    )
    assert send_reply(
        program_slug="kobe", reply_token="expired-token", messages=message, event_id=event.pk
    )
    texts = chat.fake.platform.texts_for(chat.user_id)
    assert texts.count("お待たせしました。メニューからお選びください。") == 1
