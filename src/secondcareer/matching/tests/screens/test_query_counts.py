"""The matching lists' queries: the recommendations and a posting's candidates cost the
same with a few rows or many; the meeting's agenda costs the same whatever the program
holds, two rows or more than a page (the top 3 of all the page's seekers and postings
are read at once by the batch selectors)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from secondcareer.conftest import register_seeker
from secondcareer.devtools.testing.queries import count_queries
from secondcareer.matching.agenda import PAGE_SIZE
from secondcareer.matching.tests.conftest import row
from secondcareer.matching.tests.screens.conftest import World, open_case, save_profile

pytestmark = pytest.mark.django_db


def same_after_growth(client: Client, url: str, grow: Callable[[], object]) -> int:
    """Queries of ``url`` before and after ``grow()``; the GET right after the growth is
    not counted (the engine's arrays are rebuilt once when postings or profiles change,
    as they are after every import)."""
    client.get(url)
    few = count_queries(client, url)
    grow()
    client.get(url)
    many = count_queries(client, url)
    assert few == many, f"{url}: {few} queries with a few rows, {many} with many"
    return many


def seekers(w: World, consultant, count: int, start: int) -> None:  # type: ignore[no-untyped-def]
    for n in range(start, start + count):
        person = register_seeker(
            w.program,
            birth_date=dt.date(1958, 1, 1) + dt.timedelta(days=n),
            given=f"次郎{n}",
            phone=f"080-4000-{n:04d}",
        )
        open_case(w.program, person, consultant)
        save_profile(w.program, person, consultant)


def postings(import_rows, count: int, start: int) -> None:  # type: ignore[no-untyped-def]
    import_rows([row(start + n, 職種=f"経理補助{n}", 仕事内容="経理の補助") for n in range(count)])


def test_the_recommendations_cost_the_same_for_2_or_20_postings(
    world: World, consultant, client_for, import_rows
) -> None:
    url = reverse("matching:recommendations", args=[world.program.slug, world.seeker.pk])
    many = same_after_growth(client_for(consultant), url, lambda: postings(import_rows, 18, 100))
    assert many <= 16, many


def test_a_postings_candidates_cost_the_same_for_1_or_15_seekers(
    world: World, manager, consultant, client_for
) -> None:
    url = reverse("matching:candidates", args=[world.program.slug, world.accounting.pk])
    many = same_after_growth(client_for(manager), url, lambda: seekers(world, consultant, 14, 1))
    assert many <= 18, many


def test_the_meeting_costs_the_same_for_two_rows_or_more_than_a_page(
    world: World, manager, consultant, client_for, import_rows
) -> None:
    seekers(world, consultant, 2, 1)
    postings(import_rows, 2, 100)
    url = reverse("matching:meeting", args=[world.program.slug])
    client = client_for(manager)

    def grow() -> None:
        seekers(world, consultant, PAGE_SIZE + 10, 100)
        postings(import_rows, PAGE_SIZE + 10, 300)

    many = same_after_growth(client, url, grow)
    assert len(client.get(url).context["seekers"]) == PAGE_SIZE
    # The page's own (session, roles, the two lists and their counts, the audit) and
    # the top 3 of all its seekers and all its postings read at once by the batch
    # selectors (seekers_matches, postings_matches): the feed's version, the weights,
    # the profiles, the decisions, the rows shown.
    assert many <= 26, many
