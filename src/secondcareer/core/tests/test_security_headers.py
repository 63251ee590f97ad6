"""The headers every response carries: a Content-Security-Policy with nothing inline, a
Permissions-Policy that switches off what no page uses, ``Cache-Control: no-store`` on
everything but static files, and (in production) a year of HSTS; and ``check --deploy``
under production settings warns about nothing."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from secondcareer.booking.feeds import feed_token
from secondcareer.booking.tests.test_public_booking import free_slots, walk_to_confirm
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role
from secondcareer.people.services import staff_create

SRC = Path(__file__).resolve().parents[2]  # src/secondcareer


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [p.strip().split() for p in policy.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def assert_strict_csp(response) -> None:
    csp = directives(response)
    for name in ("script-src", "style-src"):
        assert csp[name] == ["'self'"], (name, csp[name])
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, policy
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]


def assert_permissions_off(response) -> None:
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy, policy


def test_a_staff_page_is_never_stored_and_carries_the_strict_policies(client_for, manager):
    response = client_for(manager).get(reverse("workspace:home"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert_strict_csp(response)
    assert_permissions_off(response)


def test_the_public_booking_steps_with_a_persons_details_are_never_stored(client, kobe):
    start = free_slots(kobe, "online")[0].slot.start
    confirm = walk_to_confirm(client, kobe, "online", start, method="phone")
    assert "山田" in confirm.content.decode()  # the page shows the person's details
    assert confirm["Cache-Control"] == "no-store"
    assert_strict_csp(confirm)
    details = client.get(reverse("booking_public:details", args=["kobe"]))
    assert details["Cache-Control"] == "no-store"
    done = client.post(reverse("booking_public:confirm", args=["kobe"]))
    page = client.get(done["Location"])
    assert page["Cache-Control"] == "no-store"
    assert "/book/cancel/" in page.content.decode()


def test_the_line_registration_page_is_never_stored_and_strict(client, kobe):
    response = client.get(reverse("line:register", args=["kobe"]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert_strict_csp(response)
    assert_permissions_off(response)


def test_the_api_never_lets_its_answers_be_stored(client, kobe):
    reception = staff_create(username="kb-api", password=None, program=kobe, role=Role.RECEPTION)
    sign_in_staff(client, reception)
    response = client.get("/api/availability", {"program": "kobe"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    client.logout()
    refused = client.post("/api/reservations", "{}", content_type="application/json")
    assert refused.status_code in {401, 403}
    assert refused["Cache-Control"] == "no-store"


def test_the_calendar_feed_with_card_numbers_is_no_longer_cached_for_five_minutes(client, kobe):
    consultant = staff_create(username="kb-feed", password=None, program=kobe, role=Role.CONSULTANT)
    response = client.get(reverse("booking_feed:consultant", args=[feed_token(consultant)]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_health_check_is_never_stored(client, db):
    assert client.get("/healthz")["Cache-Control"] == "no-store"


def test_static_files_keep_their_caching_and_their_content(client, db):
    response = client.get("/static/core/base.css")
    assert response.status_code == 200
    assert b"min-height" in b"".join(response.streaming_content)
    assert "no-store" not in response.get("Cache-Control", "")
    assert response["Content-Type"].startswith("text/css")


INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an inline event handler": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_of_ours_needs_unsafe_inline():
    """What the CSP would block, found in the source before a browser does."""
    found = []
    for template in sorted(SRC.glob("**/templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for what, pattern in INLINE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(SRC)}:{line}: {what}")
    assert not found, "\n".join(found)


def _production_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "DATABASE_", "CACHE_")) and k not in {"DEBUG"}
    }
    env.update(
        SECONDCAREER_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50)[:50],
        ALLOWED_HOSTS="example.jp",
        DJANGO_SETTINGS_MODULE="secondcareer.config.settings",
    )
    return env


def test_check_deploy_under_production_settings_warns_about_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "secondcareer", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output


def test_production_sends_a_year_of_hsts_for_every_subdomain_and_preload():
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/healthz', secure=True, headers={'host': 'example.jp'})\n"
        "print(r['Strict-Transport-Security'])\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", script],
        env=_production_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "max-age=31536000; includeSubDomains; preload"


def test_one_year_is_the_default_but_an_operator_can_shorten_it():
    env = {**_production_env(), "SECURE_HSTS_SECONDS": "600", "SECURE_HSTS_PRELOAD": "0"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import secondcareer.config.settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["600", "True", "False"]
