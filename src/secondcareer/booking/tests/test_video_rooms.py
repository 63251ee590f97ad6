"""Video consultations: each video booking gets its own unguessable room, whose address
(the program's template) the seeker finds on their booking page and staff in the API;
without a template there is no room link."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from secondcareer.booking.models import Channel, Reservation
from secondcareer.booking.selectors import availability
from secondcareer.booking.services import reservation_create, reservation_reschedule
from secondcareer.conftest import register_seeker
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role, Seeker
from secondcareer.people.services import staff_create
from secondcareer.programs.models import Program
from secondcareer.programs.services import program_load_preset
from secondcareer.programs.tests.test_preset_validator import MINIMAL
from secondcareer.programs.video import room_template_problem

TEMPLATE = "https://meet.example.org/secondcareer/{room}"


def with_rooms(program: Program, template: str = TEMPLATE) -> Program:
    Program.objects.filter(pk=program.pk).update(video_room_url=template)
    program.refresh_from_db()
    return program


def free_starts(program: Program, count: int) -> list[dt.datetime]:
    today = timezone.localdate()
    rows = availability(
        program=program,
        service_code="online",
        start=today + dt.timedelta(days=2),
        end=today + dt.timedelta(days=30),
    )
    return [a.slot.start for a in rows if a.free > 0][:count]


def book(
    program: Program, seeker: Seeker, start: dt.datetime, method: str = "video"
) -> Reservation:
    return reservation_create(
        program=program,
        seeker=seeker,
        service=program.services.get(code="online"),
        start=start,
        method=method,
        channel=Channel.PHONE,
    )


def seekers(program: Program, count: int) -> list[Seeker]:
    return [
        register_seeker(
            program,
            birth_date=dt.date(1955, 1, 1) + dt.timedelta(days=40 * i),
            family_kana="ヤマダ",
            given_kana="タロウ" + "ア" * i,
            phone=f"090-1234-{5600 + i:04d}",
        )
        for i in range(count)
    ]


def test_each_video_booking_gets_its_own_unguessable_room_built_from_the_template(kobe):
    kobe = with_rooms(kobe)
    people = seekers(kobe, 3)
    starts = free_starts(kobe, 3)

    rooms = [book(kobe, p, s) for p, s in zip(people, starts, strict=True)]

    ids = [r.video_room for r in rooms]
    assert len(set(ids)) == 3
    assert all(len(i) >= 22 for i in ids)  # token_urlsafe: ≥ 128 bits in ≥ 22 characters
    for reservation in rooms:
        stored = Reservation.objects.select_related("program").get(pk=reservation.pk)
        assert stored.video_url == f"https://meet.example.org/secondcareer/{stored.video_room}"


def test_a_phone_booking_has_no_room_and_a_program_without_a_template_gives_no_link(kobe):
    person, other = seekers(kobe, 2)
    first, second = free_starts(kobe, 2)

    video = book(kobe, person, first)
    assert video.video_room and video.video_url == ""  # kobe has no template

    phone = book(with_rooms(kobe), other, second, method="phone")
    assert phone.video_room == "" and phone.video_url == ""


def test_moving_a_video_booking_gives_the_new_booking_a_new_room(kobe):
    kobe = with_rooms(kobe)
    (person,) = seekers(kobe, 1)
    first, second = free_starts(kobe, 2)
    old = book(kobe, person, first)

    new = reservation_reschedule(reservation=old, start=second, channel=Channel.STAFF)

    assert new.video_room and new.video_room != old.video_room


def test_the_seeker_page_shows_the_booking_in_japanese_with_the_room_button(client, kobe):
    kobe = with_rooms(kobe)
    (person,) = seekers(kobe, 1)
    reservation = book(kobe, person, free_starts(kobe, 1)[0])

    response = client.get(reverse("booking_public:reservation", args=[reservation.cancel_token]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "年" in page and "月" in page and "日" in page  # 「2026年12月3日(木) 14:00〜15:00」
    assert "ビデオ通話の部屋に入る" in page
    assert f'href="{reservation.video_url}"' in page
    assert "山田" not in page and "090-1234" not in page  # nothing personal on the page
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "booking/public.css" in page  # the seeker pages' stylesheet (large base font)


def test_the_seeker_page_of_a_phone_consultation_says_we_will_call(client, kobe):
    kobe = with_rooms(kobe)
    (person,) = seekers(kobe, 1)
    reservation = book(kobe, person, free_starts(kobe, 1)[0], method="phone")

    page = client.get(
        reverse("booking_public:reservation", args=[reservation.cancel_token])
    ).content.decode()

    assert "ご登録の電話番号へ相談員からお電話します" in page
    assert "meet.example.org" not in page


def test_a_wrong_token_finds_no_booking(client, kobe):
    kobe = with_rooms(kobe)
    (person,) = seekers(kobe, 1)
    reservation = book(kobe, person, free_starts(kobe, 1)[0])

    response = client.get(
        reverse("booking_public:reservation", args=[reservation.cancel_token + "x"])
    )

    assert response.status_code == 404
    assert "meet.example.org" not in response.content.decode()


def test_a_cancelled_booking_no_longer_shows_the_room(client, kobe):
    from secondcareer.booking.services import reservation_cancel

    kobe = with_rooms(kobe)
    (person,) = seekers(kobe, 1)
    reservation = book(kobe, person, free_starts(kobe, 1)[0])
    reservation_cancel(reservation=reservation, channel=Channel.STAFF)

    page = client.get(
        reverse("booking_public:reservation", args=[reservation.cancel_token])
    ).content.decode()

    assert "すでに取り消されています" in page
    assert "meet.example.org" not in page


def test_staff_get_the_room_address_in_the_api(client, kobe):
    kobe = with_rooms(kobe)
    (person,) = seekers(kobe, 1)
    reservation = book(kobe, person, free_starts(kobe, 1)[0])
    sign_in_staff(
        client, staff_create(username="kb-rec", password=None, program=kobe, role=Role.RECEPTION)
    )

    one = client.get(reverse("api:reservation", args=[reservation.pk]))
    day = reservation.starts_at.astimezone(dt.timezone(dt.timedelta(hours=9))).date()
    listed = client.get(
        reverse("api:reservations"),
        {"program": "kobe", "from": day.isoformat(), "to": day.isoformat()},
    )

    assert one.status_code == 200
    assert json.loads(one.content)["video_url"] == reservation.video_url
    assert [r["video_url"] for r in json.loads(listed.content)] == [reservation.video_url]


def test_the_api_gives_no_room_for_other_methods_and_hides_other_programs_bookings(
    client, kobe, saitama
):
    kobe = with_rooms(kobe)
    (person,) = seekers(kobe, 1)
    reservation = book(kobe, person, free_starts(kobe, 1)[0], method="phone")
    sign_in_staff(
        client,
        staff_create(username="st-rec", password=None, program=saitama, role=Role.RECEPTION),
    )
    assert client.get(reverse("api:reservation", args=[reservation.pk])).status_code == 404

    sign_in_staff(
        client, staff_create(username="kb-rec", password=None, program=kobe, role=Role.RECEPTION)
    )
    assert (
        json.loads(client.get(reverse("api:reservation", args=[reservation.pk])).content)[
            "video_url"
        ]
        is None
    )


@pytest.mark.parametrize(
    "template",
    [
        "http://meet.example.org/{room}",  # not https
        "https://meet.example.org/room",  # no {room}
        "https://meet.example.org/{room}/{room}",
        "https://meet.example.org/{room}?name={name}",
        "https://meet.example.org/ {room}",
    ],
)
def test_a_room_template_that_is_not_an_https_address_with_one_room_is_refused(template):
    assert room_template_problem(template) is not None
    with pytest.raises(ValidationError):
        Program(video_room_url=template).clean_fields(
            exclude=[f.name for f in Program._meta.fields if f.name != "video_room_url"]
        )


def test_loading_a_preset_with_video_sets_the_programs_room_template(db, tmp_path):
    path = tmp_path / "testtown.yaml"
    path.write_text(
        MINIMAL + 'video: {room_url: "https://meet.example.org/{room}"}\n', encoding="utf-8"
    )

    program = program_load_preset(path_or_name=str(path)).program

    assert program.video_room_url == "https://meet.example.org/{room}"
    assert program.video_room_link("abc") == "https://meet.example.org/abc"


def test_the_web_booking_done_page_of_a_video_consultation_links_to_the_seeker_page(client, kobe):
    from secondcareer.booking.public_views import DONE_KEY

    kobe = with_rooms(kobe)
    (person,) = seekers(kobe, 1)
    reservation = book(kobe, person, free_starts(kobe, 1)[0])
    session = client.session
    session[DONE_KEY] = reservation.pk
    session.save()

    page = client.get(reverse("booking_public:done", args=["kobe"])).content.decode()

    assert reverse("booking_public:reservation", args=[reservation.cancel_token]) in page
    assert "meet.example.org" not in page  # the room itself only on the seeker page


def test_staff_see_the_room_link_on_the_reservation_page(client_for, kobe):
    kobe = with_rooms(kobe)
    (person,) = seekers(kobe, 1)
    reservation = book(kobe, person, free_starts(kobe, 1)[0])
    reception = staff_create(username="kb-rec2", password=None, program=kobe, role=Role.RECEPTION)

    page = (
        client_for(reception)
        .get(reverse("booking_staff:reservation_detail", args=["kobe", reservation.pk]))
        .content.decode()
    )

    assert f'href="{reservation.video_url}"' in page
