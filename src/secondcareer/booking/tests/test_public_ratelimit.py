"""Abuse protection on the public booking: too many bookings from one address, or for
one phone number, get a clear Japanese 429 page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from secondcareer.booking import ratelimit
from secondcareer.booking.models import Reservation
from secondcareer.booking.selectors import availability
from secondcareer.programs.models import Program


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db: None):
    cache.clear()
    yield
    cache.clear()


def _starts(program: Program, count: int) -> list[dt.datetime]:
    today = timezone.localdate()
    not_before = timezone.now() + dt.timedelta(days=1)
    rows = availability(
        program=program,
        service_code="online",
        start=today + dt.timedelta(days=1),
        end=today + dt.timedelta(days=20),
    )
    return [a.slot.start for a in rows if a.free > 0 and a.slot.start > not_before][:count]


def _person(n: int, phone: str) -> dict[str, str]:
    kana = ["いち", "に", "さん", "よん", "ご"][n]
    return {
        "family_name": "試験",
        "given_name": f"{n}郎",
        "family_name_kana": "しけん",
        "given_name_kana": kana,
        "birth_year": "1960",
        "birth_month": "1",
        "birth_day": str(n + 1),
        "phone": phone,
        "consent": "on",
        "method": "phone",
    }


def _try_to_book(client: Client, start: dt.datetime, person: dict[str, str]):
    client.post(
        reverse("booking_public:details", args=["kobe"]),
        {"service": "online", "start": start.isoformat(), **person},
    )
    return client.post(reverse("booking_public:confirm", args=["kobe"]))


def test_too_many_bookings_from_one_address_get_a_polite_429(client, kobe, settings):
    settings.SECONDCAREER_RATE_LIMITS = {"booking_ip": "2/hour"}
    starts = _starts(kobe, 3)
    phones = ["090-1000-0001", "090-1000-0002", "090-1000-0003"]

    answers = [
        _try_to_book(client, s, _person(i, p))
        for i, (s, p) in enumerate(zip(starts, phones, strict=True))
    ]

    assert [a.status_code for a in answers] == [302, 302, 429]
    page = answers[-1].content.decode()
    assert "しばらくしてからお試しください" in page and "お電話でご予約ください" in page
    assert int(answers[-1]["Retry-After"]) > 0
    assert Reservation.objects.count() == 2


def test_one_phone_number_books_only_so_often_a_day(client, kobe, settings):
    settings.SECONDCAREER_RATE_LIMITS = {"booking_phone": "1/day"}
    first, second, third = _starts(kobe, 3)

    assert _try_to_book(client, first, _person(0, "090-2000-0001")).status_code == 302
    # Another name with the same number: refused.
    refused = _try_to_book(Client(), second, _person(1, "09020000001"))
    other_phone = _try_to_book(Client(), third, _person(2, "090-2000-0002"))

    assert refused.status_code == 429
    assert other_phone.status_code == 302
    assert Reservation.objects.count() == 2


def test_the_cache_never_holds_a_phone_number(client, kobe):
    _try_to_book(client, _starts(kobe, 1)[0], _person(0, "090-3000-0001"))

    with connection.cursor() as cursor:  # the shared database cache's own table
        cursor.execute("SELECT cache_key FROM core_cache")
        keys = " ".join(row[0] for row in cursor.fetchall())
    assert "ratelimit:booking_phone:" in keys
    assert "30000001" not in keys and "3000-0001" not in keys


def test_a_limit_can_be_switched_off_and_must_be_well_formed(settings):
    settings.SECONDCAREER_RATE_LIMITS = {"booking_ip": None}
    assert ratelimit.limit_for("booking_ip") is None
    assert not any(ratelimit.hit("booking_ip", "192.0.2.1") for _ in range(100))
    assert ratelimit.parse_limit("3/day") == ratelimit.Limit(3, 86400)
    with pytest.raises(ValueError):
        ratelimit.parse_limit("3 per day")


def test_the_client_address_comes_from_trusted_proxies_only(settings):
    factory = RequestFactory()
    spoofed = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert ratelimit.client_ip(spoofed) == "10.0.0.5"  # no proxy configured: header ignored
    settings.SECONDCAREER_TRUSTED_PROXIES = 1
    assert ratelimit.client_ip(spoofed) == "203.0.113.7"  # what our one proxy saw
    v6 = factory.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    settings.SECONDCAREER_TRUSTED_PROXIES = 0
    assert ratelimit.client_ip(v6) == "2001:db8:1:2::/64"


def test_sending_the_name_form_too_often_is_limited_too(client, kobe, settings):
    settings.SECONDCAREER_RATE_LIMITS = {"booking_form_ip": "2/hour"}
    start = _starts(kobe, 1)[0]
    url = reverse("booking_public:details", args=["kobe"])
    data = {"service": "online", "start": start.isoformat(), **_person(0, "090-4000-0001")}

    answers = [client.post(url, data).status_code for _ in range(3)]

    assert answers == [302, 302, 429]


def test_every_limit_has_a_default():
    assert set(ratelimit.DEFAULT_LIMITS) == {"booking_ip", "booking_phone", "booking_form_ip"}
    for scope in ratelimit.DEFAULT_LIMITS:
        assert ratelimit.limit_for(scope) is not None
