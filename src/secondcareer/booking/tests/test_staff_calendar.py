"""The staff calendar: booked and free per slot, per venue, per remote service and per
consultant, by day or week, with Japanese dates and prev/next navigation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from secondcareer.booking.models import Channel
from secondcareer.booking.selectors import Availability, availability, calendar_cells
from secondcareer.booking.services import reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.core.jpcalendar import TOKYO, format_date_ja
from secondcareer.core.models import AuditEntry
from secondcareer.people.models import Role
from secondcareer.people.services import staff_create
from secondcareer.programs.models import Program, Venue
from secondcareer.programs.services import program_load_preset
from secondcareer.scheduling.services import shift_pattern_create


@pytest.fixture
def lark(saitama: Program) -> Venue:
    return Venue.objects.get(program=saitama, code="lark_tokorozawa")


def first_free(program: Program, service_code: str, venue: Venue | None = None) -> Availability:
    today = timezone.localdate()
    return next(
        a
        for a in availability(
            program=program,
            service_code=service_code,
            start=today + dt.timedelta(days=1),
            end=today + dt.timedelta(days=14),
            venue=venue,
        )
        if a.free > 0
    )


def book(program: Program, slot: Availability, venue: Venue | None, **seeker):  # type: ignore[no-untyped-def]
    return reservation_create(
        program=program,
        seeker=register_seeker(program, birth_date=dt.date(1958, 4, 5), **seeker),
        service=program.services.get(code=slot.slot.service_code),
        venue=venue,
        start=slot.slot.start,
        method=slot.slot.methods[0],
        channel=Channel.PHONE,
    )


def test_the_day_view_of_a_venue_shows_the_booked_slot_with_the_name_and_the_free_ones(
    saitama, lark, client_for
):
    desk = staff_create(username="desk", password=None, program=saitama, role=Role.RECEPTION)
    slot = first_free(saitama, "consultation", lark)
    reservation = book(saitama, slot, lark)
    day = slot.slot.start.astimezone(TOKYO).date()

    response = client_for(desk).get(
        reverse("booking_staff:calendar", args=["saitama"]),
        {"target": f"venue:consultation:{lark.code}", "date": day.isoformat()},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert format_date_ja(day) in body  # 2026年12月3日(木)
    assert "山田 太郎様" in body
    assert reverse("booking_staff:reservation_detail", args=["saitama", reservation.pk]) in body
    assert "満席（1/1）" in body
    assert "空き1（定員1）" in body  # the day's other four slots


def test_the_week_view_shows_seven_days_from_monday_and_moves_by_a_week(saitama, lark, client_for):
    manager = staff_create(username="mgr", password=None, program=saitama, role=Role.MANAGER)
    day = dt.date(2027, 1, 14)  # a Thursday; explicit dates work wherever today is
    response = client_for(manager).get(
        reverse("booking_staff:calendar", args=["saitama"]),
        {"view": "week", "target": f"venue:consultation:{lark.code}", "date": day.isoformat()},
    )
    body = response.content.decode()
    assert len(response.context["days"]) == 7
    assert response.context["days"][0]["date"] == dt.date(2027, 1, 11)  # 成人の日, Monday
    assert "2027年1月11日(月)〜2027年1月17日(日)の予約" in body
    assert "date=2027-01-07" in response.context["prev_url"]
    assert "date=2027-01-21" in response.context["next_url"]
    # ラーク所沢 opens Thursday to Saturday: five slots each day.
    open_days = [d for d in response.context["days"] if d["cells"]]
    assert [d["date"].weekday() for d in open_days] == [3, 4, 5]
    assert all(len(d["cells"]) == 5 for d in open_days)


def test_the_kobe_online_service_has_its_own_calendar(db, client_for):
    program_load_preset(path_or_name="kobe")
    kobe = Program.objects.get(slug="kobe")
    desk = staff_create(username="kobe-desk", password=None, program=kobe, role=Role.RECEPTION)
    slot = first_free(kobe, "online")
    book(kobe, slot, None)
    day = slot.slot.start.astimezone(TOKYO).date()
    response = client_for(desk).get(
        reverse("booking_staff:calendar", args=["kobe"]),
        {"target": "service:online", "date": day.isoformat()},
    )
    body = response.content.decode()
    assert "オンライン相談" in body
    assert "山田 太郎様" in body
    cells = response.context["days"][0]["cells"]
    assert sum(c["cell"].held for c in cells) == 1


def test_a_consultant_sees_their_own_calendar_first_with_the_slots_they_are_on_duty(
    saitama, lark, client_for
):
    consultant = staff_create(
        username="cc", password=None, program=saitama, role=Role.CONSULTANT, display_name="田中 一"
    )
    slot = first_free(saitama, "consultation", lark)
    day = slot.slot.start.astimezone(TOKYO).date()
    shift_pattern_create(
        program=saitama,
        consultant=consultant,
        venue=lark,
        weekday=day.weekday(),
        start=dt.time(9, 45),
        end=dt.time(16, 15),
        valid_from=timezone.localdate(),
    )
    reservation = book(saitama, slot, lark)
    assert reservation.consultant == consultant

    response = client_for(consultant).get(
        reverse("booking_staff:calendar", args=["saitama"]), {"date": day.isoformat()}
    )
    assert response.context["target_key"] == f"consultant:{consultant.pk}"
    body = response.content.decode()
    assert "田中 一" in body
    assert "山田 太郎様" in body and "ラーク所沢" in body
    cells = response.context["days"][0]["cells"]
    assert len(cells) == 5 and sum(c["cell"].held for c in cells) == 1


def test_calendar_cells_count_the_booking_in_its_slot_and_leave_cancelled_ones_out(saitama, lark):
    from secondcareer.booking.services import reservation_cancel

    slot = first_free(saitama, "consultation", lark)
    reservation = book(saitama, slot, lark)
    day = slot.slot.start.astimezone(TOKYO).date()
    service = saitama.services.get(code="consultation")
    cells = calendar_cells(program=saitama, start=day, end=day, service=service, venue=lark)
    booked = next(c for c in cells if c.start == slot.slot.start)
    assert (booked.held, booked.free, booked.reservations) == (1, 0, (reservation,))

    reservation_cancel(reservation=reservation, channel=Channel.STAFF)
    cells = calendar_cells(program=saitama, start=day, end=day, service=service, venue=lark)
    booked = next(c for c in cells if c.start == slot.slot.start)
    assert (booked.held, booked.free, booked.reservations) == (0, 1, ())


def test_a_bad_date_in_the_address_falls_back_to_today(saitama, client_for):
    desk = staff_create(username="desk", password=None, program=saitama, role=Role.RECEPTION)
    response = client_for(desk).get(
        reverse("booking_staff:calendar", args=["saitama"]), {"date": "2026-13-45", "view": "x"}
    )
    assert response.status_code == 200
    assert response.context["days"][0]["date"] == timezone.localdate()
    assert response.context["view"] == "day"


def test_a_user_with_two_programs_can_switch_between_them(saitama, client_for):
    from secondcareer.people.services import membership_grant

    program_load_preset(path_or_name="kobe")
    kobe = Program.objects.get(slug="kobe")
    desk = staff_create(username="desk", password=None, program=saitama, role=Role.RECEPTION)
    membership_grant(user=desk, program=kobe, role=Role.RECEPTION)
    body = (
        client_for(desk).get(reverse("booking_staff:calendar", args=["saitama"])).content.decode()
    )
    assert reverse("booking_staff:calendar", args=["kobe"]) in body


def test_a_calendar_showing_names_writes_one_audit_entry_per_seeker_shown(
    saitama, lark, client_for
):
    desk = staff_create(username="desk", password=None, program=saitama, role=Role.RECEPTION)
    slot = first_free(saitama, "consultation", lark)
    reservation = book(saitama, slot, lark)
    day = slot.slot.start.astimezone(TOKYO).date()
    url = reverse("booking_staff:calendar", args=["saitama"])
    query = {"target": f"venue:consultation:{lark.code}", "date": day.isoformat()}

    assert "山田 太郎様" in client_for(desk).get(url, query).content.decode()
    entry = AuditEntry.objects.get(action="view", object_type="people.seeker")
    assert entry.object_id == str(reservation.seeker_id)
    assert (entry.actor_id, entry.note, entry.program_slug) == (desk.pk, "calendar", "saitama")
    # A day without bookings shows no names and writes nothing.
    client_for(desk).get(url, {**query, "date": (day + dt.timedelta(days=1)).isoformat()})
    assert AuditEntry.objects.filter(action="view").count() == 1
