"""The cancel link on the confirmation page: it shows the booking and asks before it
cancels anything."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from secondcareer.booking.models import Reservation
from secondcareer.booking.selectors import availability
from secondcareer.booking.services import booking_policy, reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.programs.models import Program


@pytest.fixture
def booking(kobe: Program) -> Reservation:
    """A web booking of an online consultation a few days ahead."""
    today = timezone.localdate()
    slot = next(
        a
        for a in availability(
            program=kobe,
            service_code="online",
            start=today + dt.timedelta(days=2),
            end=today + dt.timedelta(days=20),
        )
        if a.free > 0
    )
    seeker = register_seeker(kobe, birth_date=dt.date(1957, 7, 7))
    return reservation_create(
        program=kobe,
        seeker=seeker,
        service=kobe.services.get(code="online"),
        start=slot.slot.start,
        method="phone",
        channel="web",
    )


def _free_seats(reservation: Reservation) -> int:
    day = reservation.starts_at.astimezone(dt.timezone(dt.timedelta(hours=9))).date()
    rows = availability(program=reservation.program, service_code="online", start=day, end=day)
    return next(a.free for a in rows if a.slot.start == reservation.starts_at)


def test_opening_the_cancel_link_asks_before_cancelling(client, booking):
    response = client.get(reverse("booking_public:cancel", args=[booking.cancel_token]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "この予約を取り消しますか" in page
    assert 'method="post"' in page and "予約を取り消す" in page
    assert "山田" not in page and "090" not in page  # the link shows no personal data
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_confirming_cancels_the_booking_and_frees_the_seat(client, booking):
    assert _free_seats(booking) == 0

    response = client.post(reverse("booking_public:cancel", args=[booking.cancel_token]))

    assert response.status_code == 200
    assert "予約を取り消しました" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert _free_seats(booking) == 1


def test_a_cancelled_booking_says_so_instead_of_cancelling_again(client, booking):
    url = reverse("booking_public:cancel", args=[booking.cancel_token])
    client.post(url)

    again = client.post(url)

    assert again.status_code == 200
    assert "すでに取り消されています" in again.content.decode()


def test_an_unknown_cancel_link_is_a_404(client, booking):
    response = client.get(reverse("booking_public:cancel", args=["no-such-token"]))

    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_after_the_cancel_cutoff_the_page_asks_to_phone(client, booking):
    policy = booking_policy(booking.program)
    policy.cancel_cutoff_minutes = 60 * 24 * 40  # the booking is now past its cutoff
    policy.save()

    response = client.post(reverse("booking_public:cancel", args=[booking.cancel_token]))

    assert response.status_code == 422
    assert "お電話でご連絡ください" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_the_cancel_form_needs_its_csrf_token(booking):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("booking_public:cancel", args=[booking.cancel_token]))

    assert response.status_code == 403
    booking.refresh_from_db()
    assert booking.status == "confirmed"
