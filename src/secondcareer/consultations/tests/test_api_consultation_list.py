"""``GET /api/consultations``: the records of the cases the caller may see, newest
first, with the content (topics, notes, next action) only for consultants and managers,
and one audit entry per seeker listed."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from secondcareer.consultations.tests.conftest import another_seeker, record, staff
from secondcareer.consultations.tests.test_api import signed_in
from secondcareer.core.models import AuditEntry
from secondcareer.people.models import Role

URL = "/api/consultations"
DAY = dt.date(2026, 10, 5)


@pytest.fixture
def two_caseloads(saitama, st_consultant, st_consultant2):
    mine = another_seeker(saitama, 1)
    theirs = another_seeker(saitama, 2)
    record(mine, st_consultant, DAY, notes="年金と働き方を相談した。", topics=["income_pension"])
    record(mine, st_consultant, DAY + dt.timedelta(days=14), notes="2回目")
    record(theirs, st_consultant2, DAY, notes="別の担当の記録")
    return mine, theirs


def test_a_consultant_lists_only_their_own_caseloads_records_newest_first(
    two_caseloads, st_consultant
):
    mine, _theirs = two_caseloads
    response = signed_in(st_consultant).get(URL, {"program": "saitama"})
    assert response.status_code == 200, response.content
    rows = response.json()
    assert [r["seeker_id"] for r in rows] == [mine.pk, mine.pk]
    assert rows[0]["notes"] == "2回目"
    assert rows[1]["topics"] == ["income_pension"]
    assert rows[1]["start"] == "2026-10-05T10:00:00+09:00"


def test_a_manager_lists_every_record_and_filters_by_seeker_and_dates(two_caseloads, st_manager):
    mine, theirs = two_caseloads
    client = signed_in(st_manager)
    assert len(client.get(URL, {"program": "saitama"}).json()) == 3
    only = client.get(URL, {"program": "saitama", "seeker_id": theirs.pk}).json()
    assert [r["notes"] for r in only] == ["別の担当の記録"]
    first_day = client.get(
        URL, {"program": "saitama", "from": "2026-10-05", "to": "2026-10-05"}
    ).json()
    assert sorted(r["seeker_id"] for r in first_day) == sorted([mine.pk, theirs.pk])


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.JOB_DEVELOPER])
def test_reception_and_job_developers_see_when_and_how_but_never_the_content(
    two_caseloads, saitama, role
):
    rows = signed_in(staff(saitama, role)).get(URL, {"program": "saitama"}).json()
    assert len(rows) == 3
    assert all(r["notes"] == "" and r["topics"] == [] and r["next_action"] == "" for r in rows)
    assert all(r["kind"] and r["method"] == "in_person" for r in rows)


def test_the_municipality_sees_no_record(two_caseloads, saitama):
    response = signed_in(staff(saitama, Role.MUNICIPALITY)).get(URL, {"program": "saitama"})
    assert response.status_code == 403


def test_another_program_is_a_404_and_anonymous_a_401(two_caseloads, kobe):
    assert signed_in(staff(kobe, Role.MANAGER)).get(URL, {"program": "saitama"}).status_code == 404
    from django.test import Client

    assert Client().get(URL, {"program": "saitama"}).status_code == 401


def test_each_seeker_listed_is_audited_once(two_caseloads, st_manager):
    mine, theirs = two_caseloads
    before = AuditEntry.objects.count()
    signed_in(st_manager).get(URL, {"program": "saitama"})
    entries = AuditEntry.objects.order_by("id")[before:]
    assert sorted(int(e.object_id) for e in entries) == sorted([mine.pk, theirs.pk])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-10-10", "to": "2026-10-01"}, "to"),
        ({"seeker_id": "abc"}, None),
        ({"limit": "0"}, None),
        ({"unknown": "1"}, None),
    ],
)
def test_bad_queries_get_a_japanese_400_or_422(two_caseloads, st_manager, query, field):
    response = signed_in(st_manager).get(URL, {"program": "saitama", **query})
    assert response.status_code in (400, 422), response.content
    text = json.dumps(response.json(), ensure_ascii=False)
    assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)
    if field:
        assert field in text
