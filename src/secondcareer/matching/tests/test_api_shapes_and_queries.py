"""The matching API answers what /api/openapi.json documents (the booking tests'
schema checker), and its lists cost the same number of queries whatever their length."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from secondcareer.booking.tests.test_api_openapi import schema_errors
from secondcareer.conftest import register_seeker
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.jobs.models import JobPosting
from secondcareer.matching.services import match_decide, profile_save
from secondcareer.matching.tests.conftest import row
from secondcareer.people.models import Seeker, User
from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db

PROFILE = {"days_per_week": 5, "hours_per_day": 8, "career_history": "清掃の仕事"}


def _rows(count: int) -> list[dict[str, str]]:
    return [row(n, 職種=f"清掃スタッフ{n}") for n in range(1, count + 1)]


def _seekers(program: Program, start: int, count: int) -> list[Seeker]:
    made = []
    for n in range(start, start + count):
        person = register_seeker(
            program,
            birth_date=dt.date(1955, 1, n + 1),
            family="佐藤",
            given=f"次郎{n}",
            family_kana="サトウ",
            given_kana="ジロウ",
            phone=f"080-4444-{n:04d}",
        )
        profile_save(program=program, seeker=person, by=None, **PROFILE)
        made.append(person)
    return made


def test_every_answer_has_the_documented_shape(
    client: Client,
    program: Program,
    seeker: Seeker,
    manager: User,
    import_rows: Callable[..., str],
) -> None:
    document = client.get("/api/openapi.json").json()
    import_rows(_rows(3))
    profile_save(program=program, seeker=seeker, by=None, **PROFILE, tags=["夜勤不可"])
    posting = JobPosting.objects.order_by("id").first()
    assert posting is not None
    match_decide(program=program, seeker=seeker, posting=posting, choice="pin", by=manager)
    sign_in_staff(client, manager)
    matches = "/api/seekers/{seeker_id}/matches"
    candidates = "/api/postings/{posting_id}/matches"
    profile = "/api/seekers/{seeker_id}/profile"
    decision = "/api/seekers/{seeker_id}/matches/{posting_id}/decision"
    base = f"/api/seekers/{seeker.pk}"

    def put(url: str, body: Any) -> Any:
        return client.put(url, json.dumps(body), content_type="application/json")

    def post(url: str, body: Any) -> Any:
        return client.post(url, json.dumps(body), content_type="application/json")

    answers = [
        ("get", matches, client.get(f"{base}/matches?program=alpha")),
        ("get", matches, client.get(f"{base}/matches?program=alpha&top=500")),
        ("get", matches, client.get(f"{base}/matches?program=nowhere")),
        ("get", candidates, client.get(f"/api/postings/{posting.pk}/matches?program=alpha")),
        ("get", candidates, client.get("/api/postings/99999/matches?program=alpha")),
        ("get", profile, client.get(f"{base}/profile?program=alpha")),
        ("put", profile, put(f"{base}/profile?program=alpha", {"days_per_week": 4})),
        ("put", profile, put(f"{base}/profile?program=alpha", {"days_per_week": 0})),
        ("put", profile, put(f"{base}/profile?program=alpha", {"days_per_week": "4"})),
        (
            "post",
            decision,
            post(f"{base}/matches/{posting.pk}/decision?program=alpha", {"choice": "hide"}),
        ),
        (
            "post",
            decision,
            post(f"{base}/matches/{posting.pk}/decision?program=alpha", {"choice": "x"}),
        ),
    ]
    seen = set()
    for method, path, response in answers:
        operation = document["paths"][path][method]
        status = str(response.status_code)
        assert status in operation["responses"], f"{method} {path} answered undocumented {status}"
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        errors = schema_errors(response.json(), schema, document)
        assert not errors, (method, path, status, errors)
        seen.add((path, status))
    assert {s for p, s in seen if p == matches} == {"200", "400", "404"}
    assert {s for p, s in seen if p == profile} == {"200", "400", "422"}
    assert {s for p, s in seen if p == decision} == {"200", "422"}
    assert response.json()["fields"] == {"choice": [response.json()["fields"]["choice"][0]]}


def _queries(client: Client, url: str) -> tuple[int, Any]:
    client.get(url)  # the feed built and cached
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.json()


def test_a_seekers_matches_cost_the_same_queries_for_2_or_12_postings(
    client: Client,
    program: Program,
    seeker: Seeker,
    manager: User,
    import_rows: Callable[..., str],
) -> None:
    sign_in_staff(client, manager)
    url = f"/api/seekers/{seeker.pk}/matches?program=alpha"
    profile_save(program=program, seeker=seeker, by=None, **PROFILE)
    import_rows(_rows(2))
    few, small = _queries(client, url)
    import_rows(_rows(12))
    many, large = _queries(client, url)
    assert (len(small), len(large)) == (2, 12)
    assert many == few


def test_a_postings_candidates_cost_the_same_queries_for_1_or_8_seekers(
    client: Client,
    program: Program,
    manager: User,
    import_rows: Callable[..., str],
) -> None:
    sign_in_staff(client, manager)
    import_rows(_rows(1))
    posting = JobPosting.objects.get()
    url = f"/api/postings/{posting.pk}/matches?program=alpha"
    _seekers(program, 0, 1)
    few, small = _queries(client, url)
    _seekers(program, 1, 7)
    many, large = _queries(client, url)
    assert (len(small), len(large)) == (1, 8)
    assert many == few
