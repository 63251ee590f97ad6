"""A posting's candidates: the seekers for it, best first, with reasons and gaps, for
job developers, consultants (their own caseload) and managers; an audit entry per
seeker listed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from secondcareer.conftest import register_seeker
from secondcareer.core.models import AuditEntry
from secondcareer.matching.tests.screens.conftest import World, open_case, save_profile

pytestmark = pytest.mark.django_db


def url(w: World, posting) -> str:  # type: ignore[no-untyped-def]
    return reverse("matching:candidates", args=[w.program.slug, posting.pk])


def test_a_job_developer_sees_the_seekers_for_a_posting_with_reasons_and_gaps(
    world: World, job_developer, client_for
) -> None:
    page = client_for(job_developer).get(url(world, world.accounting))
    assert page.status_code == 200
    body = page.content.decode()
    assert [m.seeker for m, _pct in page.context["rows"]] == [world.seeker]
    assert "山田 太郎" in body or "山田太郎" in body
    assert "希望の職種です" in body
    assert "時給が希望より100円低い" in body
    assert "適合度" in body
    # case notes are no part of it
    assert reverse("matching:recommendations", args=[world.program.slug, world.seeker.pk]) in body


def test_each_listed_seeker_gets_an_audit_entry(world: World, job_developer, client_for) -> None:
    client_for(job_developer).get(url(world, world.cleaning))
    entry = AuditEntry.objects.get(object_type="people.seeker", note="matching")
    assert entry.object_id == str(world.seeker.pk)
    assert entry.actor_id == job_developer.pk


def test_a_posting_nobody_fits_says_so(world: World, job_developer, client_for) -> None:
    page = client_for(job_developer).get(url(world, world.island))
    assert page.context["rows"] == []
    assert "この求人の条件に合う利用者" in page.content.decode()
    assert not AuditEntry.objects.filter(note="matching").exists()


def test_a_consultant_sees_only_the_candidates_of_their_caseload(
    world: World, consultant, consultant2, manager, client_for, other_seeker_in_program
) -> None:
    theirs = register_seeker(
        world.program, birth_date=dt.date(1959, 9, 9), given="三郎", phone="090-7777-0003"
    )
    open_case(world.program, theirs, consultant2)
    save_profile(world.program, theirs, consultant2)
    mine = client_for(consultant).get(url(world, world.accounting))
    assert [m.seeker for m, _ in mine.context["rows"]] == [world.seeker]
    everyone = client_for(manager).get(url(world, world.accounting))
    assert {m.seeker for m, _ in everyone.context["rows"]} == {world.seeker, theirs}


def test_the_postings_page_links_its_candidates_for_those_who_see_matches(
    world: World, job_developer, receptionist, client_for
) -> None:
    detail = reverse("jobs:posting_detail", args=[world.program.slug, world.accounting.pk])
    link = url(world, world.accounting)
    page = client_for(job_developer).get(detail)
    assert page.status_code == 200
    assert link in page.content.decode()
    assert "この求人に合う求職者" in page.content.decode()
    # reception reads postings but not matches: no link, and the page names no seeker
    page = client_for(receptionist).get(detail)
    assert page.status_code == 200
    assert link not in page.content.decode()
    assert not AuditEntry.objects.filter(note="matching").exists()
