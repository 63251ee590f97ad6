"""The placements API: each endpoint's access (401 without sign-in, 404 for another
program or another consultant's seeker, 403 for a role without the permission), the
shapes callers rely on, Japanese errors, and the audit of every seeker shown."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client

from secondcareer.conftest import TODAY
from secondcareer.consultations.models import Case
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditEntry
from secondcareer.jobs.models import Employer, JobPosting
from secondcareer.people.models import Role, Seeker, User
from secondcareer.placements.models import FollowUp, Placement, Referral
from secondcareer.placements.services import placement_create, referral_create
from secondcareer.programs.models import Program

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10), TOKYO), tick=False):
        yield


def call(client: Client, method: str, path: str, body: Any = None) -> Any:
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def setup(
    program: Program,
    seeker: Seeker,
    posting: JobPosting,
    employer: Employer,
    consultant: User,
) -> dict[str, Any]:
    Case.objects.create(program=program, seeker=seeker, consultant=consultant, opened_on=TODAY)
    referral = referral_create(program=program, seeker=seeker, posting=posting, actor=consultant)
    placement = placement_create(
        program=program,
        seeker=seeker,
        employer=employer,
        actor=consultant,
        start_on=TODAY - dt.timedelta(days=45),
        employment_type="non_regular",
        source="hellowork",
    )
    followup = placement.followups.get(months=1)
    return {"referral": referral, "placement": placement, "followup": followup}


def _endpoints(
    s: dict[str, Any], seeker: Seeker, posting: JobPosting, employer: Employer
) -> list[tuple[str, str, Any, str]]:
    """(method, path, body, what) for every operation."""
    r, p, f = s["referral"].pk, s["placement"].pk, s["followup"].pk
    return [
        ("get", "/api/referrals?program=alpha", None, "referral"),
        (
            "post",
            "/api/referrals",
            {"program": "alpha", "seeker_id": seeker.pk, "posting_id": posting.pk},
            "referral",
        ),
        ("get", f"/api/referrals/{r}", None, "referral"),
        ("patch", f"/api/referrals/{r}", {"status": "applied"}, "referral"),
        (
            "post",
            f"/api/referrals/{r}/support",
            {"kind": "resume_review", "minutes": 30},
            "referral",
        ),
        ("get", "/api/placements?program=alpha", None, "placement"),
        (
            "post",
            "/api/placements",
            {
                "program": "alpha",
                "seeker_id": seeker.pk,
                "employer_id": employer.pk,
                "source": "self_found",
                "start_on": TODAY.isoformat(),
                "employment_type": "regular",
            },
            "placement",
        ),
        ("get", f"/api/placements/{p}", None, "placement"),
        ("get", "/api/followups?program=alpha", None, "followup"),
        ("patch", f"/api/followups/{f}", {"outcome": "continuing"}, "followup"),
    ]


OK = {"get": 200, "post": 201, "patch": 200}


def _reopen(referral: Referral) -> None:
    """The fixture's referral open again (the one POSTed before it withdrawn)."""
    Referral.objects.exclude(pk=referral.pk).update(status="withdrawn")
    Referral.objects.filter(pk=referral.pk).update(status="proposed")


def test_every_endpoint_is_401_without_sign_in(
    setup: dict[str, Any], seeker: Seeker, posting: JobPosting, employer: Employer
) -> None:
    for method, path, body, _what in _endpoints(setup, seeker, posting, employer):
        response = call(Client(), method, path, body)
        assert response.status_code == 401, (method, path)
        assert "ログイン" in response.json()["message"]


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.MUNICIPALITY])
def test_reception_and_the_municipality_get_403_everywhere(
    setup: dict[str, Any],
    seeker: Seeker,
    posting: JobPosting,
    employer: Employer,
    staff_of: Callable[..., User],
    client_for: Callable[[User], Client],
    role: str,
) -> None:
    client = client_for(staff_of(role))
    for method, path, body, _what in _endpoints(setup, seeker, posting, employer):
        response = call(client, method, path, body)
        assert response.status_code == 403, (method, path, response.content)
        assert response.json()["error"] == "forbidden"


