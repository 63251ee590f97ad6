"""A consultant's calendar feed: their own bookings, no personal data beyond the card
number, stable UIDs, Tokyo times; a bad or tampered token is a 404."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from secondcareer.booking.feeds import feed_token
from secondcareer.booking.models import Reservation
from secondcareer.booking.selectors import availability
from secondcareer.booking.services import reservation_cancel, reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.people.models import Role
from secondcareer.people.services import staff_create
from secondcareer.scheduling.services import shift_pattern_create


@pytest.fixture
def consultant(kobe):
    """On duty for the online service every day, 9:00–21:00, from four months ago."""
    user = staff_create(
        username="kb-cc",
        password=None,
        program=kobe,
        role=Role.CONSULTANT,
        display_name="佐々木 一郎",
    )
    online = kobe.services.get(code="online")
    for weekday in range(7):
        shift_pattern_create(
            program=kobe,
            consultant=user,
            weekday=weekday,
            start=dt.time(9),
            end=dt.time(21),
            valid_from=timezone.localdate() - dt.timedelta(days=120),
            service=online,
        )
    return user


@pytest.fixture
def seeker(kobe):
    return register_seeker(kobe, birth_date=dt.date(1958, 8, 8))


def book(kobe, seeker, *, days: int, hour: int = 10, method: str = "phone") -> Reservation:
    """An online booking at ``hour`` on the first open day from ``days`` after today
    (negative: in the past, entered back then); closures push it a few days on."""
    day = timezone.localdate() + dt.timedelta(days=days)
    start = next(
        a.slot.start
        for a in availability(
            program=kobe, service_code="online", start=day, end=day + dt.timedelta(days=7)
        )
        if a.slot.start.hour == hour and a.free > 0
    )
    return reservation_create(
        program=kobe,
        seeker=seeker,
        service=kobe.services.get(code="online"),
        start=start,
        method=method,
        channel="staff",
        now=start - dt.timedelta(days=1),
    )


def feed(client, user) -> tuple[Calendar, str]:
    response = client.get(reverse("booking_feed:consultant", args=[feed_token(user)]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    return Calendar.from_ical(body), body


def test_the_feed_lists_the_consultants_bookings_from_30_days_back_to_90_ahead(
    client, kobe, consultant, seeker
):
    soon = book(kobe, seeker, days=3)
    past = book(kobe, seeker, days=-10, hour=11)
    book(kobe, seeker, days=-40, hour=12)  # too old
    book(kobe, seeker, days=100, hour=13)  # too far ahead
    cancelled = book(kobe, seeker, days=5, hour=14)
    reservation_cancel(reservation=cancelled, channel="staff")
    assert {soon.consultant_id, past.consultant_id} == {consultant.pk}

    calendar, _ = feed(client, consultant)

    uids = [str(e["uid"]) for e in calendar.events]
    assert uids == [f"reservation-{past.pk}@secondcareer", f"reservation-{soon.pk}@secondcareer"]


def test_an_entry_says_what_and_when_but_nothing_personal(client, kobe, consultant, seeker):
    booking = book(kobe, seeker, days=3, method="phone")

    calendar, body = feed(client, consultant)

    event = calendar.events[0]
    assert str(event["summary"]) == "オンライン相談（電話）"
    assert event.decoded("dtstart") == booking.starts_at.astimezone(TOKYO)
    assert event["dtstart"].params["TZID"] == "Asia/Tokyo"
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(hours=1)
    assert seeker.card_number in str(event["description"])
    unfolded = body.replace("\r\n ", "")
    for personal in (
        seeker.family_name,
        seeker.given_name,
        seeker.family_name_kana,
        seeker.phone,
        "1958",
    ):
        assert personal not in unfolded
    assert "VTIMEZONE" in body


def test_uids_stay_the_same_from_one_fetch_to_the_next(client, kobe, consultant, seeker):
    book(kobe, seeker, days=3, hour=10)
    book(kobe, seeker, days=4, hour=11)

    first, _ = feed(client, consultant)
    second, _ = feed(client, consultant)

    assert [e["uid"] for e in first.events] == [e["uid"] for e in second.events]


def test_a_venue_booking_names_the_venue_and_its_address(client, kobe, seeker):
    desk = kobe.venues.get(code="sannomiya_east")
    user = staff_create(username="kb-desk", password=None, program=kobe, role=Role.CONSULTANT)
    for weekday in range(5):
        shift_pattern_create(
            program=kobe,
            consultant=user,
            weekday=weekday,
            start=dt.time(10),
            end=dt.time(17),
            valid_from=timezone.localdate(),
            venue=desk,
        )
    today = timezone.localdate()
    start = next(
        a.slot.start
        for a in availability(
            program=kobe,
            service_code="in_person",
            start=today + dt.timedelta(days=2),
            end=today + dt.timedelta(days=20),
        )
        if a.free > 0
    )
    reservation_create(
        program=kobe,
        seeker=seeker,
        service=kobe.services.get(code="in_person"),
        venue=desk,
        start=start,
        method="in_person",
        channel="staff",
    )

    calendar, _ = feed(client, user)

    event = calendar.events[0]
    assert str(event["summary"]) == "対面相談（三宮ビル東館）"
    assert str(event["location"]) == "三宮ビル東館（神戸市中央区御幸通6-1-12）"


def test_a_tampered_token_is_a_404(client, consultant):
    token = feed_token(consultant)
    user_id, signature = token.split(".", 1)
    forged = f"{int(user_id) + 1}.{signature}"

    assert client.get(reverse("booking_feed:consultant", args=[forged])).status_code == 404
    assert client.get(reverse("booking_feed:consultant", args=[token[:-2]])).status_code == 404
    assert client.get(reverse("booking_feed:consultant", args=["nonsense"])).status_code == 404


def test_raising_the_feed_version_rotates_every_url(client, consultant, settings):
    old = reverse("booking_feed:consultant", args=[feed_token(consultant)])
    settings.SECONDCAREER_CALENDAR_FEED_VERSION = "2"

    assert client.get(old).status_code == 404
    new = reverse("booking_feed:consultant", args=[feed_token(consultant)])
    assert new != old and client.get(new).status_code == 200


def test_a_deactivated_or_non_consultant_user_has_no_feed(client, kobe, consultant):
    receptionist = staff_create(username="kb-rec", password=None, program=kobe, role=Role.RECEPTION)
    assert (
        client.get(reverse("booking_feed:consultant", args=[feed_token(receptionist)])).status_code
        == 404
    )
    consultant.is_active = False
    consultant.save()
    assert (
        client.get(reverse("booking_feed:consultant", args=[feed_token(consultant)])).status_code
        == 404
    )


def test_the_calendar_url_command_prints_a_working_feed_url(client, consultant):
    out = StringIO()

    call_command("calendar-url", user="kb-cc", base_url="https://sc.example.jp/", stdout=out)

    url = out.getvalue().strip()
    assert url.startswith("https://sc.example.jp/calendar/") and url.endswith(".ics")
    assert client.get(url.removeprefix("https://sc.example.jp")).status_code == 200


def test_the_calendar_url_command_refuses_non_consultants(kobe):
    staff_create(username="kb-rec", password=None, program=kobe, role=Role.RECEPTION)
    with pytest.raises(CommandError, match="キャリアコンサルタント"):
        call_command("calendar-url", user="kb-rec")
    with pytest.raises(CommandError):
        call_command("calendar-url", user="nobody")
