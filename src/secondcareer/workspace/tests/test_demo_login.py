"""The demo prints a way in that works (password and demo-only codes), and none of it
works in production."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from secondcareer.people.models import User
from secondcareer.people.twofactor import demo_second_factor
from secondcareer.workspace.management.commands.demo import DEMO_USERNAME, Command


def _sign_in(password: str, code: str) -> Client:
    client = Client()
    step = client.post(
        reverse("workspace:login"), {"username": DEMO_USERNAME, "password": password}
    )
    assert step.status_code == 302 and "second-factor" in step["Location"]
    assert "setup" not in step["Location"]  # already enrolled: no authenticator app needed
    client.post(reverse("workspace:second_factor"), {"code": code})
    return client


def test_the_demo_login_signs_in_with_the_printed_password_and_a_printed_code(db):
    password, second_factor = Command(stdout=io.StringIO())._staff_login()
    assert len(second_factor.codes) >= 3

    client = _sign_in(password, second_factor.codes[0])

    assert client.get(reverse("workspace:home")).status_code == 200
    assert client.get("/admin/").status_code == 200  # demo-admin is a superuser
    # Another code works for a second sign-in, the used one does not.
    assert _sign_in(password, second_factor.codes[1]).get("/staff/").status_code == 200


def test_production_refuses_the_demo_codes(db, settings):
    password, second_factor = Command(stdout=io.StringIO())._staff_login()
    settings.ENVIRONMENT = "production"

    client = _sign_in(password, second_factor.codes[0])

    assert client.get(reverse("workspace:home")).status_code == 302
    with pytest.raises(RuntimeError):
        demo_second_factor(user=User.objects.get(username=DEMO_USERNAME))


def test_the_demo_command_refuses_to_run_in_production(db, settings):
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="本番環境"):
        call_command("demo", "--no-serve", stdout=io.StringIO())
    assert not User.objects.filter(username=DEMO_USERNAME).exists()
