"""``POST /api/inactivity-checks`` and ``GET /api/inactivity-checks``: who may log and
read the follow-up's calls and postcards, what a reached call does, the error shape."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from secondcareer.consultations.models import InactivityCheck
from secondcareer.consultations.selectors import inactive_seekers
from secondcareer.consultations.tests.conftest import another_seeker, record, staff
from secondcareer.core.models import AuditEntry
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role

URL = "/api/inactivity-checks"
LAST = dt.date(2027, 1, 9)
TODAY = dt.date(2027, 4, 10)


def signed_in(user: Any) -> Client:
    client = Client()
    sign_in_staff(client, user)
    return client


def post(client: Client, data: Any):  # type: ignore[no-untyped-def]
    raw = data if isinstance(data, str) else json.dumps(data)
    return client.post(URL, raw, content_type="application/json")


def body(seeker: Any, **changes: Any) -> dict[str, Any]:
    return {
        "program": "saitama",
        "seeker_id": seeker.pk,
        "method": "phone",
        "result": "working",
        "done_on": "2027-04-10",
        "employer_note": "市内の介護施設（週4日）",
        "next_action": "定着の様子を3か月後に確認",
        **changes,
    }


@pytest.fixture
def seekers(saitama, st_consultant, st_consultant2, frozen):  # type: ignore[no-untyped-def]
    frozen(LAST)
    mine, theirs = another_seeker(saitama, 1), another_seeker(saitama, 2)
    record(mine, st_consultant, LAST)
    record(theirs, st_consultant2, LAST)
    frozen(TODAY)
    return mine, theirs


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.MANAGER, Role.RECEPTION])
def test_a_reached_call_is_logged_and_takes_the_seeker_off_the_list(
    request, saitama, seekers, role
):
    mine, _theirs = seekers
    # The consultant is the seeker's own; managers and reception work on the whole program.
    user = request.getfixturevalue("st_consultant") if role == Role.CONSULTANT else None
    user = user or staff(saitama, role)
    response = post(signed_in(user), body(mine))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["reached"] is True and data["result"] == "working"
    assert data["last_contact_on"] == "2027-01-09" and data["due_on"] == "2027-04-10"
    assert data["checked_by"] == user.get_username()
    # Reception logs the call but gets no notes back.
    assert data["employer_note"] == ("" if role == Role.RECEPTION else "市内の介護施設（週4日）")
    assert mine.pk not in {r.seeker.pk for r in inactive_seekers(saitama, TODAY)}


def test_an_unreachable_call_is_no_contact(saitama, st_consultant, seekers):
    mine, _theirs = seekers
    response = post(signed_in(st_consultant), body(mine, result="unreachable"))
    assert response.status_code == 201
    assert response.json()["reached"] is False
    assert mine.pk in {r.seeker.pk for r in inactive_seekers(saitama, TODAY)}


@pytest.mark.parametrize("role", [Role.JOB_DEVELOPER, Role.MUNICIPALITY])
def test_job_developers_and_the_municipality_get_403(saitama, seekers, role):
    mine, _theirs = seekers
    client = signed_in(staff(saitama, role))
    assert post(client, body(mine)).status_code == 403
    assert client.get(URL, {"program": "saitama"}).status_code == 403
    assert not InactivityCheck.objects.exists()


@pytest.mark.parametrize("role", list(Role.values))
def test_staff_of_another_program_find_no_such_program(kobe, seekers, role):
    mine, _theirs = seekers
    client = signed_in(staff(kobe, role))
    assert post(client, body(mine)).status_code == 404
    assert client.get(URL, {"program": "saitama"}).status_code == 404


def test_anonymous_callers_get_401(seekers):
    mine, _theirs = seekers
    assert post(Client(), body(mine)).status_code == 401
    assert Client().get(URL, {"program": "saitama"}).status_code == 401


def test_another_consultants_seeker_is_refused_like_an_unknown_one(st_consultant, seekers):
    _mine, theirs = seekers
    response = post(signed_in(st_consultant), body(theirs))
    assert response.status_code == 422
    assert "seeker_id" in response.json()["fields"]
    assert not InactivityCheck.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"method": "fax"}, "method", 422),
        ({"result": "retired"}, "result", 422),
        ({"done_on": "2027-04-11"}, "done_on", 422),
        ({"done_on": "10/04/2027"}, "done_on", 400),
        ({"seeker_id": "1"}, "seeker_id", 400),
        ({"colour": "red"}, "colour", 400),
        ({"employer_note": "x" * 201}, "employer_note", 400),
        ({"seeker_id": 10**30}, "seeker_id", 422),
    ],
)
def test_bad_checks_are_refused_naming_the_field(st_consultant, seekers, change, field, status):
    mine, _theirs = seekers
    response = post(signed_in(st_consultant), body(mine, **change))
    assert response.status_code == status, response.content
    answer = response.json()
    assert field in answer["fields"] and answer["message"]
    assert not InactivityCheck.objects.exists()


def test_kobe_has_no_follow_up_and_says_so(kobe):
    seeker = another_seeker(kobe, 1)
    response = post(signed_in(staff(kobe, Role.MANAGER)), body(seeker, program="kobe"))
    assert response.status_code == 422
    assert response.json()["error"] == "not_configured"


def test_the_list_is_a_consultants_caseload_and_the_whole_program_for_reception(
    saitama, st_consultant, st_consultant2, st_manager, seekers
):
    mine, theirs = seekers
    post(signed_in(st_consultant), body(mine, result="unreachable"))
    post(signed_in(st_consultant2), body(theirs, method="postcard", result="searching"))

    def listed(user: Any, **params: Any) -> list[dict[str, Any]]:
        response = signed_in(user).get(URL, {"program": "saitama", **params})
        assert response.status_code == 200, response.content
        return response.json()

    assert [c["seeker_id"] for c in listed(st_consultant)] == [mine.pk]
    assert {c["seeker_id"] for c in listed(st_manager)} == {mine.pk, theirs.pk}
    reception = listed(staff(saitama, Role.RECEPTION))
    assert {c["seeker_id"] for c in reception} == {mine.pk, theirs.pk}
    assert all(c["next_action"] == "" and c["employer_note"] == "" for c in reception)
    assert [c["seeker_id"] for c in listed(st_manager, seeker_id=theirs.pk)] == [theirs.pk]
    assert AuditEntry.objects.filter(note="api inactivity-checks").exists()
    bad = signed_in(st_manager).get(URL, {"program": "saitama", "seker_id": "1"})
    assert bad.status_code == 400 and "seker_id" in bad.json()["fields"]
