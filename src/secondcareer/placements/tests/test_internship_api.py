"""The internships API (``/api/internships``): 401 without a token, 404 for a program
without a role, 403 for reception and the municipality, a consultant's read of their
caseload only; create, change, consents, insurance and the gate's 409 naming what is
missing; wrong input a 400 in Japanese; the reads audited."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from secondcareer.apitokens.services import api_token_create
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditEntry
from secondcareer.people.models import Role
from secondcareer.placements.internship_models import Internship, InternshipStatus
from secondcareer.placements.tests.internship_helpers import (
    both_consents,
    caseload,
    employer,
    internship,
    participant,
    staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=TOKYO), tick=False):
        yield


def api(user: Any) -> Client:
    _, raw = api_token_create(user=user, name="タブレット")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    call = getattr(client, method.lower())
    if body is None:
        return call(url)
    return call(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def item(saitama):  # type: ignore[no-untyped-def]
    return internship(saitama)


def calls(item: Internship) -> dict[str, tuple[str, str, Any]]:
    base = f"/api/internships/{item.pk}"
    return {
        "list": ("GET", "/api/internships?program=saitama", None),
        "create": (
            "POST",
            "/api/internships",
            {
                "program": "saitama",
                "kind": "observation",
                "employer_id": item.employer_id,
                "participant_id": item.participant_id,
                "start_on": "2026-12-15",
                "end_on": "2026-12-15",
            },
        ),
        "detail": ("GET", base, None),
        "patch": ("PATCH", base, {"place": "本社3階"}),
        "consents": (
            "POST",
            f"{base}/consents",
            {"party": "participant", "given_on": "2026-11-18"},
        ),
        "insurance": (
            "POST",
            f"{base}/insurance",
            {
                "policy_name": "インターンシップ保険",
                "insurer": "あおぞら損害保険",
                "coverage_start": "2026-12-08",
                "coverage_end": "2026-12-09",
            },
        ),
        "confirm": ("POST", f"{base}/confirm", None),
    }


def test_without_a_token_every_endpoint_is_401(item):
    for name, (method, url, body) in calls(item).items():
        response = send(Client(), method, url, body)
        assert response.status_code == 401, name
        assert response.json()["error"] == "unauthorized"


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.MUNICIPALITY])
def test_reception_and_the_municipality_get_403_everywhere(saitama, item, role):
    client = api(staff(saitama, role))
    for name, (method, url, body) in calls(item).items():
        response = send(client, method, url, body)
        assert response.status_code == 403, name
        assert response.json()["error"] == "forbidden"


def test_another_programs_staff_get_404_everywhere(kobe, item):
    client = api(staff(kobe, Role.MANAGER))
    for name, (method, url, body) in calls(item).items():
        assert send(client, method, url, body).status_code == 404, name


@pytest.mark.parametrize("role", [Role.JOB_DEVELOPER, Role.MANAGER])
def test_job_developers_and_managers_use_every_endpoint(saitama, item, role):
    client = api(staff(saitama, role))
    expected = {"create": 201, "confirm": 409}
    for name, (method, url, body) in calls(item).items():
        assert send(client, method, url, body).status_code == expected.get(name, 200), name


def test_a_consultant_reads_their_caseloads_only_and_writes_nothing(saitama, item):
    mine = staff(saitama, Role.CONSULTANT)
    caseload(item.participant, mine)
    other = internship(saitama, seeker=participant(saitama, 1))
    client = api(mine)
    listed = send(client, "GET", "/api/internships?program=saitama").json()
    assert [row["id"] for row in listed] == [item.pk]
    assert send(client, "GET", f"/api/internships/{item.pk}").status_code == 200
    assert send(client, "GET", f"/api/internships/{other.pk}").status_code == 404
    for name, (method, url, body) in calls(item).items():
        if method != "GET":
            assert send(client, method, url, body).status_code == 403, name


def test_the_gate_through_the_api(saitama, item):
    client = api(staff(saitama, Role.JOB_DEVELOPER))
    refused = send(client, "POST", f"/api/internships/{item.pk}/confirm")
    assert refused.status_code == 409
    body = refused.json()
    assert body["error"] == "conflict"
    assert body["details"]["missing"] == [
        "参加者の同意",
        "受入事業所の同意",
        "保険の加入（職場体験には必要です）",
    ]
    for party in ("participant", "employer"):
        send(
            client,
            "POST",
            f"/api/internships/{item.pk}/consents",
            {"party": party, "given_on": "2026-11-18"},
        )
    short = send(
        client,
        "POST",
        f"/api/internships/{item.pk}/insurance",
        {
            "policy_name": "保険",
            "insurer": "保険会社",
            "coverage_start": "2026-12-08",
            "coverage_end": "2026-12-08",
        },
    ).json()
    assert short["missing"] == ["2026年12月9日(水)を含む保険の補償期間"]
    assert send(client, "POST", f"/api/internships/{item.pk}/confirm").status_code == 409
    send(
        client,
        "POST",
        f"/api/internships/{item.pk}/insurance",
        {
            "policy_name": "保険",
            "insurer": "保険会社",
            "coverage_start": "2026-12-01",
            "coverage_end": "2026-12-31",
        },
    )
    done = send(client, "POST", f"/api/internships/{item.pk}/confirm")
    assert done.status_code == 200
    assert done.json()["status"] == "confirmed"
    assert done.json()["missing"] == []
    locked = send(client, "PATCH", f"/api/internships/{item.pk}", {"end_on": "2026-12-10"})
    assert locked.status_code == 409
    assert locked.json()["fields"] == {"end_on": ["確定後は変更できません。"]}


def test_create_answers_the_internship_and_refuses_bad_input_in_japanese(saitama):
    host = employer(saitama)
    seeker = participant(saitama)
    client = api(staff(saitama, Role.JOB_DEVELOPER))
    body = {
        "program": "saitama",
        "kind": "work_experience",
        "employer_id": host.pk,
        "participant_id": seeker.pk,
        "host_contact_id": host.contacts.get().pk,
        "start_on": "2026-12-08",
        "end_on": "2026-12-10",
        "place": "本社",
    }
    four = send(client, "POST", "/api/internships", {**body, "end_on": "2026-12-11"})
    assert four.status_code == 400
    assert four.json()["fields"] == {
        "end_on": ["インターンシップの期間は1日から3日までです（4日になっています）。"]
    }
    assert send(client, "POST", "/api/internships", {**body, "kind": "party"}).status_code == 400
    bad_date = send(client, "POST", "/api/internships", {**body, "start_on": "12/8"})
    assert bad_date.json()["fields"] == {
        "start_on": ["日付は YYYY-MM-DD の形式で指定してください。"]
    }
    unknown = send(client, "POST", "/api/internships", {**body, "employer_id": 2**62})
    assert unknown.json()["fields"] == {"employer_id": ["この事業の事業所のIDを指定してください。"]}
    assert not Internship.objects.exists()
    made = send(client, "POST", "/api/internships", body)
    assert made.status_code == 201
    answer = made.json()
    assert answer["days"] == ["2026-12-08", "2026-12-09", "2026-12-10"]
    assert answer["participant_name"] == "髙橋 美智子"
    assert answer["status"] == InternshipStatus.PLANNED
    assert (
        "計画書の記載（実施内容・日程（スケジュール）・安全への配慮・ハラスメントの防止）"
        in answer["lacks"]
    )


def test_the_outcome_links_a_referral_or_placement_of_the_participant_only(saitama, item):
    client = api(staff(saitama, Role.MANAGER))
    wrong = send(
        client,
        "PATCH",
        f"/api/internships/{item.pk}",
        {"outcome": "referral", "outcome_referral_id": 999},
    )
    assert wrong.status_code == 400
    assert wrong.json()["fields"] == {
        "outcome_referral_id": ["この事業の職業紹介のIDを指定してください。"]
    }
    noted = send(
        client,
        "PATCH",
        f"/api/internships/{item.pk}",
        {"outcome": "placement", "outcome_note": "自己就職"},
    )
    assert noted.status_code == 200
    assert (noted.json()["outcome"], noted.json()["outcome_note"]) == ("placement", "自己就職")


def test_reads_are_audited_and_the_list_does_not_query_per_row(saitama):
    manager = staff(saitama, Role.MANAGER)
    client = api(manager)
    host = employer(saitama)
    first = internship(saitama, host=host)
    both_consents(first)
    send(client, "GET", "/api/internships?program=saitama")  # the token's first use is stamped
    with CaptureQueriesContext(connection) as one:
        assert len(send(client, "GET", "/api/internships?program=saitama").json()) == 1
    for n in range(1, 6):
        both_consents(internship(saitama, host=host, seeker=participant(saitama, n)))
    with CaptureQueriesContext(connection) as six:
        assert len(send(client, "GET", "/api/internships?program=saitama").json()) == 6
    assert len(six.captured_queries) == len(one.captured_queries)
    assert AuditEntry.objects.filter(actor_id=manager.pk, note="api internships").count() == 8
