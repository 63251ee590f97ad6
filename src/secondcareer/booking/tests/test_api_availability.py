"""GET /api/availability: the slots and free seats of a program, the same objects the
``availability`` command prints."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role
from secondcareer.people.services import staff_create

URL = reverse("api:availability")


@pytest.fixture
def kobe_staff(kobe):
    def make(role: str):
        return staff_create(username=f"kobe-{role}", password=None, program=kobe, role=role)

    return make


def _week() -> dict[str, str]:
    start = timezone.localdate() + dt.timedelta(days=1)
    return {"from": start.isoformat(), "to": (start + dt.timedelta(days=6)).isoformat()}


def test_the_api_returns_what_the_availability_command_prints(client, kobe, kobe_staff):
    sign_in_staff(client, kobe_staff(Role.RECEPTION))
    week = _week()
    out = StringIO()
    call_command(
        "availability",
        program="kobe",
        service="in_person",
        start=week["from"],
        end=week["to"],
        format="json",
        stdout=out,
    )

    response = client.get(URL, {"program": "kobe", "service": "in_person", **week})

    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())
    assert response.json()[0]["venue"] == "三宮ビル東館"


def test_a_venue_narrows_the_slots_to_that_venue(client, saitama):
    sign_in_staff(
        client, staff_create(username="st", password=None, program=saitama, role=Role.RECEPTION)
    )

    response = client.get(
        URL, {"program": "saitama", "service": "consultation", "venue": "ラーク所沢", **_week()}
    )

    venues = {row["venue"] for row in response.json()}
    assert venues == {"ラーク所沢"}


@pytest.mark.parametrize("role", list(Role.values))
def test_every_role_of_the_program_may_read_availability_even_the_municipality(
    client, kobe_staff, role
):
    sign_in_staff(client, kobe_staff(role))

    response = client.get(URL, {"program": "kobe", "service": "online"})

    assert response.status_code == 200
    assert len(response.json()) > 0  # from today, 14 days by default


def test_staff_of_another_program_get_404_as_if_it_did_not_exist(client, kobe, saitama):
    sign_in_staff(
        client, staff_create(username="st", password=None, program=saitama, role=Role.MANAGER)
    )

    response = client.get(URL, {"program": "kobe"})

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    unknown = client.get(URL, {"program": "sapporo"})
    assert unknown.status_code == 404
    assert set(unknown.json()) == set(response.json())


def test_anonymous_callers_are_asked_to_authenticate(client, kobe):
    response = client.get(URL, {"program": "kobe"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"] == "unauthorized"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "tomorrow"}, "to"),
        ({"from": "2027-01-10", "to": "2027-01-01"}, "to"),
        ({"from": "2027-01-01", "to": "2027-12-31"}, "to"),
        ({"colour": "blue"}, "colour"),
        ({"program": ""}, "program"),
    ],
)
def test_unreadable_parameters_are_a_400_naming_the_field(client, kobe_staff, params, field):
    sign_in_staff(client, kobe_staff(Role.RECEPTION))

    response = client.get(URL, {"program": "kobe", **params})

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid" and field in body["fields"]
    assert body["message"]


def test_an_unknown_service_or_venue_is_a_422(client, kobe_staff):
    sign_in_staff(client, kobe_staff(Role.RECEPTION))

    service = client.get(URL, {"program": "kobe", "service": "karaoke"})
    venue = client.get(URL, {"program": "kobe", "service": "in_person", "venue": "nowhere"})

    assert service.status_code == venue.status_code == 422
    assert "service" in service.json()["fields"] and "venue" in venue.json()["fields"]


def test_other_methods_are_refused_with_405(client, kobe_staff):
    sign_in_staff(client, kobe_staff(Role.RECEPTION))

    response = client.post(URL, {})

    assert response.status_code == 405
    assert response["Allow"] == "GET"
