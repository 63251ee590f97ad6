"""Signing staff in from tests: a real two-factor session, as the sign-in pages leave it.

``sign_in_staff(client, user)`` gives ``user`` a confirmed django-otp TOTP device (if
they have none), logs the client in (which records the session's start, as the password
step does) and marks the session verified with that device exactly as
``django_otp.login`` does. Staff pages, the admin and the session-authenticated API
then accept it; a plain ``force_login`` is a password-only session and they refuse it.
"""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondcareer.people.models import User
from secondcareer.people.twofactor import TOTP_DEVICE_NAME


def totp_device_for(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
    return device


def sign_in_staff(client: Client, user: User) -> Client:
    device = totp_device_for(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def totp_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the person's authenticator app shows now (RFC 6238, as django-otp
    computes it), for tests that type it in."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"
