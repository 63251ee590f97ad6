"""Day-before reminders: a channel that reaches the seeker reminds them once; everyone
else is on reception's call list for that day."""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import ClassVar

import pytest
from django.core.management import CommandError, call_command

from secondcareer.booking.models import Reservation
from secondcareer.booking.notifiers import (
    ReminderNotifier,
    register_notifier,
    reminder_notifiers,
    unregister_notifier,
)
from secondcareer.booking.reminders import call_list, reminders_send, tomorrow
from secondcareer.booking.services import reservation_cancel, reservation_create
from secondcareer.booking.tasks import send_day_before_reminders
from secondcareer.conftest import register_seeker
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditEntry
from secondcareer.people.models import Seeker
from secondcareer.programs.models import Program, Service, Venue

NOW = dt.datetime(2027, 1, 12, 10, 0, tzinfo=TOKYO)  # a Tuesday
DAY = dt.date(2027, 1, 13)  # tomorrow
NOTIFIER = "secondcareer.booking.tests.test_reminders.FakeLine"


class FakeLine:
    """Stands for the LINE channel (a later issue): reaches the linked seekers."""

    linked: ClassVar[set[int]] = set()
    sent: ClassVar[list[int]] = []
    refuse: ClassVar[set[int]] = set()  # reachable, but the push fails

    def can_reach(self, seeker: Seeker) -> bool:
        return seeker.pk in self.linked

    def send_reminder(self, reservation: Reservation) -> bool:
        if reservation.seeker_id in self.refuse:
            raise ConnectionError(f"push to {reservation.seeker.phone} failed")
        self.sent.append(reservation.pk)
        return True


@pytest.fixture(autouse=True)
def _only_the_notifiers_of_each_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """Channels installed in the project (the LINE app registers one) are set aside:
    these tests are about booking's contract with any channel."""
    from secondcareer.booking import notifiers

    monkeypatch.setattr(notifiers, "_registered", [])


@pytest.fixture
def line(settings) -> type[FakeLine]:  # type: ignore[no-untyped-def]
    settings.BOOKING_REMINDER_NOTIFIERS = [NOTIFIER]
    FakeLine.linked, FakeLine.sent, FakeLine.refuse = set(), [], set()
    return FakeLine


@pytest.fixture
def online(kobe: Program) -> Service:
    return Service.objects.get(program=kobe, code="online")


def seeker(program: Program, n: int) -> Seeker:
    return register_seeker(
        program,
        birth_date=dt.date(1958, 1, n),
        family="鈴木",
        given=f"一郎{n}",
        family_kana="スズキ",
        given_kana="イチロウ",
        phone=f"090-5555-{n:04d}",
    )


def book(person: Seeker, service: Service, day: dt.date, hour: int, **kw: object) -> Reservation:
    venue = kw.pop("venue", None)
    return reservation_create(
        program=person.program,
        seeker=person,
        service=service,
        start=dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO),
        venue=venue,  # type: ignore[arg-type]
        method="in_person" if venue else "video",
        channel=str(kw.pop("channel", "line")),
        now=NOW,
    )


