"""Staff open a booking, cancel it, move it to another free slot, and record after the
start whether the seeker came."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from secondcareer.booking.forms import slot_value
from secondcareer.booking.models import Channel, Reservation, ReservationStatus
from secondcareer.booking.selectors import Availability, availability
from secondcareer.booking.services import reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditEntry
from secondcareer.people.models import Role, User
from secondcareer.people.services import staff_create
from secondcareer.programs.models import Program, Venue


@pytest.fixture
def lark(saitama: Program) -> Venue:
    return Venue.objects.get(program=saitama, code="lark_tokorozawa")


@pytest.fixture
def desk(saitama: Program):  # type: ignore[no-untyped-def]
    return staff_create(username="desk", password=None, program=saitama, role=Role.RECEPTION)


def free_slots(program: Program, venue: Venue, start: dt.date, days: int) -> list[Availability]:
    return [
        a
        for a in availability(
            program=program,
            service_code="consultation",
            start=start,
            end=start + dt.timedelta(days=days),
            venue=venue,
        )
        if a.free > 0
    ]


def book(program: Program, slot: Availability, venue: Venue, *, now=None, **seeker):  # type: ignore[no-untyped-def]
    return reservation_create(
        program=program,
        seeker=register_seeker(program, birth_date=dt.date(1958, 4, 5), **seeker),
        service=program.services.get(code="consultation"),
        venue=venue,
        start=slot.slot.start,
        method="in_person",
        channel=Channel.PHONE,
        now=now,
    )


@pytest.fixture
def booking(saitama: Program, lark: Venue) -> Reservation:
    slot = free_slots(saitama, lark, timezone.localdate() + dt.timedelta(days=1), 13)[0]
    return book(saitama, slot, lark)


def detail(reservation: Reservation) -> str:
    return reverse("booking_staff:reservation_detail", args=["saitama", reservation.pk])


def test_the_detail_shows_the_booking_and_writes_an_audit_entry(desk, booking, client_for):
    body = client_for(desk).get(detail(booking)).content.decode()
    assert "山田 太郎" in body and "ラーク所沢" in body and "予約済み" in body
    assert "この予約を取り消す" in body and "日時を変更する" in body
    assert "来談済みにする" not in body  # not before the start
    assert AuditEntry.objects.filter(action="view", object_id=str(booking.seeker_id)).exists()


def test_cancelling_needs_the_confirmation_tick(desk, booking, client_for):
    url = reverse("booking_staff:reservation_cancel", args=["saitama", booking.pk])
    response = client_for(desk).post(url)
    assert "取消の前に、ご本人の意思を確認してチェックしてください。" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == ReservationStatus.CONFIRMED


def test_cancelling_frees_the_seat_at_once(saitama, lark, desk, booking, client_for):
    url = reverse("booking_staff:reservation_cancel", args=["saitama", booking.pk])
    response = client_for(desk).post(url, {"confirmed": "on"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == ReservationStatus.CANCELLED
    day = booking.starts_at.astimezone(TOKYO).date()
    slot = next(
        a
        for a in availability(
            program=saitama, service_code="consultation", start=day, end=day, venue=lark
        )
        if a.slot.start == booking.starts_at
    )
    assert slot.free == 1


def test_rescheduling_moves_the_booking_to_a_free_slot(saitama, lark, desk, booking, client_for):
    client = client_for(desk)
    url = reverse("booking_staff:reservation_reschedule", args=["saitama", booking.pk])
    page = client.get(url)
    new_value = page.context["groups"][0]["slots"][0]["value"]
    assert f'value="{new_value}"' in page.content.decode()

    response = client.post(url, {"start": new_value, "venue": lark.code})
    booking.refresh_from_db()
    moved = booking.rescheduled_to
    assert response.status_code == 302
    assert response["Location"] == detail(moved)
    assert booking.status == ReservationStatus.CANCELLED
    assert moved.status == ReservationStatus.CONFIRMED and slot_value(moved.starts_at) == new_value
    followed = client.get(response["Location"]).content.decode()
    assert "予約を変更しました。" in followed and "山田太郎様、" in followed


def test_rescheduling_into_a_slot_taken_meanwhile_keeps_the_old_booking(
    saitama, lark, desk, booking, client_for
):
    taken = next(
        a
        for a in free_slots(saitama, lark, timezone.localdate() + dt.timedelta(days=1), 13)
        if a.slot.start != booking.starts_at
    )
    book(
        saitama, taken, lark, family="佐藤", given="花子", family_kana="サトウ", given_kana="ハナコ"
    )
    url = reverse("booking_staff:reservation_reschedule", args=["saitama", booking.pk])
    response = client_for(desk).post(url, {"start": slot_value(taken.slot.start)})
    assert response.status_code == 409
    assert "申し訳ありません、満席になりました" in response.content.decode()
    assert response.context["alternatives"]
    booking.refresh_from_db()
    assert booking.status == ReservationStatus.CONFIRMED and booking.rescheduled_to is None


def test_attendance_can_be_recorded_once_the_slot_has_started(saitama, lark, desk, client_for):
    today = timezone.localdate()
    past = free_slots(saitama, lark, today - dt.timedelta(days=14), 13)[0]
    reservation = book(saitama, past, lark, now=past.slot.start - dt.timedelta(days=1))
    client = client_for(desk)
    assert "来談済みにする" in client.get(detail(reservation)).content.decode()

    url = reverse("booking_staff:reservation_outcome", args=["saitama", reservation.pk])
    assert client.post(url, {"outcome": "attended"}).status_code == 302
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.ATTENDED
    # A mistake can be corrected.
    client.post(url, {"outcome": "no_show"})
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.NO_SHOW


def test_attendance_before_the_start_is_refused_with_the_reason(desk, booking, client_for):
    url = reverse("booking_staff:reservation_outcome", args=["saitama", booking.pk])
    response = client_for(desk).post(url, {"outcome": "attended"})
    assert response.status_code == 422
    assert "開始前の予約には記録できません。" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == ReservationStatus.CONFIRMED


def _views_of(reservation: Reservation, user) -> int:  # type: ignore[no-untyped-def]
    return AuditEntry.objects.filter(
        action="view",
        object_type="people.seeker",
        object_id=str(reservation.seeker_id),
        actor_id=user.pk,
    ).count()


def test_every_showing_of_the_reschedule_page_writes_an_audit_entry(
    saitama, lark, desk, booking, client_for
):
    client = client_for(desk)
    url = reverse("booking_staff:reservation_reschedule", args=["saitama", booking.pk])
    page = client.get(url)
    assert "山田 太郎様の予約の日時を変更" in page.content.decode()
    assert _views_of(booking, desk) == 1
    entry = AuditEntry.objects.get(object_id=str(booking.seeker_id), action="view")
    assert entry.path == url and entry.program_slug == "saitama"
    # A refused choice shows the page again: another showing, another entry.
    again = client.post(url, {"start": "not-a-slot", "venue": lark.code})
    assert again.status_code == 200 and "山田 太郎様" in again.content.decode()
    assert _views_of(booking, desk) == 2


def test_the_detail_shown_again_after_a_refused_action_writes_an_audit_entry(
    desk, booking, client_for
):
    url = reverse("booking_staff:reservation_outcome", args=["saitama", booking.pk])
    response = client_for(desk).post(url, {"outcome": "attended"})
    assert response.status_code == 422 and "山田 太郎" in response.content.decode()
    assert _views_of(booking, desk) == 1


def test_the_admin_page_of_a_booking_names_the_seeker_and_writes_an_audit_entry(
    booking, client_for
):
    admin = User.objects.create_superuser("root", password="a-long-admin-passphrase")
    url = reverse("admin:booking_reservation_change", args=[booking.pk])
    page = client_for(admin).get(url)
    assert page.status_code == 200 and "山田 太郎" in page.content.decode()
    assert _views_of(booking, admin) == 1