def test_staff_of_another_program_get_404_everywhere(
    setup: dict[str, Any],
    seeker: Seeker,
    posting: JobPosting,
    employer: Employer,
    staff_of: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(staff_of(Role.MANAGER, other=True))
    for method, path, body, _what in _endpoints(setup, seeker, posting, employer):
        response = call(client, method, path, body)
        assert response.status_code == 404, (method, path, response.content)


def test_a_job_developer_keeps_referrals_and_placements_but_not_followups(
    setup: dict[str, Any],
    seeker: Seeker,
    posting: JobPosting,
    employer: Employer,
    job_developer: User,
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(job_developer)
    Referral.objects.filter(pk=setup["referral"].pk).update(status="withdrawn")
    for method, path, body, what in _endpoints(setup, seeker, posting, employer):
        if method == "patch" and what == "referral":
            _reopen(setup["referral"])
        response = call(client, method, path, body)
        expected = 403 if what == "followup" else OK[method]
        assert response.status_code == expected, (method, path, response.content)
    detail = client.get(f"/api/placements/{setup['placement'].pk}").json()
    assert detail["followups"] is None  # case content, not for job developers


def test_another_consultants_seeker_does_not_exist_for_a_consultant(
    setup: dict[str, Any],
    seeker: Seeker,
    posting: JobPosting,
    employer: Employer,
    consultant2: User,
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(consultant2)
    for method, path, body, _what in _endpoints(setup, seeker, posting, employer):
        response = call(client, method, path, body)
        if method == "get" and "?" in path:
            assert response.status_code == 200 and response.json() == [], path
        else:
            assert response.status_code in (404, 422), (method, path, response.content)
            if response.status_code == 422:
                assert "seeker_id" in response.json()["fields"]


def test_a_consultant_works_their_own_caseload_through_every_endpoint(
    setup: dict[str, Any],
    seeker: Seeker,
    posting: JobPosting,
    employer: Employer,
    consultant: User,
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(consultant)
    Referral.objects.filter(pk=setup["referral"].pk).update(status="withdrawn")
    for method, path, body, _what in _endpoints(setup, seeker, posting, employer):
        if method == "patch" and "referrals" in path:
            _reopen(setup["referral"])
        response = call(client, method, path, body)
        assert response.status_code == OK[method], (method, path, response.content)


def test_the_followup_list_filters_due_and_overdue_and_audits_each_seeker(
    setup: dict[str, Any], seeker: Seeker, manager: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(manager)
    before = AuditEntry.objects.filter(note="api followups").count()
    rows = client.get("/api/followups?program=alpha&overdue=true").json()
    assert [(r["months"], r["overdue"]) for r in rows] == [(1, True)]
    assert rows[0]["seeker_id"] == seeker.pk
    due = client.get(
        f"/api/followups?program=alpha&due_before={(TODAY + dt.timedelta(days=60)).isoformat()}"
    ).json()
    assert [r["months"] for r in due] == [1, 3]
    assert [
        r["months"] for r in client.get("/api/followups?program=alpha&overdue=false").json()
    ] == [3, 6]
    assert AuditEntry.objects.filter(note="api followups").count() == before + 3


def test_hiring_through_the_api_creates_the_placement_and_its_followups(
    setup: dict[str, Any], manager: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(manager)
    path = f"/api/referrals/{setup['referral'].pk}"
    for status in ("applied", "interview", "offered"):
        assert (
            client.patch(
                path, json.dumps({"status": status}), content_type="application/json"
            ).status_code
            == 200
        )
    refused = client.patch(path, json.dumps({"status": "hired"}), content_type="application/json")
    assert refused.status_code == 422
    assert "就職日" in refused.json()["message"]
    body = {
        "status": "hired",
        "note": "12月から勤務",
        "placement": {
            "start_on": "2026-12-01",
            "employment_type": "regular",
            "weekly_hours": 37.5,
            "wage": 210000,
            "wage_type": "monthly",
        },
    }
    hired = client.patch(path, json.dumps(body), content_type="application/json")
    assert hired.status_code == 200, hired.content
    data = hired.json()
    assert data["status"] == "hired"
    assert data["changes"][-1]["note"] == "12月から勤務"
    placement = Placement.objects.get(pk=data["placement_id"])
    assert placement.weekly_hours == 37.5
    assert placement.followups.count() == 3
    detail = client.get(f"/api/placements/{placement.pk}").json()
    assert [f["due"] for f in detail["followups"]] == ["2027-01-01", "2027-03-01", "2027-06-01"]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "/api/referrals", {"program": "alpha", "seeker_id": 2**70, "posting_id": 1}, None),
        (
            "post",
            "/api/referrals",
            {"program": "alpha", "seeker_id": 999999, "posting_id": 1},
            "seeker_id",
        ),
        ("get", "/api/referrals?program=alpha&status=maybe", None, "status"),
        ("get", "/api/followups?program=alpha&due_before=2026-13-01", None, "due_before"),
        ("get", "/api/placements?program=alpha&from=2026-12-01&to=2026-11-01", None, "to"),
        ("patch", "/api/followups/{f}", {"outcome": "left"}, "left_on"),
        ("patch", "/api/followups/{f}", {"outcome": "great"}, "outcome"),
        ("patch", "/api/referrals/{r}", {"status": "hired"}, "status"),
    ],
)
def test_bad_input_is_a_japanese_4xx_and_changes_nothing(
    setup: dict[str, Any],
    manager: User,
    client_for: Callable[[User], Client],
    method: str,
    path: str,
    body: Any,
    field: str | None,
) -> None:
    client = client_for(manager)
    path = path.format(f=setup["followup"].pk, r=setup["referral"].pk)
    counts = (
        Referral.objects.count(),
        Placement.objects.count(),
        FollowUp.objects.filter(done_on__isnull=False).count(),
    )
    response = call(client, method, path, body)
    assert 400 <= response.status_code < 500, response.content
    payload = response.json()
    assert any(
        "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in payload["message"]
    )
    if field:
        assert field in (payload.get("fields") or {}), payload
    assert counts == (
        Referral.objects.count(),
        Placement.objects.count(),
        FollowUp.objects.filter(done_on__isnull=False).count(),
    )


def test_a_referral_read_is_audited(
    setup: dict[str, Any], seeker: Seeker, manager: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(manager)
    client.get(f"/api/referrals/{setup['referral'].pk}")
    client.get("/api/referrals?program=alpha")
    assert (
        AuditEntry.objects.filter(
            actor_id=manager.pk, action="view", object_id=str(seeker.pk)
        ).count()
        == 2
    )
