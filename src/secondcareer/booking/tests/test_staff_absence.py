"""A manager (or the consultant themselves) marks a consultant absent for a day; the
screen lists their bookings with the colleagues free to take each, and reassigns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from secondcareer.booking.models import Channel, Reservation
from secondcareer.booking.selectors import absence_cover_options, availability
from secondcareer.booking.services import consultant_absence_mark, reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditEntry
from secondcareer.people.models import Role, User
from secondcareer.people.services import staff_create
from secondcareer.programs.models import Program, Venue
from secondcareer.scheduling.models import ExceptionKind, ShiftException
from secondcareer.scheduling.services import shift_pattern_create


@pytest.fixture
def lark(saitama: Program) -> Venue:
    return Venue.objects.get(program=saitama, code="lark_tokorozawa")


def consultant(program: Program, username: str, name: str) -> User:
    return staff_create(
        username=username, password=None, program=program, role=Role.CONSULTANT, display_name=name
    )


@pytest.fixture
def tanaka(saitama: Program) -> User:
    return consultant(saitama, "tanaka", "田中 一")


@pytest.fixture
def kimura(saitama: Program) -> User:
    return consultant(saitama, "kimura", "木村 二郎")


@pytest.fixture
def manager(saitama: Program) -> User:
    return staff_create(username="mgr", password=None, program=saitama, role=Role.MANAGER)


@pytest.fixture
def westa(saitama: Program) -> Venue:
    return Venue.objects.get(program=saitama, code="westa_kawagoe")


@pytest.fixture
def booking(saitama: Program, lark: Venue, westa: Venue, tanaka: User, kimura: User) -> Reservation:
    """田中 is on duty at ラーク所沢 on a day ウェスタ川越 is open too (Thursday or
    Friday) and holds a booking; 木村 is off duty that day, so free to cover."""
    today = timezone.localdate()
    window = {"start": today + dt.timedelta(days=1), "end": today + dt.timedelta(days=14)}
    at_westa = {
        a.slot.start
        for a in availability(program=saitama, service_code="consultation", venue=westa, **window)
    }
    slot = next(
        a
        for a in availability(program=saitama, service_code="consultation", venue=lark, **window)
        if a.free > 0 and a.slot.start in at_westa
    )
    shift_pattern_create(
        program=saitama,
        consultant=tanaka,
        venue=lark,
        weekday=slot.slot.start.astimezone(TOKYO).weekday(),
        start=dt.time(9, 45),
        end=dt.time(16, 15),
        valid_from=today,
    )
    reservation = reservation_create(
        program=saitama,
        seeker=register_seeker(saitama, birth_date=dt.date(1958, 4, 5)),
        service=saitama.services.get(code="consultation"),
        venue=lark,
        start=slot.slot.start,
        method="in_person",
        channel=Channel.PHONE,
    )
    assert reservation.consultant == tanaka
    return reservation


def day_of(reservation: Reservation) -> dt.date:
    return reservation.starts_at.astimezone(TOKYO).date()


def test_marking_an_absence_lists_the_affected_booking_and_a_free_colleague(
    saitama, manager, tanaka, kimura, booking, client_for
):
    response = client_for(manager).post(
        reverse("booking_staff:absence", args=["saitama"]),
        {"consultant": tanaka.pk, "day": day_of(booking).isoformat(), "note": "体調不良"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert ShiftException.objects.filter(
        consultant=tanaka, day=day_of(booking), kind=ExceptionKind.ABSENT
    ).exists()
    assert "田中 一さんの" in body
    assert "山田 太郎" in body
    assert "木村 二郎さんに引き継ぐ" in body
    [row] = response.context["rows"]
    assert row["reservation"] == booking
    assert [c["user"] for c in row["colleagues"]] == [kimura]


def test_reassigning_gives_the_booking_to_the_colleague_and_shows_what_is_left(
    saitama, manager, tanaka, kimura, booking, client_for
):
    client = client_for(manager)
    client.post(
        reverse("booking_staff:absence", args=["saitama"]),
        {"consultant": tanaka.pk, "day": day_of(booking).isoformat()},
    )
    response = client.post(
        reverse("booking_staff:absence_reassign", args=["saitama"]),
        {"reservation": booking.pk, "consultant": kimura.pk},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.consultant == kimura
    followed = client.get(response["Location"])
    assert "木村 二郎さんに引き継ぎました。" in followed.content.decode()
    assert followed.context["rows"] == []
    assert "この日に引き継ぎが必要な予約はありません。" in followed.content.decode()


def test_reassigning_to_a_colleague_booked_at_the_same_time_is_refused(
    saitama, westa, manager, tanaka, kimura, booking, client_for
):
    # 木村 is on duty at ウェスタ川越 at the same time, with a booking of his own.
    other_venue = westa
    other_day = day_of(booking)
    shift_pattern_create(
        program=saitama,
        consultant=kimura,
        venue=other_venue,
        weekday=other_day.weekday(),
        start=dt.time(9, 45),
        end=dt.time(16, 15),
        valid_from=timezone.localdate(),
    )
    reservation_create(
        program=saitama,
        seeker=register_seeker(
            saitama,
            birth_date=dt.date(1957, 1, 1),
            family="佐藤",
            given="花子",
            family_kana="サトウ",
            given_kana="ハナコ",
            phone="080-2222-3333",
        ),
        service=saitama.services.get(code="consultation"),
        venue=other_venue,
        start=booking.starts_at,
        method="in_person",
        channel=Channel.PHONE,
        consultant_id=kimura.pk,
    )
    response = client_for(manager).post(
        reverse("booking_staff:absence_reassign", args=["saitama"]),
        {"reservation": booking.pk, "consultant": kimura.pk},
    )
    assert response.status_code == 409
    assert "同じ時間に別の予約があります。" in response.content.decode()
    booking.refresh_from_db()
    assert booking.consultant == tanaka


def test_a_consultant_marks_only_their_own_absence(saitama, tanaka, kimura, booking, client_for):
    client = client_for(kimura)
    page = client.get(reverse("booking_staff:absence", args=["saitama"]))
    assert list(page.context["form"].fields["consultant"].queryset) == [kimura]
    response = client.post(
        reverse("booking_staff:absence", args=["saitama"]),
        {"consultant": tanaka.pk, "day": day_of(booking).isoformat()},
    )
    assert response.context["form"].errors["consultant"]
    assert not ShiftException.objects.filter(consultant=tanaka).exists()
    # …nor hand another consultant's booking around.
    response = client.post(
        reverse("booking_staff:absence_reassign", args=["saitama"]),
        {"reservation": booking.pk, "consultant": kimura.pk},
    )
    assert response.status_code == 403


def test_an_absence_in_the_past_is_refused(saitama, manager, tanaka, client_for):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client_for(manager).post(
        reverse("booking_staff:absence", args=["saitama"]),
        {"consultant": tanaka.pk, "day": yesterday.isoformat()},
    )
    assert "過ぎた日の不在は登録できません。" in response.content.decode()


def test_the_read_only_cover_list_matches_what_the_service_returns(
    saitama, tanaka, kimura, booking
):
    day = day_of(booking)
    from_service = consultant_absence_mark(program=saitama, consultant=tanaka, day=day)
    from_selector = absence_cover_options(program=saitama, consultant=tanaka, day=day)
    assert [(o.reservation, o.free_colleagues) for o in from_service] == [
        (o.reservation, o.free_colleagues) for o in from_selector
    ]


def test_the_bookings_to_cover_are_audited_as_shown(saitama, manager, tanaka, booking, client_for):
    client_for(manager).post(
        reverse("booking_staff:absence", args=["saitama"]),
        {"consultant": tanaka.pk, "day": day_of(booking).isoformat()},
    )
    entry = AuditEntry.objects.get(action="view", object_type="people.seeker")
    assert (entry.object_id, entry.actor_id, entry.note) == (
        str(booking.seeker_id),
        manager.pk,
        "absence",
    )


def test_the_reassignment_message_naming_the_seeker_is_audited(
    saitama, manager, tanaka, kimura, booking, client_for
):
    response = client_for(manager).post(
        reverse("booking_staff:absence_reassign", args=["saitama"]),
        {"reservation": booking.pk, "consultant": kimura.pk},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="view", object_type="people.seeker")
    assert entry.object_id == str(booking.seeker_id) and entry.actor_id == manager.pk


def test_an_absence_whose_audit_entry_fails_is_not_recorded_either(
    saitama, tanaka, booking, monkeypatch
):
    from secondcareer.booking import services

    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "audit_log", broken)
    with pytest.raises(RuntimeError):
        consultant_absence_mark(program=saitama, consultant=tanaka, day=day_of(booking))
    assert not ShiftException.objects.filter(consultant=tanaka, kind=ExceptionKind.ABSENT).exists()
