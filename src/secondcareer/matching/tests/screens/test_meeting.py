"""The matching meeting (マッチング会議): the agenda of seekers with their top 3
postings and of postings with their top 3 seekers, on a chosen date, paged, printable
(A4, no navigation, the postings on a new page), and as an Excel file whose cells say
the same, with an 出力 audit entry per seeker in it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.urls import reverse
from openpyxl import load_workbook

from secondcareer.conftest import register_seeker
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditEntry
from secondcareer.matching.agenda import PAGE_SIZE
from secondcareer.matching.services import match_decide
from secondcareer.matching.tests.conftest import TODAY, row
from secondcareer.matching.tests.screens.conftest import World, save_profile

pytestmark = pytest.mark.django_db


def url(w: World, **query: str) -> str:
    base = reverse("matching:meeting", args=[w.program.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def xlsx_url(w: World, **query: str) -> str:
    base = reverse("matching:meeting_xlsx", args=[w.program.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_agenda_lists_seekers_with_top_postings_then_postings_with_top_seekers(
    world: World, consultant, client_for
) -> None:
    page = client_for(consultant).get(url(world))
    assert page.status_code == 200
    body = page.content.decode()
    seekers = page.context["seekers"]
    assert [item.seeker for item, _rows in seekers] == [world.seeker]
    shown = [m.posting for m, _pct, _line in seekers[0][1]]
    assert shown == [world.accounting, world.cleaning]  # top 3 at most; two pass the filters
    postings = [item.posting for item, _line, _rows in page.context["postings"]]
    assert set(postings) == {world.cleaning, world.accounting, world.guard, world.island}
    accounting = next(
        rows for item, _l, rows in page.context["postings"] if item.posting == world.accounting
    )
    assert [m.seeker for m, _pct in accounting] == [world.seeker]
    assert body.index("話し合う利用者") < body.index("話し合う求人")
    assert "希望の職種です" in body
    assert "2026年12月3日(木)" in body
    assert 'class="page-break"' in body or "page-break" in body


def test_seekers_with_a_pinned_posting_come_first(
    world: World, consultant, client_for, other_seeker_in_program
) -> None:
    later = dt.datetime.combine(TODAY, dt.time(11), tzinfo=TOKYO)
    with time_machine.travel(later, tick=False):  # updated later: first
        save_profile(world.program, other_seeker_in_program, consultant)
    client = client_for(consultant)
    names = [i.seeker for i, _ in client.get(url(world)).context["seekers"]]
    assert names == [other_seeker_in_program, world.seeker]
    match_decide(
        program=world.program,
        seeker=world.seeker,
        posting=world.cleaning,
        choice="pin",
        by=consultant,
    )
    page = client.get(url(world))
    items = page.context["seekers"]
    assert [i.seeker for i, _ in items] == [world.seeker, other_seeker_in_program]
    assert items[0][0].pinned
    assert "固定あり" in page.content.decode()


def test_seekers_without_an_open_case_or_a_profile_are_not_on_the_agenda(
    world: World, consultant, client_for, other_seeker_in_program
) -> None:
    no_case = register_seeker(
        world.program, birth_date=dt.date(1957, 7, 7), given="四郎", phone="090-7777-0004"
    )
    save_profile(world.program, no_case, consultant)
    page = client_for(consultant).get(url(world))
    assert [i.seeker for i, _ in page.context["seekers"]] == [world.seeker]


def test_the_date_chooses_the_postings_open_that_day(
    world: World, consultant, client_for, import_rows
) -> None:
    import_rows([row(7, 職種="短期の受付", 仕事内容="受付", 紹介期限日="2026/12/10")])
    client = client_for(consultant)
    numbers = lambda page: {i.posting.number for i, _l, _r in page.context["postings"]}  # noqa: E731
    assert "11010-00000007" in numbers(client.get(url(world, date="2026-12-10")))
    later = client.get(url(world, date="2026-12-11"))
    assert "11010-00000007" not in numbers(later)
    assert "2026年12月11日(金)" in later.content.decode()


@pytest.mark.parametrize("bad", ["2026-13-45", "あした", "9999-12-31"])
def test_an_unreadable_date_is_explained_in_japanese_and_today_is_shown(
    world: World, consultant, client_for, bad: str
) -> None:
    page = client_for(consultant).get(url(world, date=bad))
    assert page.status_code == 200
    assert page.context["on"] == TODAY
    assert "年-月-日で指定してください" in page.content.decode()
    assert client_for(consultant).get(xlsx_url(world, date=bad)).status_code == 400


def test_the_lists_are_paged(world: World, manager, client_for, import_rows) -> None:
    import_rows([row(100 + n, 職種=f"軽作業{n}", 仕事内容="検品") for n in range(PAGE_SIZE + 5)])
    client = client_for(manager)
    first = client.get(url(world))
    assert len(first.context["postings"]) == PAGE_SIZE
    assert first.context["posting_page"].paginator.count == PAGE_SIZE + 5 + 4
    second = client.get(url(world, ppage="2"))
    assert len(second.context["postings"]) == 9
    assert "次の求人" in first.content.decode()


def test_the_page_prints_on_a4_without_navigation_and_with_a_break_before_the_postings(
    world: World, consultant, client_for
) -> None:
    body = client_for(consultant).get(url(world)).content.decode()
    assert "matching/matching.css" in body
    css = open(finders.find("matching/matching.css"), encoding="utf-8").read()  # noqa: SIM115
    printing = css[css.index("@media print") :]
    assert "size: A4" in printing
    assert ".staff-nav" in printing and "display: none" in printing
    assert ".page-break { break-before: page" in printing


def test_each_seeker_named_on_the_page_gets_an_audit_entry(
    world: World, consultant, client_for
) -> None:
    client_for(consultant).get(url(world))
    entries = AuditEntry.objects.filter(note="meeting", action="view")
    assert [e.object_id for e in entries] == [str(world.seeker.pk)]


def test_the_excel_file_holds_the_agenda_in_japanese_with_an_export_entry_per_seeker(
    world: World, consultant, client_for
) -> None:
    response = client_for(consultant).get(xlsx_url(world))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "matching-meeting-alpha-2026-12-03.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["利用者", "求人"]
    seekers = book["利用者"]
    assert seekers["A1"].value == "アルファ市セカンドキャリア事業 マッチング会議"
    assert seekers["A2"].value == "2026年12月3日(木) 現在"
    assert [c.value for c in seekers[4]][:6] == [
        "カード番号",
        "氏名",
        "地域",
        "順位",
        "求人番号",
        "事業所名",
    ]
    first = [c.value for c in seekers[5]]
    assert first[1] == world.seeker.full_name
    assert first[3] == 1
    assert first[4] == world.accounting.number
    assert first[6] == "経理事務"
    assert "希望の職種です" in first[10]
    assert "時給が希望より100円低い" in first[11]
    assert seekers.max_row == 6  # two postings for the one seeker
    assert seekers.print_title_rows == "$4:$4"
    postings = book["求人"]
    assert [c.value for c in postings[4]][:3] == ["求人番号", "事業所名", "職種"]
    numbers = [postings.cell(row=r, column=1).value for r in range(5, postings.max_row + 1)]
    assert set(numbers) == {
        p.number for p in (world.cleaning, world.accounting, world.guard, world.island)
    }
    island = next(
        r
        for r in range(5, postings.max_row + 1)
        if postings.cell(row=r, column=1).value == world.island.number
    )
    assert postings.cell(row=island, column=11).value == "候補者なし"
    exports = AuditEntry.objects.filter(action="export", note="matching meeting")
    assert [e.object_id for e in exports] == [str(world.seeker.pk)]


def test_the_same_agenda_gives_the_same_excel_bytes(world: World, consultant, client_for) -> None:
    client = client_for(consultant)
    assert client.get(xlsx_url(world)).content == client.get(xlsx_url(world)).content
