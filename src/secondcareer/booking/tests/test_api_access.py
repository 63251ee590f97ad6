"""Who may call each API endpoint: per endpoint, anonymous callers (401), staff of
another program (404), roles without the permission (403), API tokens (valid, revoked,
unknown) and CSRF on session-authenticated POSTs."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from secondcareer.apitokens.models import ApiToken
from secondcareer.apitokens.services import api_token_create, api_token_revoke
from secondcareer.booking.models import Reservation
from secondcareer.booking.selectors import availability
from secondcareer.booking.services import reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Membership, Role

WRITERS = [Role.RECEPTION, Role.CONSULTANT, Role.MANAGER]
NOT_WRITERS = [Role.JOB_DEVELOPER, Role.MUNICIPALITY]


@pytest.fixture
def staff(preset_staff):
    return preset_staff


@pytest.fixture
def seeker(kobe):
    return register_seeker(kobe, birth_date=dt.date(1959, 9, 9))


@pytest.fixture
def start(kobe) -> dt.datetime:
    today = timezone.localdate()
    rows = availability(
        program=kobe,
        service_code="online",
        start=today + dt.timedelta(days=2),
        end=today + dt.timedelta(days=20),
    )
    return next(a.slot.start for a in rows if a.free > 0)


@pytest.fixture
def reservation(kobe, seeker, start) -> Reservation:
    return reservation_create(
        program=kobe,
        seeker=seeker,
        service=kobe.services.get(code="online"),
        start=start,
        method="phone",
        channel="phone",
    )


def create_body(seeker, start) -> str:
    return json.dumps(
        {
            "program": "kobe",
            "seeker_id": seeker.pk,
            "service": "online",
            "start": start.isoformat(),
            "method": "phone",
            "channel": "phone",
        }
    )


def call(client: Client, endpoint: str, *, seeker=None, start=None, reservation=None, **headers):
    """One request to each endpoint, the same way every time."""
    if endpoint == "availability":
        return client.get(reverse("api:availability"), {"program": "kobe"}, **headers)
    if endpoint == "create":
        return client.post(
            reverse("api:reservations"),
            create_body(seeker, start),
            content_type="application/json",
            **headers,
        )
    return client.post(
        reverse("api:reservation_cancel", args=[reservation.pk]),
        "",
        content_type="application/json",
        **headers,
    )


# --- Anonymous -------------------------------------------------------------------------------


def test_anonymous_callers_get_401_on_availability(client, kobe):
    assert call(client, "availability").status_code == 401


def test_anonymous_callers_get_401_on_create(client, seeker, start):
    response = call(client, "create", seeker=seeker, start=start)
    assert response.status_code == 401
    assert not Reservation.objects.exists()


def test_anonymous_callers_get_401_on_cancel(client, reservation):
    assert call(client, "cancel", reservation=reservation).status_code == 401
    reservation.refresh_from_db()
    assert reservation.status == "confirmed"


def test_the_openapi_document_needs_no_login(client):
    assert client.get(reverse("api:openapi-json")).status_code == 200


# --- Another program: 404 -------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role.values))
def test_staff_of_another_program_get_404_on_availability(client, staff, saitama, role):
    sign_in_staff(client, staff(role, program=saitama))
    assert call(client, "availability").status_code == 404


@pytest.mark.parametrize("role", list(Role.values))
def test_staff_of_another_program_get_404_on_create(client, staff, saitama, seeker, start, role):
    sign_in_staff(client, staff(role, program=saitama))
    assert call(client, "create", seeker=seeker, start=start).status_code == 404


@pytest.mark.parametrize("role", list(Role.values))
def test_staff_of_another_program_get_404_on_cancel(client, staff, saitama, reservation, role):
    sign_in_staff(client, staff(role, program=saitama))
    assert call(client, "cancel", reservation=reservation).status_code == 404


# --- Roles within the program ---------------------------------------------------------------


@pytest.mark.parametrize("role", NOT_WRITERS)
def test_job_developers_and_the_municipality_may_not_create(client, staff, seeker, start, role):
    sign_in_staff(client, staff(role))
    response = call(client, "create", seeker=seeker, start=start)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


@pytest.mark.parametrize("role", NOT_WRITERS)
def test_job_developers_and_the_municipality_may_not_cancel(client, staff, reservation, role):
    sign_in_staff(client, staff(role))
    assert call(client, "cancel", reservation=reservation).status_code == 403


@pytest.mark.parametrize("role", WRITERS)
def test_reception_consultants_and_managers_may_create(client, staff, seeker, start, role):
    sign_in_staff(client, staff(role))
    assert call(client, "create", seeker=seeker, start=start).status_code == 201


@pytest.mark.parametrize("role", WRITERS)
def test_reception_consultants_and_managers_may_cancel(client, staff, reservation, role):
    sign_in_staff(client, staff(role))
    assert call(client, "cancel", reservation=reservation).status_code == 200


# --- API tokens -------------------------------------------------------------------------------


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def token(staff) -> str:
    _, raw = api_token_create(user=staff(Role.RECEPTION), name="予約電話システム")
    return raw


def test_a_token_reads_availability(kobe, token):
    assert call(Client(), "availability", **bearer(token)).status_code == 200


def test_a_token_creates_without_a_csrf_token(seeker, start, token):
    strict = Client(enforce_csrf_checks=True)
    response = call(strict, "create", seeker=seeker, start=start, **bearer(token))
    assert response.status_code == 201
    assert Reservation.objects.get().created_by.username == "kobe-reception"


def test_a_token_cancels_without_a_csrf_token(reservation, token):
    strict = Client(enforce_csrf_checks=True)
    assert call(strict, "cancel", reservation=reservation, **bearer(token)).status_code == 200


def test_a_token_carries_only_its_users_roles(staff, seeker, start):
    _, raw = api_token_create(user=staff(Role.MUNICIPALITY), name="集計")
    assert call(Client(), "availability", **bearer(raw)).status_code == 200
    assert call(Client(), "create", seeker=seeker, start=start, **bearer(raw)).status_code == 403


@pytest.mark.parametrize("endpoint", ["availability", "create", "cancel"])
def test_a_revoked_token_is_a_401(staff, seeker, start, reservation, endpoint):
    row, raw = api_token_create(user=staff(Role.MANAGER), name="古い連携")
    api_token_revoke(token=row)
    response = call(
        Client(), endpoint, seeker=seeker, start=start, reservation=reservation, **bearer(raw)
    )
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


@pytest.mark.parametrize(
    "header", ["Bearer sc_not-a-real-token", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz"]
)
@pytest.mark.parametrize("endpoint", ["availability", "create", "cancel"])
def test_an_unknown_or_malformed_token_is_a_401(seeker, start, reservation, endpoint, header):
    response = call(
        Client(),
        endpoint,
        seeker=seeker,
        start=start,
        reservation=reservation,
        HTTP_AUTHORIZATION=header,
    )
    assert response.status_code == 401
    assert "Bearer" in response["WWW-Authenticate"]


def test_a_bad_token_is_refused_even_with_a_staff_session(client, staff, token):
    sign_in_staff(client, staff(Role.MANAGER))
    assert call(client, "availability", **bearer("sc_wrong")).status_code == 401


def test_a_token_of_an_inactive_user_is_a_401(staff, token):
    from secondcareer.people.models import User

    User.objects.filter(username="kobe-reception").update(is_active=False)
    assert call(Client(), "availability", **bearer(token)).status_code == 401


def test_a_token_of_another_programs_staff_finds_no_such_program(staff, saitama, seeker, start):
    _, raw = api_token_create(user=staff(Role.MANAGER, program=saitama), name="埼玉")
    for endpoint in ("availability", "create"):
        response = call(Client(), endpoint, seeker=seeker, start=start, **bearer(raw))
        assert response.status_code == 404
        assert response.json()["fields"]["program"]
    assert not Reservation.objects.exists()


def test_a_token_with_two_roles_in_the_program_has_both(staff, seeker, start):
    user = staff(Role.JOB_DEVELOPER)
    Membership.objects.create(
        user=user, program=user.memberships.get().program, role=Role.RECEPTION
    )
    _, raw = api_token_create(user=user, name="二つの役割")
    assert call(Client(), "create", seeker=seeker, start=start, **bearer(raw)).status_code == 201


@pytest.mark.parametrize(
    "body", ["{not json", "[1, 2]", '{"program": 7}', '{"service": "online"}', ""]
)
def test_a_bad_token_is_a_401_whatever_the_body_and_a_good_one_a_400(token, body):
    url = reverse("api:reservations")
    bad = Client().post(url, body, content_type="application/json", **bearer("sc_wrong"))
    assert bad.status_code == 401
    good = Client().post(url, body, content_type="application/json", **bearer(token))
    assert good.status_code == 400
    assert good.json()["error"] == "invalid"


def test_a_body_over_the_upload_limit_is_a_413_in_the_api_shape_before_any_token_look_up(
    db, settings
):
    # The input rules (core.input_middleware) refuse a body over the limit from its
    # declared length, before it is read and before any token is looked up; the
    # answer is the API's JSON error, not Django's HTML 400 (issue 10, defect 8).
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = json.dumps({"program": "kobe", "topic": "x" * 1000})
    url = reverse("api:reservations")
    for headers in ({}, bearer("sc_wrong")):
        with CaptureQueriesContext(connection) as queries:
            response = Client().post(url, body, content_type="application/json", **headers)
        assert response.status_code == 413
        assert response.json()["error"] == "too_large"
        assert not queries.captured_queries


def test_a_token_booking_reads_the_token_and_the_users_roles_in_one_statement(seeker, start, token):
    with CaptureQueriesContext(connection) as queries:
        response = call(Client(), "create", seeker=seeker, start=start, **bearer(token))
    assert response.status_code == 201
    membership = Membership._meta.db_table
    reading_roles = [q["sql"] for q in queries.captured_queries if membership in q["sql"]]
    assert len(reading_roles) == 1
    assert ApiToken._meta.db_table in reading_roles[0]


# --- CSRF on session-authenticated POSTs -------------------------------------------------------


def test_a_session_post_without_csrf_token_is_refused(staff, seeker, start):
    strict = Client(enforce_csrf_checks=True)
    sign_in_staff(strict, staff(Role.RECEPTION))

    response = call(strict, "create", seeker=seeker, start=start)

    assert response.status_code == 403
    assert response.json()["error"] == "csrf"
    assert not Reservation.objects.exists()


def test_a_session_post_with_the_csrf_token_is_accepted(staff, seeker, start):
    strict = Client(enforce_csrf_checks=True)
    sign_in_staff(strict, staff(Role.RECEPTION))
    csrf = get_random_string(32)  # what a page's csrftoken cookie would hold
    strict.cookies["csrftoken"] = csrf

    response = call(strict, "create", seeker=seeker, start=start, HTTP_X_CSRFTOKEN=csrf)

    assert response.status_code == 201


def test_a_session_get_needs_no_csrf_token(staff):
    strict = Client(enforce_csrf_checks=True)
    sign_in_staff(strict, staff(Role.MUNICIPALITY))
    assert call(strict, "availability").status_code == 200
