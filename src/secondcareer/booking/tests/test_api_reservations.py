"""POST /api/reservations and POST /api/reservations/{id}/cancel: bodies of success and
of every kind of refusal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from secondcareer.booking.models import Reservation
from secondcareer.booking.selectors import availability
from secondcareer.booking.services import reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role
from secondcareer.people.services import staff_create

CREATE = reverse("api:reservations")


def cancel_url(pk: int) -> str:
    return reverse("api:reservation_cancel", args=[pk])


@pytest.fixture
def api(client, kobe):
    """The test client signed in as a Kobe receptionist, posting JSON."""
    sign_in_staff(
        client, staff_create(username="kb-rec", password=None, program=kobe, role=Role.RECEPTION)
    )

    def post(url: str, body=None, *, raw: str | None = None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return client.post(url, data, content_type="application/json")

    return post


@pytest.fixture
def seeker(kobe):
    return register_seeker(kobe, birth_date=dt.date(1959, 9, 9))


def free_starts(program, service: str, venue=None) -> list[dt.datetime]:
    today = timezone.localdate()
    rows = availability(
        program=program,
        service_code=service,
        start=today + dt.timedelta(days=2),
        end=today + dt.timedelta(days=30),
        venue=venue,
    )
    return [a.slot.start for a in rows if a.free > 0]


def body(seeker, start: dt.datetime, **extra):
    return {
        "program": "kobe",
        "seeker_id": seeker.pk,
        "service": "in_person",
        "venue": "sannomiya_east",
        "start": start.isoformat(),
        "method": "in_person",
        "channel": "phone",
        **extra,
    }


def test_a_reservation_is_created_and_described_in_the_201_body(api, kobe, seeker):
    start = free_starts(kobe, "in_person")[0]

    response = api(CREATE, body(seeker, start, topic="job_search"))

    assert response.status_code == 201
    data = response.json()
    reservation = Reservation.objects.get()
    assert data == {
        "id": reservation.pk,
        "program": "kobe",
        "seeker_id": seeker.pk,
        "service": "in_person",
        "venue": "三宮ビル東館",
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=1)).isoformat(),
        "method": "in_person",
        "channel": "phone",
        "status": "confirmed",
        "topic": "job_search",
        "consultant_id": None,
        "video_url": None,
    }
    assert reservation.created_by.username == "kb-rec"


def test_an_online_reservation_has_no_venue(api, kobe, seeker):
    start = free_starts(kobe, "online")[0]

    response = api(
        CREATE, body(seeker, start, service="online", venue=None, method="video", channel="staff")
    )

    assert response.status_code == 201
    assert response.json()["venue"] is None


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("{not json", None),
        ("[1, 2]", None),
        (json.dumps({"program": "kobe"}), "seeker_id"),
        (json.dumps({"colour": "blue"}), "colour"),
    ],
)
def test_unreadable_bodies_are_a_400(api, raw, field):
    response = api(CREATE, raw=raw)

    assert response.status_code == 400
    data = response.json()
    assert data["error"] == "invalid" and data["message"]
    if field:
        assert field in data["fields"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"start": "next tuesday"}, "start", "ISO 8601"),
        ({"start": "2027-01-06T10:00:00"}, "start", "タイムゾーン"),
        ({"seeker_id": "12"}, "seeker_id", "整数"),
        ({"seeker_id": True}, "seeker_id", "整数"),
        ({"method": None}, "method", "null"),
        ({"extra": 1}, "extra", "不明"),
    ],
)
def test_bad_fields_are_a_400_naming_each_field(api, kobe, seeker, change, field, message):
    start = free_starts(kobe, "in_person")[0]

    response = api(CREATE, {**body(seeker, start), **change})

    assert response.status_code == 400
    assert message in response.json()["fields"][field][0]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"method": "video"}, "method"),
        ({"service": "karaoke"}, "service"),
        ({"venue": "nowhere"}, "venue"),
        ({"venue": None}, "venue"),
        ({"channel": "fax"}, "channel"),
        ({"topic": "gossip"}, "topic"),
    ],
)
def test_what_the_domain_refuses_is_a_422_with_field_messages(api, kobe, seeker, change, field):
    start = free_starts(kobe, "in_person")[0]

    response = api(CREATE, {**body(seeker, start), **change})

    assert response.status_code == 422
    data = response.json()
    assert data["error"] == "invalid"
    assert data["fields"][field]


def test_a_seeker_of_another_program_is_a_422_that_does_not_reveal_them(api, kobe, saitama):
    stranger = register_seeker(saitama, birth_date=dt.date(1955, 5, 5))
    start = free_starts(kobe, "in_person")[0]

    response = api(CREATE, body(stranger, start))

    assert response.status_code == 422
    assert "seeker_id" in response.json()["fields"]
    assert not Reservation.objects.exists()


@pytest.mark.parametrize("seeker_id", [0, -1, 987654321, 2**63, -(2**63) - 1, 10**30])
def test_an_unknown_seeker_id_of_any_size_is_a_422(api, kobe, seeker, seeker_id):
    # Ids beyond 64 bits included: the look-up must answer, not fail in the driver.
    start = free_starts(kobe, "in_person")[0]

    response = api(CREATE, {**body(seeker, start), "seeker_id": seeker_id})

    assert response.status_code == 422
    assert "seeker_id" in response.json()["fields"]
    assert not Reservation.objects.exists()


def test_a_time_that_is_not_a_slot_is_a_422(api, kobe, seeker):
    start = free_starts(kobe, "in_person")[0] + dt.timedelta(minutes=17)

    response = api(CREATE, body(seeker, start))

    assert response.status_code == 422
    assert response.json()["error"] == "no_slot"


def test_a_full_slot_is_a_409_with_the_nearest_free_alternatives(api, kobe, seeker):
    start = free_starts(kobe, "in_person")[0]
    other = register_seeker(kobe, birth_date=dt.date(1950, 1, 1), phone="080-1234-0000")
    reservation_create(
        program=kobe,
        seeker=other,
        service=kobe.services.get(code="in_person"),
        venue=kobe.venues.get(code="sannomiya_east"),
        start=start,
        method="in_person",
        channel="phone",
    )

    response = api(CREATE, body(seeker, start))

    assert response.status_code == 409
    data = response.json()
    assert data["error"] == "full" and "満席" in data["message"]
    alternatives = data["details"]["alternatives"]
    assert alternatives and all(a["free"] > 0 for a in alternatives)
    assert start.isoformat() not in [a["start"] for a in alternatives]


def test_the_same_seeker_twice_at_once_is_a_409_overlap(api, kobe, seeker):
    start = free_starts(kobe, "online")[0]
    first = api(CREATE, body(seeker, start, service="online", venue=None, method="phone"))
    assert first.status_code == 201

    again = api(CREATE, body(seeker, start, service="online", venue=None, method="chat"))

    assert again.status_code == 409
    assert again.json()["error"] == "overlap"


def test_a_reservation_is_cancelled_and_cancelling_again_is_a_409(api, kobe, seeker):
    start = free_starts(kobe, "in_person")[0]
    created = api(CREATE, body(seeker, start)).json()

    response = api(cancel_url(created["id"]))

    assert response.status_code == 200
    assert response.json() == {**created, "status": "cancelled"}
    again = api(cancel_url(created["id"]), {"channel": "staff"})
    assert again.status_code == 409
    assert again.json()["error"] == "conflict"


def test_cancel_rejects_unknown_fields_and_channels(api, kobe, seeker):
    start = free_starts(kobe, "in_person")[0]
    created = api(CREATE, body(seeker, start)).json()

    assert api(cancel_url(created["id"]), {"reason": "ill"}).status_code == 400
    assert api(cancel_url(created["id"]), {"channel": "fax"}).status_code == 422
    assert api(cancel_url(created["id"]), raw="{oops").status_code == 400


def test_an_unknown_reservation_is_a_404(api):
    response = api(cancel_url(999999))

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
