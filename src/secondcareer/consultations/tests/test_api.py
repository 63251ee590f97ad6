"""``POST /api/consultations`` and ``GET /api/reviews``: who may record and read, what a
record opens, and that a consultant sees only their own caseload's reviews."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from secondcareer.consultations.models import Case, ConsultationRecord
from secondcareer.consultations.tests.conftest import another_seeker, record, staff
from secondcareer.core.models import AuditEntry
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role

URL = "/api/consultations"


def signed_in(user: Any) -> Client:
    client = Client()
    sign_in_staff(client, user)
    return client


def body(seeker: Any, **changes: Any) -> dict[str, Any]:
    return {
        "program": "saitama",
        "seeker_id": seeker.pk,
        "kind": "job_consultation",
        "method": "in_person",
        "start": "2026-11-30T10:00:00+09:00",
        "minutes": 45,
        "topics": [],
        "notes": "職務経歴書の書き方を確認した。",
        **changes,
    }


def post(client: Client, data: Any):
    raw = data if isinstance(data, str) else json.dumps(data)
    return client.post(URL, raw, content_type="application/json")


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.MANAGER])
def test_consultants_and_managers_record_a_past_consultation_that_opens_the_case(
    saitama, st_seeker, role
):
    response = post(signed_in(staff(saitama, role)), body(st_seeker))
    assert response.status_code == 201, response.content
    data = response.json()
    case = Case.objects.get(seeker=st_seeker)
    assert data["case_id"] == case.pk and case.anchor_on == dt.date(2026, 11, 30)
    assert data["start"] == "2026-11-30T10:00:00+09:00"
    assert data["kind"] == "job_consultation" and data["minutes"] == 45
    # Saitama reviews the plan 3 months after the first consultation, month end kept.
    assert case.reviews.get().due_on == dt.date(2027, 2, 28)


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.JOB_DEVELOPER, Role.MUNICIPALITY])
def test_other_roles_may_not_record(saitama, st_seeker, role):
    response = post(signed_in(staff(saitama, role)), body(st_seeker))
    assert response.status_code == 403
    assert not ConsultationRecord.objects.exists()


@pytest.mark.parametrize("role", list(Role.values))
def test_staff_of_another_program_find_no_such_program(kobe, saitama, st_seeker, role):
    client = signed_in(staff(kobe, role))
    assert post(client, body(st_seeker)).status_code == 404
    assert client.get("/api/reviews", {"program": "saitama"}).status_code == 404


def test_anonymous_callers_get_401(saitama, st_seeker):
    assert post(Client(), body(st_seeker)).status_code == 401
    assert Client().get("/api/reviews", {"program": "saitama"}).status_code == 401


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"start": "2026-11-30T10:00:00"}, "start", 400),
        ({"minutes": "45"}, "minutes", 400),
        ({"minutes": 0}, "minutes", 400),
        ({"topics": "health"}, "topics", 400),
        ({"colour": "red"}, "colour", 400),
        ({"kind": "karaoke"}, "kind", 422),
        ({"seeker_id": 10**30}, "seeker_id", 422),
        ({"reservation_id": 99999}, "reservation_id", 422),
    ],
)
def test_bad_records_are_refused_naming_the_field(saitama, st_seeker, change, field, status):
    response = post(signed_in(staff(saitama, Role.CONSULTANT)), body(st_seeker, **change))
    assert response.status_code == status, response.content
    assert field in response.json()["fields"]
    assert not ConsultationRecord.objects.exists()


def test_a_seeker_of_another_program_is_refused_without_revealing_them(kobe, saitama):
    stranger = another_seeker(kobe, 3)
    response = post(signed_in(staff(saitama, Role.CONSULTANT)), body(stranger))
    assert response.status_code == 422
    assert "seeker_id" in response.json()["fields"]


def test_a_consultant_sees_only_their_caseloads_reviews_and_a_manager_all(
    saitama, st_consultant, st_consultant2, st_manager
):
    mine, theirs = another_seeker(saitama, 1), another_seeker(saitama, 2)
    record(mine, st_consultant, dt.date(2026, 11, 30))
    record(theirs, st_consultant2, dt.date(2026, 12, 1))

    def seekers(user: Any, **params: str) -> list[int]:
        response = signed_in(user).get("/api/reviews", {"program": "saitama", **params})
        assert response.status_code == 200, response.content
        return [r["seeker_id"] for r in response.json()]

    assert seekers(st_consultant, due_before="2027-03-31") == [mine.pk]
    assert seekers(st_consultant2, due_before="2027-03-31") == [theirs.pk]
    assert seekers(st_manager, due_before="2027-03-31") == [mine.pk, theirs.pk]
    assert seekers(st_manager, due_before="2027-02-27") == []
    first = (
        signed_in(st_manager)
        .get("/api/reviews", {"program": "saitama", "due_before": "2027-02-28"})
        .json()
    )
    assert first[0]["kind"] == "consultant" and first[0]["due"] == "2027-02-28"
    assert first[0]["assignee"] == st_consultant.get_username()
    assert AuditEntry.objects.filter(note="api reviews").exists()


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.JOB_DEVELOPER, Role.MUNICIPALITY])
def test_other_roles_may_not_list_reviews(saitama, role):
    response = signed_in(staff(saitama, role)).get("/api/reviews", {"program": "saitama"})
    assert response.status_code == 403


def test_an_unreadable_due_before_is_a_400(saitama, st_manager):
    response = signed_in(st_manager).get(
        "/api/reviews", {"program": "saitama", "due_before": "next week"}
    )
    assert response.status_code == 400
    assert response.json()["fields"]["due_before"]


# --- /api/cases and /api/cases/<id>/plans ---------------------------------------------------


@pytest.fixture
def two_cases(saitama, st_consultant, st_consultant2):
    from secondcareer.consultations.services import plan_revise

    mine, theirs = another_seeker(saitama, 1), another_seeker(saitama, 2)
    record(mine, st_consultant, dt.date(2026, 11, 30))
    record(theirs, st_consultant2, dt.date(2026, 12, 1))
    case = Case.objects.get(seeker=mine)
    plan_revise(case=case, actor=st_consultant, goals="週3日の事務職", on=dt.date(2026, 12, 2))
    return case, Case.objects.get(seeker=theirs)


def test_cases_are_a_consultants_caseload_and_a_managers_whole_program(
    saitama, two_cases, st_consultant, st_manager
):
    mine, theirs = two_cases

    def ids(user: Any) -> list[int]:
        response = signed_in(user).get("/api/cases", {"program": "saitama"})
        assert response.status_code == 200, response.content
        return [c["id"] for c in response.json()]

    assert ids(st_consultant) == [mine.pk]
    assert ids(st_manager) == [mine.pk, theirs.pk]
    assert ids(staff(saitama, Role.RECEPTION)) == [mine.pk, theirs.pk]
    listed = signed_in(st_manager).get("/api/cases", {"program": "saitama"}).json()[0]
    assert listed["status"] == "in_support" and listed["consultant"] == st_consultant.username
    assert "notes" not in json.dumps(listed)
    assert (
        signed_in(staff(saitama, Role.MUNICIPALITY))
        .get("/api/cases", {"program": "saitama"})
        .status_code
        == 403
    )


def test_plans_are_for_the_cases_consultant_and_managers_only(
    saitama, two_cases, st_consultant, st_consultant2, st_manager
):
    mine, _theirs = two_cases
    url = f"/api/cases/{mine.pk}/plans"
    plans = signed_in(st_consultant).get(url)
    assert plans.status_code == 200
    assert [(p["version"], p["status"], p["goals"]) for p in plans.json()] == [
        (1, "approved", "週3日の事務職")
    ]
    assert signed_in(st_manager).get(url).status_code == 200
    assert signed_in(st_consultant2).get(url).status_code == 404  # not their case
    for role in (Role.RECEPTION, Role.JOB_DEVELOPER, Role.MUNICIPALITY):
        assert signed_in(staff(saitama, role)).get(url).status_code == 403, role
    assert Client().get(url).status_code == 401
    opened = AuditEntry.objects.filter(object_type="consultations.case", object_id=str(mine.pk))
    assert opened.filter(action="view").count() == 2  # only the two openings that were allowed


def test_plans_of_another_programs_case_are_a_404(kobe, two_cases):
    mine, _theirs = two_cases
    response = signed_in(staff(kobe, Role.MANAGER)).get(f"/api/cases/{mine.pk}/plans")
    assert response.status_code == 404
