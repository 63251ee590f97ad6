"""Staff sign-in with a second factor: enrolment at the first sign-in, the code or a
recovery code later, and no staff page, admin page or session API call for a session
that has passed the password only."""

from __future__ import annotations

import io
import re
import time

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondcareer.conftest import PASSWORD
from secondcareer.core.models import AuditAction, AuditEntry
from secondcareer.devtools.testing.staff import sign_in_staff, totp_code, totp_device_for
from secondcareer.people.models import User
from secondcareer.people.twofactor import RECOVERY_CODE_COUNT

LOGIN = "/staff/login/"


def later(seconds: float):
    """The clock moved on by ``seconds`` (django-otp throttles, TOTP steps, timeouts)."""
    return time_machine.travel(time.time() + seconds, tick=False)


def _password_step(client: Client, user: User, password: str = PASSWORD):
    return client.post(LOGIN, {"username": user.username, "password": password})


def _actions(user: User) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="people.user", object_id=str(user.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_the_first_sign_in_enrols_an_app_shows_recovery_codes_and_reaches_the_home(
    client, receptionist
):
    response = _password_step(client, receptionist)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workspace:second_factor_enrol"))

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "認証アプリの登録" in html
    svg_tag = re.search(r"<svg[^>]*>", html).group(0)
    assert "viewBox" in svg_tag and "width" not in svg_tag  # scaled by CSS, never cropped
    device = TOTPDevice.objects.get(user=receptionist, confirmed=False)
    # The secret is shown as text too, for typing into the app by hand.
    secret = re.search(r'class="secret"[^>]*>([A-Z2-7 ]+)<', html)
    assert secret is not None and len(secret.group(1).replace(" ", "")) == 32
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert "<script" not in html and "style=" not in html and "<style" not in html

    wrong = client.post(reverse("workspace:second_factor_enrol"), {"code": "000000"})
    assert wrong.status_code == 400
    assert "確認コードが正しくありません" in wrong.content.decode()

    too_soon = client.post(reverse("workspace:second_factor_enrol"), {"code": "000000"})
    assert "待ってから" in too_soon.content.decode()  # django-otp's throttle, in Japanese

    with later(60):
        device.refresh_from_db()
        done = client.post(
            reverse("workspace:second_factor_enrol"),
            {"code": totp_code(device), "next": "/staff/"},
        )
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    assert done.status_code == 200
    assert len(codes) == RECOVERY_CODE_COUNT
    assert "今回だけ" in done.content.decode()
    assert client.get(reverse("workspace:home")).status_code == 200
    assert _actions(receptionist) == [
        AuditAction.OTP_ENROL,
        AuditAction.RECOVERY_CODES_ISSUED,
        AuditAction.SIGN_IN,
    ]


def test_a_later_sign_in_asks_for_the_code_and_accepts_full_width_digits(client, consultant):
    device = totp_device_for(consultant)
    response = _password_step(client, consultant)
    assert response["Location"].startswith(reverse("workspace:second_factor"))
    assert client.get(reverse("workspace:home")).status_code == 302  # not yet

    code = totp_code(device).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    done = client.post(reverse("workspace:second_factor"), {"code": code, "next": "/staff/"})

    assert done.status_code == 302 and done["Location"] == "/staff/"
    assert client.get(reverse("workspace:home")).status_code == 200
    assert _actions(consultant)[-1] == AuditAction.SIGN_IN


def test_a_recovery_code_signs_in_once_and_then_never_again(client, manager):
    device = totp_device_for(manager)
    from secondcareer.people.twofactor import recovery_codes_issue

    code = recovery_codes_issue(user=manager)[0]
    _password_step(client, manager)
    used = client.post(reverse("workspace:second_factor"), {"code": code.upper()})
    assert used.status_code == 302
    assert AuditAction.RECOVERY_CODE_USED in _actions(manager)
    assert StaticToken.objects.filter(device__user=manager).count() == RECOVERY_CODE_COUNT - 1

    again = Client()
    with later(60):  # past django-otp's throttle of the last try
        _password_step(again, manager)
        refused = again.post(reverse("workspace:second_factor"), {"code": code})
    assert refused.status_code == 400
    assert again.get(reverse("workspace:home")).status_code == 302
    assert device.pk  # the app still works; only the code is spent


def test_a_password_only_session_cannot_replace_the_second_factor(client, consultant):
    device = totp_device_for(consultant)
    _password_step(client, consultant)

    response = client.get(reverse("workspace:second_factor_enrol"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workspace:second_factor"))
    assert list(TOTPDevice.objects.filter(user=consultant)) == [device]


def _staff_urls(program_slug: str) -> list[str]:
    """Every URL under /staff/, with placeholder arguments (a page that needs a real
    record must still refuse before looking for it)."""
    sign_in = {
        reverse(name)
        for name in (
            "workspace:login",
            "workspace:logout",
            "workspace:second_factor",
            "workspace:second_factor_enrol",
        )
    }
    found: list[str] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name:
                route = prefix + str(p.pattern)
                if not route.startswith("staff/"):
                    continue
                kwargs = {
                    name: (program_slug if "program" in name else 1)
                    for name in p.pattern.converters
                }
                url = reverse(f"{namespace}{p.name}", kwargs=kwargs)
                if url not in sign_in:
                    found.append(url)

    walk(get_resolver().url_patterns, "", "")
    return sorted(set(found))


def test_no_staff_page_admin_page_or_session_api_call_accepts_the_password_alone(
    client, manager, program
):
    manager.is_superuser = manager.is_staff = True
    manager.save()
    totp_device_for(manager)
    assert _password_step(client, manager).status_code == 302
    urls = _staff_urls(program.slug)
    assert len(urls) >= 15  # every staff screen, seekers, booking and inquiries

    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response["Location"].startswith(LOGIN), (method, url)
    admin = client.get("/admin/", follow=True)
    assert admin.redirect_chain[-1][0].startswith(LOGIN)
    assert client.get("/admin/people/user/").status_code == 302
    api = client.get(f"/api/availability?program={program.slug}")
    assert api.status_code == 401 and api.json()["error"] == "unauthorized"

    # The same session after the second factor reaches them all.
    verified = sign_in_staff(Client(), manager)
    assert verified.get(reverse("workspace:home")).status_code == 200
    assert verified.get("/admin/").status_code == 200
    assert verified.get(f"/api/availability?program={program.slug}").status_code != 401


def test_a_forced_login_without_the_device_is_a_password_only_session(client, manager):
    client.force_login(manager)
    assert client.get(reverse("workspace:home")).status_code == 302
    api = client.post("/api/reservations", "{}", content_type="application/json")
    assert api.status_code == 401


def test_signing_out_is_a_post_and_is_audited(client_for, consultant):
    client = client_for(consultant)
    assert client.get(reverse("workspace:logout")).status_code == 405
    assert client.get(reverse("workspace:home")).status_code == 200

    response = client.post(reverse("workspace:logout"))

    assert response.status_code == 302
    assert client.get(reverse("workspace:home")).status_code == 302
    entry = AuditEntry.objects.filter(action=AuditAction.SIGN_OUT).get()
    assert entry.actor_id == consultant.pk and entry.note == "user"


def test_the_admin_login_page_leads_to_the_staff_sign_in(client):
    response = client.get("/admin/login/?next=/admin/people/user/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2Fpeople%2Fuser%2F"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_the_second_factor_never_redirects_off_site(client, consultant, next_url):
    device = totp_device_for(consultant)
    _password_step(client, consultant)
    done = client.post(
        reverse("workspace:second_factor"), {"code": totp_code(device), "next": next_url}
    )
    assert done.status_code == 302 and done["Location"] == reverse("workspace:home")


def test_a_signed_in_user_renews_recovery_codes_and_the_old_ones_stop_working(
    client_for, consultant
):
    from secondcareer.people.twofactor import recovery_codes_issue

    old = recovery_codes_issue(user=consultant)
    client = client_for(consultant)
    assert "回復コードを作り直す" in client.get(reverse("workspace:home")).content.decode()

    page = client.post(reverse("workspace:recovery_codes_renew"))

    new = re.findall(r"<li>([a-z2-7]{8})</li>", page.content.decode())
    assert len(new) == RECOVERY_CODE_COUNT and not set(new) & set(old)
    fresh = Client()
    _password_step(fresh, consultant)
    assert fresh.post(reverse("workspace:second_factor"), {"code": old[0]}).status_code == 400


def test_the_reset_command_makes_the_next_sign_in_enrol_again(client, consultant):
    from django.core.management import call_command

    totp_device_for(consultant)
    call_command("second-factor-reset", consultant.username, stdout=io.StringIO())

    step = _password_step(client, consultant)
    assert step["Location"].startswith(reverse("workspace:second_factor_enrol"))
    assert AuditEntry.objects.filter(action=AuditAction.OTP_RESET).count() == 1


def test_a_superuser_resets_a_lost_device_from_the_admin(client, consultant, manager):
    totp_device_for(consultant)
    manager.is_superuser = manager.is_staff = True
    manager.save()
    admin = sign_in_staff(Client(), manager)

    done = admin.post(
        "/admin/people/user/",
        {"action": "reset_second_factor", "_selected_action": [consultant.pk]},
        follow=True,
    )

    assert "二要素認証をリセットしました" in done.content.decode()
    assert not TOTPDevice.objects.filter(user=consultant).exists()
    step = _password_step(client, consultant)
    assert step["Location"].startswith(reverse("workspace:second_factor_enrol"))
    reset = AuditEntry.objects.get(action=AuditAction.OTP_RESET)
    assert reset.actor_id == manager.pk and reset.object_id == str(consultant.pk)
