"""A seeker's recommendations page: postings best first with a percentage, reasons and
gaps as lists; pin (goes first), hide (gone, shown again under 「非表示を表示」) and undo,
each a POST that comes back to the list; one audit entry per showing; no profile says
so and links to the form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondcareer.core.models import AuditEntry
from secondcareer.matching.models import MatchDecision
from secondcareer.matching.tests.screens.conftest import World

pytestmark = pytest.mark.django_db


def url(w: World, **query: str) -> str:
    base = reverse("matching:recommendations", args=[w.program.slug, w.seeker.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def decide(client, w: World, posting, choice: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("matching:decide", args=[w.program.slug, w.seeker.pk, posting.pk]),
        {"choice": choice, **extra},
    )


def order(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.posting.number for m, _pct, _line in page.context["rows"]]


def test_the_list_shows_matches_best_first_with_a_percentage_reasons_and_gaps(
    world: World, consultant, client_for
) -> None:
    client = client_for(consultant)
    page = client.get(url(world))
    assert page.status_code == 200
    body = page.content.decode()
    # The wished 経理事務 first; the 週5日 and the unreachable island are filtered out.
    assert order(page) == [world.accounting.number, world.cleaning.number]
    assert "経理事務" in body and "清掃スタッフ" in body
    assert "警備員" not in body and "漁港の作業" not in body
    assert "適合度" in body and "%" in body
    assert "希望の職種です" in body
    assert "時給が希望より100円低い" in body  # 1,000円 from, against a wish of 1,100円
    assert '<ul class="reasons">' in body and '<ul class="gaps">' in body
    assert "上に固定" in body and "非表示にする" in body


def test_pin_goes_first_hide_goes_away_and_undo_brings_it_back(
    world: World, consultant, client_for
) -> None:
    client = client_for(consultant)
    pinned = decide(client, world, world.cleaning, "pin")
    assert pinned.status_code == 302 and pinned["Location"] == url(world)
    page = client.get(url(world))
    assert order(page) == [world.cleaning.number, world.accounting.number]
    assert "「清掃スタッフ」を上に固定しました。" in page.content.decode()
    assert "固定をやめる" in page.content.decode()

    decide(client, world, world.accounting, "hide")
    assert order(client.get(url(world))) == [world.cleaning.number]
    shown = client.get(url(world, hidden="1"))
    assert order(shown) == [world.cleaning.number, world.accounting.number]
    assert "非表示をやめる" in shown.content.decode()

    back = decide(client, world, world.accounting, "clear", hidden="1")
    assert back["Location"] == url(world, hidden="1")
    decide(client, world, world.cleaning, "clear")
    assert order(client.get(url(world))) == [world.accounting.number, world.cleaning.number]
    assert not MatchDecision.objects.exists()


def test_a_decision_tells_what_was_done_in_japanese(world: World, consultant, client_for) -> None:
    client = client_for(consultant)
    page = client.post(
        reverse("matching:decide", args=[world.program.slug, world.seeker.pk, world.cleaning.pk]),
        {"choice": "pin"},
        follow=True,
    )
    assert "「清掃スタッフ」を上に固定しました。" in page.content.decode()
    wrong = client.post(
        reverse("matching:decide", args=[world.program.slug, world.seeker.pk, world.cleaning.pk]),
        {"choice": "star"},
        follow=True,
    )
    assert "操作を選んでください" in wrong.content.decode()
    assert MatchDecision.objects.get().choice == "pin"


def test_every_showing_writes_one_audit_entry_for_the_seeker(
    world: World, consultant, client_for
) -> None:
    client = client_for(consultant)
    client.get(url(world))
    client.get(url(world, hidden="1"))
    entries = AuditEntry.objects.filter(
        object_type="people.seeker", object_id=str(world.seeker.pk), action="view"
    )
    assert entries.count() == 2
    assert {e.actor_id for e in entries} == {consultant.pk}


def test_without_a_profile_the_page_says_so_and_links_to_the_form(
    world: World, consultant, client_for, other_seeker_in_program
) -> None:
    page = client_for(consultant).get(
        reverse("matching:recommendations", args=[world.program.slug, other_seeker_in_program.pk])
    )
    body = page.content.decode()
    assert "希望条件（マッチング用プロフィール）はまだありません" in body
    assert (
        reverse("matching:profile_edit", args=[world.program.slug, other_seeker_in_program.pk])
        in body
    )


def test_the_page_links_each_posting_to_its_candidates(
    world: World, consultant, client_for
) -> None:
    body = client_for(consultant).get(url(world)).content.decode()
    assert reverse("matching:candidates", args=[world.program.slug, world.accounting.pk]) in body
