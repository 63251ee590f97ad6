"""Staff session lifetime: signed out after 30 idle minutes and 8 hours after signing
in (both configurable), with a Japanese message; the cookie never outlives 8 hours."""

from __future__ import annotations

import datetime as dt
import time

import time_machine
from django.urls import reverse

from secondcareer.core.models import AuditAction, AuditEntry

HOME = "/staff/"


def later(seconds: float):
    return time_machine.travel(time.time() + seconds, tick=False)


def _signed_in(response) -> bool:
    return response.status_code == 200


def test_thirty_idle_minutes_sign_the_session_out_with_a_message(client_for, consultant):
    client = client_for(consultant)
    with later(29 * 60):
        assert _signed_in(client.get(HOME))
    with later(29 * 60 + 30 * 60 + 1):
        response = client.get(HOME, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("workspace:login"))
    assert "しばらく操作がなかったため、ログアウトしました" in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.SIGN_OUT)
    assert entry.note == "idle timeout" and entry.actor_id == consultant.pk


def test_activity_does_not_stretch_a_session_past_eight_hours(client_for, consultant):
    client = client_for(consultant)
    for minutes in range(25, 8 * 60, 25):  # a request every 25 minutes
        with later(minutes * 60):
            assert _signed_in(client.get(HOME)), minutes
    with later(8 * 3600 + 1):
        response = client.get(HOME)
    assert response.status_code == 302  # the session itself expired at sign-in + 8 hours


def test_the_absolute_limit_is_enforced_by_the_server_with_a_message(
    client_for, consultant, settings
):
    client = client_for(consultant)  # its session would last 8 hours
    settings.STAFF_ABSOLUTE_TIMEOUT = dt.timedelta(hours=2)
    for minutes in range(25, 2 * 60, 25):
        with later(minutes * 60):
            assert _signed_in(client.get(HOME)), minutes
    with later(2 * 3600 + 1):
        response = client.get(HOME, follow=True)
    assert "ログインしてから長い時間がたったため" in response.content.decode()
    assert AuditEntry.objects.get(action=AuditAction.SIGN_OUT).note == "absolute timeout"


def test_the_limits_come_from_settings(client_for, consultant, settings):
    settings.STAFF_IDLE_TIMEOUT = dt.timedelta(minutes=5)
    client = client_for(consultant)
    with later(5 * 60 + 1):
        assert client.get(HOME).status_code == 302


def test_an_expired_session_gets_a_401_from_the_api(client_for, receptionist, program):
    client = client_for(receptionist)
    url = f"/api/availability?program={program.slug}"
    assert client.get(url).status_code != 401
    with later(31 * 60):
        assert client.get(url).status_code == 401


def test_the_session_cookie_lasts_no_longer_than_the_absolute_limit(client, consultant):
    from secondcareer.conftest import PASSWORD

    response = client.post(
        reverse("workspace:login"), {"username": consultant.username, "password": PASSWORD}
    )
    cookie = response.cookies["sessionid"]
    assert 0 < int(cookie["max-age"]) <= 8 * 3600
    assert client.session.get_expiry_age() <= 8 * 3600
    # Later activity does not push the cookie's end past sign-in + 8 hours.
    with later(60 * 60):
        again = client.get(reverse("workspace:second_factor"))
    assert int(again.cookies["sessionid"]["max-age"]) <= 7 * 3600


def test_a_session_without_sign_in_times_is_signed_out(client, consultant):
    client.force_login(consultant)
    session = client.session
    del session["staff_signed_in_at"]
    session.save()
    assert client.get(HOME).status_code == 302
