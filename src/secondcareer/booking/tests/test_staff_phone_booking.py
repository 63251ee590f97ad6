"""Reception books a caller on the phone in three screens: find (or register) the
caller, pick a free slot, confirm; then reads the booking back to them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from secondcareer.booking.forms import parse_birth_date, slot_value
from secondcareer.booking.models import Channel, Reservation
from secondcareer.booking.selectors import Availability, availability
from secondcareer.booking.services import reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.core.jpcalendar import TOKYO, format_datetime_ja
from secondcareer.core.models import AuditEntry
from secondcareer.people.models import ConsentRecord, Role, Seeker
from secondcareer.people.services import staff_create
from secondcareer.programs.models import Program, Venue


@pytest.fixture
def desk(saitama: Program):  # type: ignore[no-untyped-def]
    return staff_create(
        username="saitama-desk", password=None, program=saitama, role=Role.RECEPTION
    )


@pytest.fixture
def caller(saitama: Program) -> Seeker:
    return register_seeker(saitama, birth_date=dt.date(1958, 4, 5))


@pytest.fixture
def lark(saitama: Program) -> Venue:
    return Venue.objects.get(program=saitama, code="lark_tokorozawa")


def first_free(program: Program, service_code: str, venue: Venue | None = None) -> Availability:
    """A free slot between tomorrow and 13 days ahead (inside the phone screen's two
    weeks, wherever the calendar is today)."""
    today = timezone.localdate()
    return next(
        a
        for a in availability(
            program=program,
            service_code=service_code,
            start=today + dt.timedelta(days=1),
            end=today + dt.timedelta(days=13),
            venue=venue,
        )
        if a.free > 0
    )


def same_time_at(program: Program, venue: Venue, other: Venue) -> Availability:
    """A free slot at ``venue`` whose start is also a slot at ``other``."""
    today = timezone.localdate()
    there = {
        a.slot.start
        for a in availability(
            program=program,
            service_code="consultation",
            start=today + dt.timedelta(days=1),
            end=today + dt.timedelta(days=13),
            venue=other,
        )
    }
    return next(
        a
        for a in availability(
            program=program,
            service_code="consultation",
            start=today + dt.timedelta(days=1),
            end=today + dt.timedelta(days=13),
            venue=venue,
        )
        if a.free and a.slot.start in there
    )


def free_at(program: Program, slot: Availability, venue: Venue | None) -> int:
    day = slot.slot.start.astimezone(TOKYO).date()
    rows = availability(
        program=program,
        service_code=slot.slot.service_code,
        start=day,
        end=day,
        venue=venue,
    )
    return next(a.free for a in rows if a.slot.start == slot.slot.start)


def test_reception_books_a_caller_end_to_end_and_reads_the_booking_back(
    saitama, desk, caller, lark, client_for
):
    client = client_for(desk)
    slot = first_free(saitama, "consultation", lark)
    before = free_at(saitama, slot, lark)

    # Screen 1: the caller is found by furigana typed in hiragana.
    found = client.get(reverse("booking_staff:phone_find", args=["saitama"]), {"q": "やまだ"})
    assert found.status_code == 200
    slots_url = reverse("booking_staff:phone_slots", args=["saitama", caller.pk])
    assert slots_url in found.content.decode()

    # Screen 2: the free slots at the chosen venue, as radio buttons.
    page = client.get(slots_url, {"service": "consultation", "venue": lark.code})
    assert page.status_code == 200
    body = page.content.decode()
    assert f'value="{slot_value(slot.slot.start)}"' in body
    assert 'type="radio" name="start"' in body

    # Screen 3: confirm, then book.
    choice = {
        "service": "consultation",
        "venue": lark.code,
        "start": slot_value(slot.slot.start),
        "topic": "job_search",
    }
    confirm_url = reverse("booking_staff:phone_confirm", args=["saitama", caller.pk])
    confirm = client.get(confirm_url, choice)
    assert confirm.status_code == 200
    assert "この内容で予約する" in confirm.content.decode()
    booked = client.post(confirm_url, choice)
    assert booked.status_code == 302

    reservation = Reservation.objects.get(seeker=caller)
    assert booked["Location"] == reverse(
        "booking_staff:phone_done", args=["saitama", reservation.pk]
    )
    assert reservation.channel == Channel.PHONE
    assert reservation.created_by == desk
    assert reservation.topic == "job_search"
    assert free_at(saitama, slot, lark) == before - 1

    done = client.get(booked["Location"]).content.decode()
    when = format_datetime_ja(slot.slot.start.astimezone(TOKYO))
    assert (
        f"山田太郎様、{when}から、ラーク所沢でのご相談を承りました。"
        "当日は利用者カードをお持ちください。"
    ) in done


def test_the_caller_can_be_found_by_phone_number_or_card_number(saitama, desk, caller, client_for):
    client = client_for(desk)
    url = reverse("booking_staff:phone_find", args=["saitama"])
    for query in ["090-1234-5678", "09012345678", caller.card_number]:
        assert "山田 太郎様で予約" in client.get(url, {"q": query}).content.decode()


def test_the_search_box_has_focus_and_finding_nobody_opens_the_registration_form(
    saitama, desk, caller, client_for
):
    body = (
        client_for(desk)
        .get(reverse("booking_staff:phone_find", args=["saitama"]), {"q": "スズキ"})
        .content.decode()
    )
    assert 'name="q"' in body and "autofocus" in body
    assert '<details class="register" open>' in body


def test_a_new_caller_is_registered_inside_the_flow_with_their_verbal_consent(
    saitama, desk, lark, client_for
):
    client = client_for(desk)
    response = client.post(
        reverse("booking_staff:phone_find", args=["saitama"]),
        {
            "new-family_name": "鈴木",
            "new-given_name": "一郎",
            "new-family_name_kana": "すずき",  # hiragana is stored as katakana
            "new-given_name_kana": "ｲﾁﾛｳ",  # half-width too
            "new-birth_date": "昭和33年4月5日",
            "new-phone": "０４－２９９５－１２３４",
            "new-area": str(saitama.areas.get(code="tokorozawa").pk),
            "new-privacy_consent": "on",
        },
    )
    seeker = Seeker.objects.get(family_name="鈴木")
    assert response.status_code == 302
    assert response["Location"] == reverse("booking_staff:phone_slots", args=["saitama", seeker.pk])
    assert (seeker.family_name_kana, seeker.given_name_kana) == ("スズキ", "イチロウ")
    assert seeker.birth_date == dt.date(1958, 4, 5)
    assert seeker.registration_channel == "phone"
    consent = ConsentRecord.objects.get(seeker=seeker)
    assert (consent.kind, consent.version, consent.method) == ("privacy", "1", "verbal_phone")
    assert consent.recorded_by == desk

    # The next screen preselects the venue in the caller's area (所沢市).
    page = client.get(response["Location"]).content.decode()
    assert "鈴木 一郎様" in page
    assert f'<option value="{lark.code}"' in page
    assert "の空いている日時" in page


def test_registration_without_consent_keeps_what_was_typed_and_says_why(saitama, desk, client_for):
    response = client_for(desk).post(
        reverse("booking_staff:phone_find", args=["saitama"]),
        {
            "new-family_name": "鈴木",
            "new-given_name": "一郎",
            "new-family_name_kana": "スズキ",
            "new-given_name_kana": "イチロウ",
            "new-birth_date": "S33.4.5",
            "new-phone": "04-2995-1234",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "個人情報の取扱いへの同意がないと登録できません。" in body
    assert 'value="鈴木"' in body and '<details class="register" open>' in body
    assert not Seeker.objects.filter(family_name="鈴木").exists()


def test_a_phone_number_the_register_service_refuses_is_shown_on_the_phone_field(
    saitama, desk, client_for
):
    response = client_for(desk).post(
        reverse("booking_staff:phone_find", args=["saitama"]),
        {
            "new-family_name": "鈴木",
            "new-given_name": "一郎",
            "new-family_name_kana": "スズキ",
            "new-given_name_kana": "イチロウ",
            "new-birth_date": "1958-04-05",
            "new-phone": "12345",
            "new-privacy_consent": "on",
        },
    )
    assert response.status_code == 422
    form = response.context["register"]
    assert form.errors["phone"]
    assert 'value="12345"' in response.content.decode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1958-04-05", dt.date(1958, 4, 5)),
        ("1958/4/5", dt.date(1958, 4, 5)),
        ("１９５８年４月５日", dt.date(1958, 4, 5)),
        ("昭和33年4月5日", dt.date(1958, 4, 5)),
        ("S33.4.5", dt.date(1958, 4, 5)),
        ("s33.4.5", dt.date(1958, 4, 5)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("昭和64年1月7日", dt.date(1989, 1, 7)),
    ],
)
def test_birth_dates_are_read_the_way_staff_type_them(text, expected):
    assert parse_birth_date(text) == expected


@pytest.mark.parametrize("text", ["昭和64年2月1日", "平成0年1月1日", "1958-02-30", "5月5日"])
def test_birth_dates_that_do_not_exist_are_refused(text):
    with pytest.raises(ValidationError):
        parse_birth_date(text)


def test_a_slot_taken_meanwhile_says_it_is_full_offers_alternatives_and_keeps_the_input(
    saitama, desk, caller, lark, client_for
):
    slot = first_free(saitama, "consultation", lark)
    other = register_seeker(
        saitama,
        birth_date=dt.date(1957, 1, 1),
        family="佐藤",
        given="花子",
        family_kana="サトウ",
        given_kana="ハナコ",
        phone="080-2222-3333",
    )
    choice = {
        "service": "consultation",
        "venue": lark.code,
        "start": slot_value(slot.slot.start),
        "topic": "interview",
    }
    client = client_for(desk)
    confirm_url = reverse("booking_staff:phone_confirm", args=["saitama", caller.pk])
    assert client.get(confirm_url, choice).status_code == 200
    # Someone else (another line, the web, LINE) takes the last seat first.
    reservation_create(
        program=saitama,
        seeker=other,
        service=saitama.services.get(code="consultation"),
        venue=lark,
        start=slot.slot.start,
        method="in_person",
        channel=Channel.WEB,
    )

    response = client.post(confirm_url, choice)
    body = response.content.decode()
    assert response.status_code == 409
    assert "申し訳ありません、満席になりました" in body
    alternatives = response.context["alternatives"]
    assert alternatives
    for alternative in alternatives:
        assert f'name="start" value="{alternative["value"]}"' in body
    assert 'name="topic" value="interview"' in body  # what was entered is kept
    assert f'name="venue" value="{lark.code}"' in body
    assert not Reservation.objects.filter(seeker=caller).exists()

    # One click on an alternative books it.
    picked = {**choice, "start": alternatives[0]["value"]}
    assert client.post(confirm_url, picked).status_code == 302
    booked = Reservation.objects.get(seeker=caller)
    assert slot_value(booked.starts_at) == alternatives[0]["value"]
    assert booked.topic == "interview"


def test_a_booking_that_overlaps_the_callers_own_is_refused_with_the_reason(
    saitama, desk, caller, lark, client_for
):
    westa = Venue.objects.get(program=saitama, code="westa_kawagoe")
    slot = same_time_at(saitama, lark, westa)  # both open on Thursdays and Fridays
    reservation_create(
        program=saitama,
        seeker=caller,
        service=saitama.services.get(code="consultation"),
        venue=lark,
        start=slot.slot.start,
        method="in_person",
        channel=Channel.PHONE,
    )
    response = client_for(desk).post(
        reverse("booking_staff:phone_confirm", args=["saitama", caller.pk]),
        {"service": "consultation", "venue": westa.code, "start": slot_value(slot.slot.start)},
    )
    assert response.status_code == 409
    assert "同じ時間帯に別のご予約があります。" in response.content.decode()
    assert Reservation.objects.filter(seeker=caller).count() == 1


def test_kobe_online_booking_asks_for_the_method_and_reads_it_back(kobe, client_for):
    desk = staff_create(username="kobe-desk", password=None, program=kobe, role=Role.RECEPTION)
    caller = register_seeker(kobe, birth_date=dt.date(1959, 9, 9))
    slot = first_free(kobe, "online")
    client = client_for(desk)

    page = client.get(
        reverse("booking_staff:phone_slots", args=["kobe", caller.pk]), {"service": "online"}
    ).content.decode()
    for label in ["チャット", "電話", "ビデオ通話"]:
        assert label in page
    assert 'name="venue"' not in page.split("slot-form")[1]  # a remote service has no venue

    url = reverse("booking_staff:phone_confirm", args=["kobe", caller.pk])
    choice = {"service": "online", "start": slot_value(slot.slot.start)}
    missing = client.get(url, choice)
    assert "相談方法を選んでください。" in missing.content.decode()

    response = client.post(url, {**choice, "method": "phone"})
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    when = format_datetime_ja(slot.slot.start.astimezone(TOKYO))
    assert f"山田太郎様、{when}から、電話でのオンライン相談を承りました。" in done
    assert "ご登録の電話番号（090-1234-5678）" in done
    reservation = Reservation.objects.get(seeker=caller)
    assert reservation.method == "phone" and reservation.venue is None
    assert reservation.kind is not None  # the service's first kind by default


def test_choosing_the_caller_writes_an_audit_entry(saitama, desk, caller, client_for):
    client_for(desk).get(reverse("booking_staff:phone_slots", args=["saitama", caller.pk]))
    assert AuditEntry.objects.filter(
        action="view", object_id=str(caller.pk), actor_id=desk.pk
    ).exists()


def test_a_seeker_of_another_program_cannot_be_booked_through_this_program(
    saitama, kobe, desk, client_for
):
    kobe_seeker = register_seeker(kobe, birth_date=dt.date(1959, 9, 9))
    client = client_for(desk)
    for name in ["phone_slots", "phone_confirm"]:
        url = reverse(f"booking_staff:{name}", args=["saitama", kobe_seeker.pk])
        assert client.get(url).status_code == 404


def _seeker_views(seeker: Seeker, user, note: str = "") -> int:  # type: ignore[no-untyped-def]
    return AuditEntry.objects.filter(
        action="view",
        object_type="people.seeker",
        object_id=str(seeker.pk),
        actor_id=user.pk,
        note=note,
    ).count()


def test_the_confirm_screen_writes_an_audit_entry_each_time_it_shows_the_caller(
    saitama, desk, caller, lark, client_for
):
    client = client_for(desk)
    slot = first_free(saitama, "consultation", lark)
    choice = {
        "service": "consultation",
        "venue": lark.code,
        "method": "in_person",
        "start": slot_value(slot.slot.start),
    }
    url = reverse("booking_staff:phone_confirm", args=["saitama", caller.pk])
    page = client.get(url, choice).content.decode()
    assert "山田 太郎様（ヤマダ タロウ）" in page and caller.card_number in page
    assert _seeker_views(caller, desk) == 1
    # A refused booking (the form re-shown with the caller) is another showing.
    refused = client.post(url, {**choice, "start": "2000-01-01T10:00"})
    assert caller.card_number in refused.content.decode()
    assert _seeker_views(caller, desk) == 2


def test_search_results_write_one_audit_entry_per_seeker_listed(saitama, desk, caller, client_for):
    other = register_seeker(
        saitama,
        birth_date=dt.date(1957, 1, 2),
        given="次郎",
        given_kana="ジロウ",
        phone="090-1234-9999",
    )
    stranger = register_seeker(
        saitama,
        birth_date=dt.date(1956, 3, 4),
        family="佐藤",
        family_kana="サトウ",
        phone="090-8888-7777",
    )
    page = client_for(desk).get(
        reverse("booking_staff:phone_find", args=["saitama"]), {"q": "やまだ"}
    )
    body = page.content.decode()
    assert caller.card_number in body and other.card_number in body
    assert _seeker_views(caller, desk, "search") == 1
    assert _seeker_views(other, desk, "search") == 1
    assert _seeker_views(stranger, desk, "search") == 0  # not listed, not audited
