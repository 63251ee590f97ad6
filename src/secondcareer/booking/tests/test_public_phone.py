"""Wherever the public booking pages say 「お電話で」, they give the centre's booking
dial (from the program's preset) as a link that dials it, with its reception hours."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from secondcareer.booking.tests.test_public_booking import PERSON, free_slots, walk_to_confirm
from secondcareer.programs.models import Program

KOBE_LINK = '<a class="tel" href="tel:+81-78-000-0000">078-000-0000</a>'
KOBE_HOURS = "受付時間: 平日 9:00〜21:00、土日祝 9:00〜18:00（年末年始・夏季休業を除く）"
SAITAMA_LINK = '<a class="tel" href="tel:+81-480-00-0000">048-000-0000</a>'


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db: None):
    cache.clear()
    yield
    cache.clear()


def _shows_the_dial(page: str, link: str = KOBE_LINK, hours: str = KOBE_HOURS) -> bool:
    return link in page and hours in page


def test_every_page_of_a_program_gives_the_dial_in_the_footer(client, kobe):
    page = client.get(reverse("booking_public:service", args=["kobe"])).content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert "お電話でもご予約いただけます" in footer and _shows_the_dial(footer)


def test_the_done_page_gives_the_dial_where_it_says_to_phone(client, kobe):
    slot = free_slots(kobe, "online")[0]
    walk_to_confirm(client, kobe, "online", slot.slot.start, method="phone")
    done = client.post(reverse("booking_public:confirm", args=["kobe"]), follow=True)
    page = done.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert "お電話でご連絡ください" in main and _shows_the_dial(main)


def test_the_slot_gone_and_rejected_pages_give_the_dial(client, kobe):
    gone = client.get(
        reverse("booking_public:details", args=["kobe"]),
        {"service": "online", "start": "2000-01-01T10:00:00+09:00"},
    ).content.decode()
    assert "この時間は予約できません" in gone
    assert _shows_the_dial(gone[gone.index("<main") : gone.index("</main>")])

    slot = free_slots(kobe, "online")[0]
    rejected = client.post(
        reverse("booking_public:details", args=["kobe"]),
        {
            "service": "online",
            "start": slot.slot.start.isoformat(),
            "method": "phone",
            **PERSON,
            "website": "http://spam.example",
        },
    ).content.decode()
    assert "お電話でご予約ください" in rejected
    assert _shows_the_dial(rejected[rejected.index("<main") : rejected.index("</main>")])


def test_the_rate_limited_page_gives_the_dial(client, kobe, settings):
    settings.SECONDCAREER_RATE_LIMITS = {"booking_form_ip": "1/hour"}
    slot = free_slots(kobe, "online")[0]
    url = reverse("booking_public:details", args=["kobe"])
    data = {"service": "online", "start": slot.slot.start.isoformat(), "method": "phone", **PERSON}
    client.post(url, data)
    limited = client.post(url, data)
    assert limited.status_code == 429
    page = limited.content.decode()
    assert "お電話でご予約ください" in page
    assert _shows_the_dial(page[page.index("<main") : page.index("</main>")])


def test_the_index_gives_each_programs_own_dial(client, kobe, saitama):
    page = client.get(reverse("booking_public:index")).content.decode()
    assert KOBE_LINK in page and SAITAMA_LINK in page
    assert "受付時間: 月〜金 9:00〜17:00" in page


def test_a_program_without_a_published_number_shows_no_dial(client, kobe):
    Program.objects.filter(pk=kobe.pk).update(contact_phone="", contact_hours="")
    page = client.get(reverse("booking_public:service", args=["kobe"])).content.decode()
    assert "tel:" not in page and "予約ダイヤル" not in page


def test_the_line_registration_and_link_pages_give_the_dial(client, kobe):
    for name in ("line:register", "line:link"):
        page = client.get(reverse(name, args=["kobe"])).content.decode()
        assert "お電話でもご予約いただけます" in page, name
        assert _shows_the_dial(page), name
