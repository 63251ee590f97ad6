"""Staff second factor (django-otp): a TOTP device per staff member and single-use
recovery codes (a static device). Writes here are the only code that creates, confirms
or removes devices; the sign-in pages (``workspace.signin``), the admin and the demo
call them. See docs/adr/0014-staff-sign-in.md.

A code is checked against a device chosen by what was typed: six digits for the
authenticator app, anything else for a recovery code. django-otp's own throttling
(exponential delay per device after a wrong code) applies in every process, since it
is stored on the device row.
"""

from __future__ import annotations

import unicodedata
from base64 import b32encode
from dataclasses import dataclass, field

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondcareer.core.audit import audit_log
from secondcareer.core.models import AuditAction
from secondcareer.people.models import User

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "認証アプリ"
RECOVERY_DEVICE_NAME = "回復コード"
# The demo command's device (docs/adr/0014): its codes are printed on the console, so it
# is refused whenever SECONDCAREER_ENV=production, even if a demo database is deployed.
DEMO_DEVICE_NAME = "demo-only"


def normalize_code(raw: str) -> str:
    """What a person typed, as a code: full-width digits and letters folded (Japanese
    input methods type ０１２), spaces and hyphens dropped, lower case."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(ch for ch in text if ch.isalnum()).lower()


def is_totp_code(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit()


def has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(
        device__user=user, device__confirmed=True, device__name=RECOVERY_DEVICE_NAME
    ).count()


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, grouped in fours, for typing into an app by hand
    qr_svg: str  # the otpauth:// URI as an inline SVG (no script, no style attribute)


def totp_enrolment_start(*, user: User) -> Enrolment:
    """The unconfirmed TOTP device ``user`` is enrolling (a new one the first time),
    with its secret shown as a QR code and as text."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(
        scale=5,
        border=4,
        dark="#000",
        light="#fff",
        svgclass="qr",
        omitsize=True,  # a viewBox only: the stylesheet sets the size, nothing is cropped
        title="認証アプリに読み取らせるQRコード",
    )
    return Enrolment(device=device, secret=grouped, qr_svg=svg)


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a typed code: the device that accepted it, or None."""

    device: Device | None
    recovery: bool = False
    wait_seconds: int = 0  # > 0: django-otp's throttle refused to check at all
    recovery_codes: list[str] = field(default_factory=list)  # new ones, after enrolment


def _wait_seconds(device: Device) -> int:
    """Seconds django-otp's throttle still refuses to check a code on ``device``."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return 0
    until = (info or {}).get("locked_until")
    return max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1


def totp_enrolment_confirm(
    *, user: User, code: str, request: HttpRequest | None = None
) -> CodeCheck:
    """Confirm the device being enrolled with a code from the app. On success the result
    carries the device and the new recovery codes (to be shown once)."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            return CodeCheck(device=None)
        wait = _wait_seconds(device)
        if wait:
            return CodeCheck(device=None, wait_seconds=wait)
        if not is_totp_code(code) or not device.verify_token(code):
            if not is_totp_code(code):
                device.throttle_increment()
            return CodeCheck(device=None)
        # One app per person: an earlier confirmed one (never, unless reset raced) goes.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_log(actor=user, action=AuditAction.OTP_ENROL, obj=user, request=request)
        codes = recovery_codes_issue(user=user, request=request)
    return CodeCheck(device=device, recovery_codes=codes)


def recovery_codes_issue(*, user: User, request: HttpRequest | None = None) -> list[str]:
    """A fresh set of single-use recovery codes; earlier ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
        audit_log(
            actor=user,
            action=AuditAction.RECOVERY_CODES_ISSUED,
            obj=user,
            request=request,
            note=f"{len(codes)} codes",
        )
    return codes


def _usable_devices(user: User, *, recovery: bool) -> list[Device]:
    if not recovery:
        return list(
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk")
        )
    devices = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
    if settings.ENVIRONMENT == "production":
        devices = devices.exclude(name=DEMO_DEVICE_NAME)
    return list(devices.order_by("pk"))


def second_factor_check(*, user: User, code: str) -> CodeCheck:
    """Check a code typed at sign-in against the user's devices (recovery codes are
    used up on success)."""
    recovery = not is_totp_code(code)
    with transaction.atomic():
        devices = _usable_devices(user, recovery=recovery)
        waits = []
        for device in devices:
            wait = _wait_seconds(device)
            if wait:
                waits.append(wait)
                continue
            if code and device.verify_token(code):
                return CodeCheck(device=device, recovery=recovery)
        if devices and len(waits) == len(devices):
            return CodeCheck(device=None, recovery=recovery, wait_seconds=min(waits))
    return CodeCheck(device=None, recovery=recovery)


def second_factor_reset(
    *, user: User, actor: User | None, request: HttpRequest | None = None
) -> int:
    """Remove every device of ``user`` (a lost phone): the next sign-in enrols anew."""
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice):
            count, _ = model.objects.filter(user=user).delete()
            removed += count
        audit_log(actor=actor, action=AuditAction.OTP_RESET, obj=user, request=request)
    return removed


@dataclass(frozen=True)
class DemoLogin:
    totp_secret: str
    codes: list[str]


def demo_second_factor(*, user: User, codes: int = 5) -> DemoLogin:
    """For ``secondcareer demo`` only: a confirmed TOTP device (its secret printed, for
    an authenticator app) and a few single-use codes on a device named demo-only, which
    production refuses."""
    if settings.ENVIRONMENT == "production":
        raise RuntimeError("demo sign-in codes are refused in production")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        totp = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
        device = StaticDevice.objects.create(user=user, name=DEMO_DEVICE_NAME)
        tokens = [StaticToken.random_token() for _ in range(codes)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in tokens])
    secret = b32encode(totp.bin_key).decode("ascii").rstrip("=")
    return DemoLogin(totp_secret=secret, codes=tokens)