def call_list_output(program: str = "kobe", day: dt.date = DAY) -> str:
    out = io.StringIO()
    call_command("call-list", "--program", program, "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def test_tomorrow_is_the_next_day_in_tokyo_even_late_in_the_evening() -> None:
    late = dt.datetime(2027, 1, 12, 23, 30, tzinfo=TOKYO)  # 14:30 UTC on the 12th
    assert tomorrow(late) == DAY
    assert tomorrow(dt.datetime(2027, 1, 12, 15, 30, tzinfo=dt.UTC)) == dt.date(2027, 1, 14)


def test_a_linked_seeker_gets_one_reminder_and_is_not_on_the_call_list(
    kobe: Program, online: Service, line: type[FakeLine]
) -> None:
    linked = seeker(kobe, 1)
    line.linked.add(linked.pk)
    reservation = book(linked, online, DAY, 10)

    run = reminders_send(day=DAY, now=NOW)

    assert (run.sent, run.to_call) == (1, 0)
    assert line.sent == [reservation.pk]
    reservation.refresh_from_db()
    assert reservation.reminder_sent_at == NOW
    assert call_list(program=kobe, day=DAY) == []
    assert "鈴木" not in call_list_output()


def test_an_unlinked_seeker_is_on_the_call_list_with_time_name_phone_and_place(
    kobe: Program, online: Service, line: type[FakeLine]
) -> None:
    linked, unlinked = seeker(kobe, 1), seeker(kobe, 2)
    line.linked.add(linked.pk)
    book(linked, online, DAY, 10)
    desk = Service.objects.get(program=kobe, code="in_person")
    sannomiya = Venue.objects.get(program=kobe, code="sannomiya_east")
    book(unlinked, desk, DAY, 14, venue=sannomiya, channel="phone")

    run = reminders_send(day=DAY, now=NOW)

    assert (run.sent, run.to_call) == (1, 1)
    assert [r.seeker_id for r in call_list(program=kobe, day=DAY)] == [unlinked.pk]
    output = call_list_output()
    assert "2027年1月13日(水)" in output and "1 件" in output
    (row,) = [line for line in output.splitlines() if "鈴木" in line]
    assert row.startswith("14:00")
    assert "鈴木 一郎2" in row and "090-5555-0002" in row
    assert "対面相談／三宮ビル東館" in row


def test_cancelled_bookings_get_no_reminder_and_no_call(
    kobe: Program, online: Service, line: type[FakeLine]
) -> None:
    linked, unlinked = seeker(kobe, 1), seeker(kobe, 2)
    line.linked.add(linked.pk)
    for person, hour in ((linked, 10), (unlinked, 11)):
        reservation_cancel(reservation=book(person, online, DAY, hour), channel="phone", now=NOW)

    run = reminders_send(day=DAY, now=NOW)

    assert (run.considered, run.sent, run.to_call) == (0, 0, 0)
    assert line.sent == []
    assert call_list(program=kobe, day=DAY) == []


def test_running_the_task_twice_sends_once(
    kobe: Program, online: Service, line: type[FakeLine]
) -> None:
    linked, unlinked = seeker(kobe, 1), seeker(kobe, 2)
    line.linked.add(linked.pk)
    book(linked, online, DAY, 10)
    book(unlinked, online, DAY, 11)

    first = send_day_before_reminders.enqueue(DAY.isoformat())
    second = send_day_before_reminders.enqueue(DAY.isoformat())

    assert first.return_value == {"day": "2027-01-13", "considered": 2, "sent": 1, "to_call": 1}
    assert second.return_value == {"day": "2027-01-13", "considered": 1, "sent": 0, "to_call": 1}
    assert len(line.sent) == 1
    assert [r.seeker_id for r in call_list(program=kobe, day=DAY)] == [unlinked.pk]


def test_only_the_given_day_is_reminded(
    kobe: Program, online: Service, line: type[FakeLine]
) -> None:
    person = seeker(kobe, 1)
    line.linked.add(person.pk)
    book(person, online, DAY + dt.timedelta(days=1), 10)

    assert reminders_send(day=DAY, now=NOW).considered == 0
    assert line.sent == []


def test_without_any_notifier_everyone_booked_is_on_the_call_list(
    kobe: Program, online: Service, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.BOOKING_REMINDER_NOTIFIERS = []
    assert reminder_notifiers() == []
    people = [seeker(kobe, n) for n in (1, 2, 3)]
    for hour, person in enumerate(people, start=10):
        book(person, online, DAY, hour)

    run = reminders_send(day=DAY, now=NOW)

    assert (run.sent, run.to_call) == (0, 3)
    assert [r.seeker_id for r in call_list(program=kobe, day=DAY)] == [p.pk for p in people]


def test_a_failing_channel_leaves_the_seeker_on_the_call_list_and_logs_no_personal_data(
    kobe: Program, online: Service, line: type[FakeLine], caplog: pytest.LogCaptureFixture
) -> None:
    person = seeker(kobe, 4)
    line.linked.add(person.pk)
    line.refuse.add(person.pk)
    reservation = book(person, online, DAY, 10)

    with caplog.at_level(logging.INFO, logger="secondcareer.booking.reminders"):
        run = reminders_send(day=DAY, now=NOW)

    assert (run.sent, run.to_call) == (0, 1)
    assert [r.pk for r in call_list(program=kobe, day=DAY)] == [reservation.pk]
    logged = caplog.text
    assert f"reservation {reservation.pk}" in logged and "ConnectionError" in logged
    for personal in ("鈴木", "一郎", "090-5555-0004", "09055550004"):
        assert personal not in logged


def test_a_channel_can_register_itself_instead_of_a_setting(
    kobe: Program, online: Service, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.BOOKING_REMINDER_NOTIFIERS = []
    person = seeker(kobe, 1)
    book(person, online, DAY, 10)
    FakeLine.linked, FakeLine.sent, FakeLine.refuse = {person.pk}, [], set()
    channel = FakeLine()
    assert isinstance(channel, ReminderNotifier)
    register_notifier(channel)
    try:
        assert reminders_send(day=DAY, now=NOW).sent == 1
    finally:
        unregister_notifier(channel)
    assert reminder_notifiers() == []
    with pytest.raises(TypeError):
        register_notifier(object())  # type: ignore[arg-type]


def test_the_call_list_is_one_query_and_scoped_to_the_program(
    kobe: Program,
    online: Service,
    other_program: Program,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    for hour, n in enumerate((1, 2, 3), start=10):
        book(seeker(kobe, n), online, DAY, hour)
    with django_assert_num_queries(1):
        rows = call_list(program=kobe, day=DAY)
        assert rows[0].seeker.phone == "090-5555-0001"
        assert {r.venue for r in rows} == {None} and {r.service.code for r in rows} == {"online"}
    assert call_list(program=other_program, day=DAY) == []
    assert "0 件" in call_list_output(program=other_program.slug)


def test_the_call_list_command_refuses_an_unknown_program_and_a_bad_date(db: None) -> None:
    with pytest.raises(CommandError, match="登録されていません"):
        call_command("call-list", "--program", "nowhere", stdout=io.StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("call-list", "--program", "kobe", "--date", "13/01/2027", stdout=io.StringIO())


def test_the_daily_command_sends_the_reminders_and_prints_counts_only(
    kobe: Program, online: Service, line: type[FakeLine]
) -> None:
    linked, unlinked = seeker(kobe, 1), seeker(kobe, 2)
    line.linked.add(linked.pk)
    book(linked, online, DAY, 10)
    book(unlinked, online, DAY, 11)

    out = io.StringIO()
    call_command("send-reminders", "--date", DAY.isoformat(), stdout=out)

    assert '"sent": 1' in out.getvalue() and '"to_call": 1' in out.getvalue()
    assert "鈴木" not in out.getvalue() and "090" not in out.getvalue()
    assert len(line.sent) == 1
    again = io.StringIO()
    call_command("send-reminders", "--date", DAY.isoformat(), "--enqueue", stdout=again)
    assert '"enqueued"' in again.getvalue()
    assert len(line.sent) == 1  # reminded once, however often it runs
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send-reminders", "--date", "2027/01/13")


def test_the_printed_call_list_writes_one_audit_entry_per_seeker(
    kobe: Program, online: Service, line: type[FakeLine]
) -> None:
    listed, linked = seeker(kobe, 2), seeker(kobe, 1)
    line.linked.add(linked.pk)
    book(listed, online, DAY, 11)
    book(linked, online, DAY, 10)
    reminders_send(day=DAY, now=NOW)
    assert "鈴木 一郎2" in call_list_output()
    entry = AuditEntry.objects.get(object_type="people.seeker", action="export")
    assert (entry.object_id, entry.note) == (str(listed.pk), "call-list")
    assert entry.program_slug == "kobe" and entry.actor_username == "system"
