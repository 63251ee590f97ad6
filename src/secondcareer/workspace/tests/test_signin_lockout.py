"""Lockout (django-axes on the shared cache): five wrong passwords and the right one
still signs in; the sixth wrong one locks the username and the address for the
cool-off, even for the right password; wrong second-factor codes count the same."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from secondcareer.conftest import PASSWORD
from secondcareer.core.models import AuditAction, AuditEntry
from secondcareer.devtools.testing.staff import sign_in_staff, totp_code, totp_device_for

LOGIN = "/staff/login/"
LOCKED = "ログインに続けて失敗したため"


def later(seconds: float):
    return time_machine.travel(time.time() + seconds, tick=False)


def _try(username: str, password: str, *, ip: str = "192.0.2.10"):
    return Client(REMOTE_ADDR=ip).post(LOGIN, {"username": username, "password": password})


def _signs_in_with_password(response) -> bool:
    return response.status_code == 302 and "second-factor" in response["Location"]


def test_five_wrong_passwords_then_the_right_one_still_signs_in(consultant):
    for _ in range(5):
        assert _try(consultant.username, "wrong-password").status_code == 200
    assert _signs_in_with_password(_try(consultant.username, PASSWORD))


def test_the_sixth_wrong_password_locks_even_the_right_one_until_the_cool_off_ends(
    consultant, settings
):
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=20)
    answers = [_try(consultant.username, "wrong-password") for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert LOCKED in answers[-1].content.decode() and "20分" in answers[-1].content.decode()

    # By username: the right password from another address is refused too.
    refused = _try(consultant.username, PASSWORD, ip="198.51.100.7")
    assert refused.status_code == 429 and LOCKED in refused.content.decode()

    with later(19 * 60):
        assert _try(consultant.username, PASSWORD, ip="198.51.100.7").status_code == 429
    with later(20 * 60 + 5):
        assert _signs_in_with_password(_try(consultant.username, PASSWORD, ip="198.51.100.7"))


def test_one_address_is_locked_for_every_username(consultant, manager):
    for n in range(6):
        _try(f"someone-{n}", "guess", ip="203.0.113.9")
    refused = _try(manager.username, PASSWORD, ip="203.0.113.9")
    assert refused.status_code == 429
    assert _signs_in_with_password(_try(manager.username, PASSWORD, ip="203.0.113.10"))


def test_a_locked_unknown_username_gets_the_same_page_as_a_real_one(consultant):
    real = [_try(consultant.username, "x", ip="192.0.2.1") for _ in range(6)][-1]
    unknown = [_try("nobody-here", "x", ip="192.0.2.2") for _ in range(6)][-1]
    assert real.status_code == unknown.status_code == 429
    assert real.content == unknown.content


def test_the_lockout_is_configurable(consultant, settings):
    settings.AXES_FAILURE_LIMIT = 3
    answers = [_try(consultant.username, "wrong").status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_wrong_second_factor_codes_count_and_lock_the_account(client, consultant):
    device = totp_device_for(consultant)
    client.post(LOGIN, {"username": consultant.username, "password": PASSWORD})
    url = reverse("workspace:second_factor")
    answers = []
    for step in range(6):
        with later(60 * step):  # past django-otp's growing delay between tries
            answers.append(client.post(url, {"code": "000000"}))
    assert [a.status_code for a in answers] == [400] * 5 + [429]
    assert "確認コードが正しくありません" in answers[0].content.decode()
    assert LOCKED in answers[-1].content.decode()
    # Signed out, and the password is refused until the cool-off ends.
    assert client.get(url).status_code == 302
    with later(6 * 60):
        assert _try(consultant.username, PASSWORD).status_code == 429
        fresh = Client(REMOTE_ADDR="198.51.100.1")
        fresh.post(LOGIN, {"username": consultant.username, "password": PASSWORD})
    assert device.pk
    failures = AuditEntry.objects.filter(action=AuditAction.OTP_FAILED, object_id=consultant.pk)
    assert failures.count() == 5 + 1


def test_a_code_right_after_a_wrong_one_is_throttled_with_a_japanese_message(client, consultant):
    device = totp_device_for(consultant)
    client.post(LOGIN, {"username": consultant.username, "password": PASSWORD})
    url = reverse("workspace:second_factor")
    client.post(url, {"code": "000000"})
    throttled = client.post(url, {"code": totp_code(device)})
    assert throttled.status_code == 400
    assert "秒ほど待ってから" in throttled.content.decode()
    with later(5):
        assert client.post(url, {"code": totp_code(device)}).status_code == 302


def test_signing_in_with_both_factors_forgives_earlier_failures(client, consultant):
    device = totp_device_for(consultant)
    for _ in range(5):
        _try(consultant.username, "wrong", ip="127.0.0.1")
    client.post(LOGIN, {"username": consultant.username, "password": PASSWORD})
    assert (
        client.post(reverse("workspace:second_factor"), {"code": totp_code(device)}).status_code
        == 302
    )
    for _ in range(5):
        assert _try(consultant.username, "wrong", ip="127.0.0.1").status_code == 200


def test_a_superuser_unlocks_a_user_from_the_admin(consultant, manager):
    for _ in range(6):
        _try(consultant.username, "wrong")
    manager.is_superuser = manager.is_staff = True
    manager.save()
    admin = sign_in_staff(Client(), manager)

    response = admin.post(
        "/admin/people/user/",
        {"action": "unlock_sign_in", "_selected_action": [consultant.pk]},
        follow=True,
    )

    assert "ログイン停止を解除しました" in response.content.decode()
    assert _signs_in_with_password(_try(consultant.username, PASSWORD, ip="198.51.100.3"))
    unlock = AuditEntry.objects.get(action=AuditAction.UNLOCK)
    assert unlock.actor_id == manager.pk and unlock.object_id == str(consultant.pk)


def test_the_axes_command_unlocks_a_username(consultant):
    for _ in range(6):
        _try(consultant.username, "wrong", ip="198.51.100.4")
    call_command("axes_reset_username", consultant.username)
    assert _signs_in_with_password(_try(consultant.username, PASSWORD, ip="198.51.100.5"))


@pytest.mark.parametrize("typed", ["my-secret-Passw0rd", "alpha-consultant2"])
def test_a_failed_sign_in_never_logs_the_password_or_an_unknown_username(consultant, typed):
    # A password typed into the username field, or a name no account has.
    _try(typed, "another-secret-value")
    _try(consultant.username, "the-wrong-one")

    rows = list(AuditEntry.objects.filter(action=AuditAction.SIGN_IN_FAILED).values())
    assert len(rows) == 2
    text = repr(rows)
    for secret in (typed, "another-secret-value", "the-wrong-one"):
        assert secret not in text
    unknown, known = rows[1], rows[0]  # newest first
    assert unknown["note"] == "unknown username" and unknown["object_id"] == ""
    assert known["note"] == "wrong password" and known["object_id"] == str(consultant.pk)
    assert known["ip_address"] == "192.0.2.10"


def test_a_lockout_is_audited_once(consultant):
    for _ in range(8):
        _try(consultant.username, "wrong")
    assert AuditEntry.objects.filter(action=AuditAction.LOCKOUT).count() == 1
    assert (
        AuditEntry.objects.filter(action=AuditAction.SIGN_IN_FAILED, note="refused: locked").count()
        == 2
    )
