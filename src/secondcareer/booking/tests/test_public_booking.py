"""A seeker books a consultation on the public web pages, start to finish, with plain
HTML forms (the test client runs no JavaScript, like a browser with it switched off)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secondcareer.booking.models import Reservation
from secondcareer.booking.selectors import Availability, availability
from secondcareer.booking.services import reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.people.models import ConsentRecord, Seeker
from secondcareer.programs.models import Program, Venue

PERSON = {
    "family_name": "山田",
    "given_name": "花子",
    "family_name_kana": "やまだ",
    "given_name_kana": "はなこ",
    "birth_year": "1958",
    "birth_month": "4",
    "birth_day": "12",
    "phone": "090-1111-2222",
    "consent": "on",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db: None):
    cache.clear()
    yield
    cache.clear()


def free_slots(program: Program, service: str, venue: Venue | None = None) -> list[Availability]:
    """Free slots from tomorrow on, well inside the web booking notice and window."""
    today = timezone.localdate()
    not_before = timezone.now() + dt.timedelta(days=1)
    return [
        a
        for a in availability(
            program=program,
            service_code=service,
            start=today + dt.timedelta(days=1),
            end=today + dt.timedelta(days=30),
            venue=venue,
        )
        if a.free > 0 and a.slot.start > not_before
    ]


def walk_to_confirm(
    client: Client,
    program: Program,
    service: str,
    start: dt.datetime,
    *,
    venue: Venue | None = None,
    person: dict[str, str] = PERSON,
    method: str | None = None,
):
    """Service → (venue) → date → time → details, as a person clicks through them."""
    slug = program.slug
    choice = {"service": service, **({"venue": venue.code} if venue else {})}
    assert client.get(reverse("booking_public:service", args=[slug])).status_code == 200
    dates = client.get(reverse("booking_public:date", args=[slug]), choice)
    assert dates.status_code == 200
    day = start.date().isoformat()
    assert f"date={day}" in dates.content.decode()
    times = client.get(reverse("booking_public:time", args=[slug]), {**choice, "date": day})
    assert quote_plus(start.isoformat()) in times.content.decode()
    details_url = reverse("booking_public:details", args=[slug])
    form = client.get(details_url, {**choice, "start": start.isoformat()})
    assert form.status_code == 200
    data = {**choice, "start": start.isoformat(), **person}
    if method:
        data["method"] = method
    posted = client.post(details_url, data)
    assert posted.status_code == 302, posted.content.decode()
    assert posted["Location"] == reverse("booking_public:confirm", args=[slug])
    return client.get(posted["Location"])


def test_a_new_seeker_books_an_online_consultation_from_start_to_finish(client, kobe):
    slot = free_slots(kobe, "online")[0]
    confirm = walk_to_confirm(client, kobe, "online", slot.slot.start, method="phone")
    page = confirm.content.decode()
    assert "まだ予約は完了していません" in page
    assert "山田 花子" in page and "ヤマダ ハナコ" in page and "昭和33年4月12日" in page

    done = client.post(reverse("booking_public:confirm", args=["kobe"]), follow=True)

    page = done.content.decode()
    assert done.status_code == 200
    assert "予約が完了しました" in page
    local = slot.slot.start.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert f"{local.year}年{local.month}月{local.day}日" in page
    assert f"{local:%H:%M}〜" in page
    reservation = Reservation.objects.get()
    assert (reservation.channel, reservation.method, reservation.status) == (
        "web",
        "phone",
        "confirmed",
    )
    assert f"/book/cancel/{reservation.cancel_token}/" in page
    seeker = reservation.seeker
    assert seeker.registration_channel == "web"
    assert (seeker.family_name_kana, seeker.phone) == ("ヤマダ", "090-1111-2222")
    consent = ConsentRecord.objects.get(seeker=seeker)
    assert (consent.kind, consent.version, consent.method, consent.granted) == (
        "privacy",
        "1",
        "web_form",
        True,
    )


def test_a_returning_seeker_is_recognised_instead_of_registered_twice(client, kobe):
    known = register_seeker(
        kobe,
        birth_date=dt.date(1958, 4, 12),
        family="山田",
        given="花子",
        family_kana="ヤマダ",
        given_kana="ハナコ",
        phone="09011112222",
    )
    slot = free_slots(kobe, "online")[0]
    # Full-width digits and hiragana: matched after the same normalisation as at registration.
    person = {**PERSON, "phone": "０９０－１１１１－２２２２", "family_name": "山田"}
    walk_to_confirm(client, kobe, "online", slot.slot.start, person=person, method="video")

    client.post(reverse("booking_public:confirm", args=["kobe"]))

    assert Seeker.objects.filter(program=kobe).count() == 1
    assert Reservation.objects.get().seeker == known
    assert known.consents.filter(method="web_form", kind="privacy").exists()


def test_someone_with_another_birth_date_is_registered_as_a_new_seeker(client, kobe):
    register_seeker(
        kobe,
        birth_date=dt.date(1950, 1, 1),
        family_kana="ヤマダ",
        given_kana="ハナコ",
        phone="090-1111-2222",
    )
    slot = free_slots(kobe, "online")[0]
    walk_to_confirm(client, kobe, "online", slot.slot.start, method="chat")

    client.post(reverse("booking_public:confirm", args=["kobe"]))

    assert Seeker.objects.filter(program=kobe).count() == 2


def test_a_venue_service_asks_for_the_venue_and_shows_its_address(client, saitama):
    service_page = client.get(reverse("booking_public:service", args=["saitama"])).content.decode()
    assert reverse("booking_public:venue", args=["saitama"]) in service_page
    # A date page without a venue sends the person back to choose one.
    no_venue = client.get(
        reverse("booking_public:date", args=["saitama"]), {"service": "consultation"}
    )
    assert no_venue.status_code == 302 and "/venue/" in no_venue["Location"]
    lark = Venue.objects.get(program=saitama, code="lark_tokorozawa")
    venues = client.get(
        reverse("booking_public:venue", args=["saitama"]), {"service": "consultation"}
    )
    assert "ラーク所沢" in venues.content.decode()
    slot = free_slots(saitama, "consultation", lark)[0]

    walk_to_confirm(client, saitama, "consultation", slot.slot.start, venue=lark)
    done = client.post(reverse("booking_public:confirm", args=["saitama"]), follow=True)

    page = done.content.decode()
    assert "ラーク所沢" in page and "所沢市花園2-2400-4" in page
    reservation = Reservation.objects.get()
    assert (reservation.venue, reservation.method) == (lark, "in_person")


def test_personal_data_never_travels_in_a_url(client, kobe):
    slot = free_slots(kobe, "online")[0]
    confirm = walk_to_confirm(client, kobe, "online", slot.slot.start, method="phone")
    done = client.post(reverse("booking_public:confirm", args=["kobe"]))
    urls = [confirm.request["PATH_INFO"] + "?" + confirm.request.get("QUERY_STRING", "")]
    urls.append(done["Location"])
    hrefs = re.findall(r'(?:href|action)="([^"]+)"', client.get(done["Location"]).content.decode())
    for url in urls + hrefs:
        for secret in ("090", "1111", "山田", "花子", "やまだ", "ヤマダ", "1958"):
            assert secret not in url


def test_a_full_slot_offers_the_nearest_free_times_and_keeps_what_was_entered(client, kobe):
    slots = free_slots(kobe, "online")
    wanted = slots[1]
    walk_to_confirm(client, kobe, "online", wanted.slot.start, method="phone")
    # Someone on the phone line takes the last seat while the page is open.
    other = register_seeker(kobe, birth_date=dt.date(1955, 5, 5), phone="080-9999-0000")
    reservation_create(
        program=kobe,
        seeker=other,
        service=other.program.services.get(code="online"),
        start=wanted.slot.start,
        method="phone",
        channel="phone",
    )

    full = client.post(reverse("booking_public:confirm", args=["kobe"]))

    page = full.content.decode()
    assert full.status_code == 409
    assert "満席" in page and "申し訳ありません" in page
    offered = re.findall(r'name="start" value="([^"]+)"', page)
    assert offered and wanted.slot.start.isoformat() not in offered
    assert "山田 花子" in page  # what was entered is kept
    assert not Seeker.objects.filter(family_name="山田", given_name="花子").exists()

    booked = client.post(reverse("booking_public:confirm", args=["kobe"]), {"start": offered[0]})

    assert booked.status_code == 302
    mine = Reservation.objects.get(seeker__given_name="花子")
    assert mine.starts_at == dt.datetime.fromisoformat(offered[0])


def test_mistakes_are_explained_next_to_each_field(client, kobe):
    slot = free_slots(kobe, "online")[0]
    data = {
        "service": "online",
        "start": slot.slot.start.isoformat(),
        **PERSON,
        "family_name_kana": "Yamada",
        "phone": "12",
        "birth_month": "2",
        "birth_day": "30",
        "consent": "",
    }

    response = client.post(reverse("booking_public:details", args=["kobe"]), data)

    page = response.content.decode()
    assert response.status_code == 422
    assert 'role="alert"' in page
    assert "ひらがなかカタカナで入力してください" in page
    assert "その月にない日付です" in page
    assert "相談の方法を選んでください" in page
    assert "個人情報の取扱いへの同意が必要です" in page
    assert 'id="id_phone"' in page and 'aria-invalid="true"' in page
    assert 'value="山田"' in page  # what was right stays filled in
    assert "public_booking" not in client.session


def test_an_age_the_service_refuses_is_shown_on_the_form(client, kobe):
    today = timezone.localdate()
    if (today.month, today.day) == (12, 31):
        pytest.skip("on 31 December everyone born that day 15 years ago is 15")
    slot = free_slots(kobe, "online")[0]
    person = {**PERSON, "birth_year": str(today.year - 15), "birth_month": "12", "birth_day": "31"}
    walk_to_confirm(client, kobe, "online", slot.slot.start, person=person, method="phone")

    response = client.post(reverse("booking_public:confirm", args=["kobe"]))

    assert response.status_code == 422
    assert "15歳以上の方がご利用いただけます" in response.content.decode()
    assert not Reservation.objects.exists()


def test_the_honeypot_turns_bots_away(client, kobe):
    slot = free_slots(kobe, "online")[0]
    data = {
        "service": "online",
        "start": slot.slot.start.isoformat(),
        "method": "phone",
        **PERSON,
        "website": "http://spam.example",
    }

    response = client.post(reverse("booking_public:details", args=["kobe"]), data)

    assert response.status_code == 400
    assert "public_booking" not in client.session


def test_the_booking_form_needs_its_csrf_token(kobe):
    slot = free_slots(kobe, "online")[0]
    strict = Client(enforce_csrf_checks=True)
    data = {"service": "online", "start": slot.slot.start.isoformat(), "method": "phone", **PERSON}

    assert strict.post(reverse("booking_public:details", args=["kobe"]), data).status_code == 403


def test_the_pages_are_japanese_large_and_need_no_javascript(client, kobe):
    slot = free_slots(kobe, "online")[0]
    pages = [
        client.get(reverse("booking_public:index")),
        client.get(reverse("booking_public:service", args=["kobe"])),
        client.get(reverse("booking_public:date", args=["kobe"]), {"service": "online"}),
        client.get(
            reverse("booking_public:details", args=["kobe"]),
            {"service": "online", "start": slot.slot.start.isoformat()},
        ),
    ]
    for response in pages:
        page = response.content.decode()
        assert response.status_code == 200
        assert '<html lang="ja">' in page
        assert "<script" not in page
        assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
        assert "booking/public.css" in page
        assert 'href="#main"' in page
    form = pages[-1].content.decode()
    assert 'method="post"' in form and "csrfmiddlewaretoken" in form
    for field in ("family_name", "given_name", "family_name_kana", "given_name_kana", "phone"):
        assert f'<label for="id_{field}">' in form
    assert 'autocomplete="tel"' in form and 'type="tel"' in form
    css = (Path(__file__).parents[1] / "static" / "booking" / "public.css").read_text()
    root = re.search(r"html \{ font-size: (\d+)%", css)
    assert root and int(root.group(1)) * 16 / 100 >= 18  # base text at least 18px
    assert "min-height: 3rem" in css  # 60px tap targets at that size


def test_an_unknown_program_or_service_is_a_polite_404(client, kobe):
    missing = client.get(reverse("booking_public:service", args=["sapporo"]))
    assert missing.status_code == 404
    assert "ページが見つかりません" in missing.content.decode()
    wrong = client.get(reverse("booking_public:date", args=["kobe"]), {"service": "karaoke"})
    assert wrong.status_code == 404


def test_a_slot_taken_before_the_details_are_sent_is_said_plainly(client, kobe):
    wanted = free_slots(kobe, "online")[0]
    other = register_seeker(kobe, birth_date=dt.date(1955, 5, 5), phone="080-9999-0000")
    reservation_create(
        program=kobe,
        seeker=other,
        service=kobe.services.get(code="online"),
        start=wanted.slot.start,
        method="phone",
        channel="phone",
    )

    response = client.get(
        reverse("booking_public:details", args=["kobe"]),
        {"service": "online", "start": wanted.slot.start.isoformat()},
    )

    assert "この時間は予約できません" in response.content.decode()


def test_pressing_book_twice_makes_one_booking(client, kobe):
    slot = free_slots(kobe, "online")[0]
    walk_to_confirm(client, kobe, "online", slot.slot.start, method="phone")
    url = reverse("booking_public:confirm", args=["kobe"])

    first, second = client.post(url), client.post(url)

    assert first["Location"] == second["Location"] == reverse("booking_public:done", args=["kobe"])
    assert Reservation.objects.count() == 1


def test_a_venue_service_without_a_venue_goes_back_to_the_venue_step(client, saitama):
    day = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    times = client.get(
        reverse("booking_public:time", args=["saitama"]), {"service": "consultation", "date": day}
    )
    details = client.get(
        reverse("booking_public:details", args=["saitama"]),
        {"service": "consultation", "start": f"{day}T10:00:00+09:00"},
    )

    assert times.status_code == 302 and "/venue/" in times["Location"]
    assert details.status_code == 404
