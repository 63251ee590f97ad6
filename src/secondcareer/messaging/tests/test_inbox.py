"""The staff inquiry inbox: every open inquiry reachable page by page, the soonest
deadline first, the counts a consultant needs on the first page, and a constant number
of queries however many inquiries there are."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from secondcareer.core.jpcalendar import TOKYO
from secondcareer.messaging.models import Inquiry
from secondcareer.messaging.selectors import INBOX_PAGE_SIZE
from secondcareer.messaging.services import inquiry_answer, inquiry_open

LINK = re.compile(r'href="/staff/inquiries/(\d+)/"')


def _open_many(program, count: int, *, first_due: dt.datetime) -> list[Inquiry]:
    """``count`` open inquiries, each due 5 minutes after the previous one."""
    opened = []
    for i in range(count):
        asked_at = first_due - dt.timedelta(hours=24) + dt.timedelta(minutes=5 * i)
        inquiry, _replies = inquiry_open(
            program=program, question=f"質問その{i}", reason="requested", now=asked_at
        )
        opened.append(inquiry)
    return opened


def _listed(client, query: str = "") -> tuple[list[int], str]:
    page = client.get(f"/staff/inquiries/{query}")
    assert page.status_code == 200
    html = page.content.decode()
    return [int(pk) for pk in LINK.findall(html)], html


def _all_pages(client, show: str = "open") -> list[int]:
    seen: list[int] = []
    number = 1
    while True:
        ids, html = _listed(client, f"?show={show}&page={number}")
        seen += ids
        if 'rel="next"' not in html:
            return seen
        number += 1


def test_320_open_inquiries_are_all_reachable_and_the_total_is_shown(
    program, consultant, client_for
):
    now = timezone.now()
    opened = _open_many(program, 320, first_due=now - dt.timedelta(hours=2))
    client = client_for(consultant)

    ids, first_page = _listed(client)
    assert "全320件のうち 1〜50件目" in first_page
    assert len(ids) == INBOX_PAGE_SIZE
    seen = _all_pages(client)
    assert sorted(seen) == sorted(i.pk for i in opened)  # every one, none twice
    # The newest ones — those the old 200-row cut hid — are on the last page.
    assert opened[-1].pk in seen[-INBOX_PAGE_SIZE:]
    _ids, last = _listed(client, "?page=7")
    assert "全320件のうち 301〜320件目" in last


def test_overdue_and_soonest_deadlines_come_first(program, consultant, client_for):
    now = timezone.now()
    later, _ = inquiry_open(program=program, question="あとの質問", reason="requested", now=now)
    overdue, _ = inquiry_open(
        program=program, question="期限切れ", reason="requested", now=now - dt.timedelta(hours=30)
    )
    soon, _ = inquiry_open(
        program=program, question="もうすぐ", reason="requested", now=now - dt.timedelta(hours=23)
    )
    ids, html = _listed(client_for(consultant))
    assert ids == [overdue.pk, soon.pk, later.pk]
    assert html.count("期限超過</strong>") == 1


def test_with_answered_ones_shown_the_open_ones_still_come_first(program, consultant, client_for):
    now = timezone.now()
    answered, _ = inquiry_open(
        program=program, question="先の質問", reason="requested", now=now - dt.timedelta(hours=40)
    )
    inquiry_answer(
        inquiry=answered,
        actor=consultant,
        answer="お答えします。",
        personal=True,
    )
    still_open, _ = inquiry_open(program=program, question="後の質問", reason="requested", now=now)
    client = client_for(consultant)
    assert _listed(client, "?show=all")[0] == [still_open.pk, answered.pk]
    assert _listed(client)[0] == [still_open.pk]


def test_the_first_page_counts_overdue_and_due_today(program, consultant, client_for):
    now = timezone.now()
    local = now.astimezone(TOKYO)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=TOKYO)
    _open_many(program, 3, first_due=now - dt.timedelta(hours=3))  # all overdue
    minutes_left = (midnight - now).total_seconds() / 60
    due_today = 2 if minutes_left > 12 else 0
    if due_today:
        _open_many(program, 2, first_due=now + dt.timedelta(minutes=1))
    _open_many(program, 4, first_due=midnight + dt.timedelta(hours=1))  # tomorrow
    _ids, html = _listed(client_for(consultant))
    text = re.sub(r"<[^>]+>", "", html)
    text = re.sub(r"\s+", " ", text)
    assert f"未回答 {3 + due_today + 4}件" in text
    assert "うち期限超過 3件" in text
    assert f"うち今日が期限 {due_today}件" in text


@pytest.mark.parametrize("count", [5, 260])
def test_the_inbox_runs_the_same_number_of_queries_for_5_or_260_inquiries(
    program, consultant, client_for, django_assert_num_queries, count
):
    _open_many(program, count, first_due=timezone.now() - dt.timedelta(hours=1))
    client = client_for(consultant)
    client.get("/staff/inquiries/")  # warm the session and the permission caches
    # session + user, the second-factor device of the verified session, programs with
    # the permission (exists), the counts (one aggregate), the page: its count and its
    # rows with their programs; the navigation bar: the user's roles and programs.
    with django_assert_num_queries(9):
        response = client.get("/staff/inquiries/?page=2")
    assert response.status_code == 200


def test_a_page_number_out_of_range_or_not_a_number_shows_a_page(program, consultant, client_for):
    _open_many(program, 3, first_due=timezone.now())
    client = client_for(consultant)
    for query in ("?page=99", "?page=abc", "?page=-1"):
        ids, _html = _listed(client, query)
        assert len(ids) == 3, query
