"""The case page shows the seeker's top 5 recommendations with reasons and gaps and a
link to the full list (a panel matching registers with core.panels: consultations does
not import matching); nothing for reception; without a profile, a sentence and the link
to the form. The case page's queries stay fixed whatever the number of postings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondcareer.core.panels import case_panel_names
from secondcareer.devtools.testing.queries import count_queries
from secondcareer.matching.tests.conftest import row
from secondcareer.matching.tests.screens.conftest import World

pytestmark = pytest.mark.django_db


def case_url(w: World, case=None) -> str:  # type: ignore[no-untyped-def]
    return reverse("consultations:case_detail", args=[w.program.slug, (case or w.case).pk])


def test_matching_registers_its_panel_from_its_app_config() -> None:
    assert "matching" in case_panel_names()


def test_the_case_page_shows_the_top_recommendations_with_reasons_gaps_and_a_link(
    world: World, consultant, client_for, import_rows
) -> None:
    import_rows([row(20 + n, 職種=f"経理補助{n}", 仕事内容="経理の補助") for n in range(8)])
    body = client_for(consultant).get(case_url(world)).content.decode()
    panel = body[body.index('id="matching"') : body.index('id="records"')]
    assert "おすすめの求人" in panel
    assert panel.count("<li>") == 5  # the top 5 of 10 that pass
    assert "経理事務" in panel and "適合度" in panel
    assert "希望の職種です" in panel and "時給が希望より100円低い" in panel
    assert reverse("matching:recommendations", args=[world.program.slug, world.seeker.pk]) in panel


def test_without_a_profile_the_panel_says_so_and_links_to_the_form(
    world: World, consultant, client_for, other_seeker_in_program
) -> None:
    from secondcareer.consultations.models import Case

    case = Case.objects.get(seeker=other_seeker_in_program)
    body = client_for(consultant).get(case_url(world, case)).content.decode()
    assert "希望条件（マッチング用プロフィール）がまだ登録されていない" in body
    assert (
        reverse("matching:profile_edit", args=[world.program.slug, other_seeker_in_program.pk])
        in body
    )


def test_reception_sees_the_case_page_without_the_panel(
    world: World, receptionist, job_developer, client_for
) -> None:
    page = client_for(receptionist).get(case_url(world))
    assert page.status_code == 200
    assert 'id="matching"' not in page.content.decode()
    # A job developer sees the panel (matching data, not case notes).
    shown = client_for(job_developer).get(case_url(world)).content.decode()
    assert 'id="matching"' in shown


def test_the_case_page_costs_the_same_queries_with_few_or_many_postings(
    world: World, consultant, client_for, import_rows
) -> None:
    client = client_for(consultant)
    client.get(case_url(world))  # warm the session, the permissions and the feed
    few = count_queries(client, case_url(world))
    import_rows([row(40 + n, 職種=f"経理補助{n}", 仕事内容="経理の補助") for n in range(12)])
    client.get(case_url(world))  # the feed is rebuilt once after an import
    many = count_queries(client, case_url(world))
    assert few == many
    # The case page's 18 and the panel's 8: the feed's version (the postings' two
    # look-ups, the areas), the weights, the decisions, the postings shown with their
    # employers and areas.
    assert many == 26, many
