"""The sign-in pages: password, second factor (or its enrolment), recovery codes,
sign-out, and the page a locked-out sign-in gets. Thin: the checks are django-axes'
and django-otp's, the writes are in :mod:`secondcareer.people.twofactor`."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_cool_off
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from secondcareer.core.audit import audit_log
from secondcareer.core.errors import DomainError
from secondcareer.core.models import AuditAction
from secondcareer.people import twofactor
from secondcareer.people.models import User
from secondcareer.workspace.signin.forms import CodeForm, StaffLoginForm

# Marks the user_login_failed signal sent for a wrong second-factor code, so that the
# audit receiver files it as an OTP failure, not a wrong password.
SECOND_FACTOR_CREDENTIAL = "second_factor"


def _is_verified(user: Any) -> bool:
    """django-otp's mark, False for a user Django's ``login()`` has just set (it has not
    passed the second factor in this request)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _cool_off_minutes(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    return max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (``AXES_LOCKOUT_CALLABLE``): the same
    page whether or not the username exists, and no session left behind."""
    if request.user.is_authenticated:
        logout(request)
    return render(
        request,
        "workspace/signin/locked.html",
        {"minutes": _cool_off_minutes(request)},
        status=429,
    )


class StaffLoginView(LoginView):
    """Step 1: username and password. django-axes' backend refuses a locked-out name or
    address before the password is checked; a wrong password counts one failure."""

    form_class = StaffLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        target = super().get_success_url()
        user = self.request.user
        if user.is_authenticated and not _is_verified(user):
            step = (
                "workspace:second_factor"
                if twofactor.has_confirmed_totp(cast(User, user))
                else "workspace:second_factor_enrol"
            )
            return _with_next(step, target)
        return target


def _password_step_user(request: HttpRequest) -> User | None:
    user = request.user
    return cast(User, user) if user.is_authenticated else None


def _locked(request: HttpRequest, user: User) -> bool:
    if not settings.AXES_ENABLED:
        return False
    return not AxesProxyHandler.is_allowed(request, {"username": user.get_username()})


def _signed_in(request: HttpRequest, user: User, device: Any, *, how: str) -> None:
    """Both factors passed: the session is verified, gets a new key, and the failures
    counted for this username and address are forgiven."""
    django_otp.login(request, device)
    request.session.cycle_key()
    if settings.AXES_ENABLED:
        axes_reset(username=user.get_username())
        ip = get_client_ip_address(request)
        if ip:
            axes_reset(ip=ip)
    audit_log(actor=user, action=AuditAction.SIGN_IN, obj=user, request=request, note=how)


@sensitive_post_parameters("code")
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the authenticator app, or a recovery code."""
    user = _password_step_user(request)
    next_url = _next_url(request)
    if user is None:
        return redirect(_with_next("workspace:login", next_url))
    if _is_verified(user):
        return redirect(next_url)
    if not twofactor.has_confirmed_totp(user):
        return redirect(_with_next("workspace:second_factor_enrol", next_url))
    if _locked(request, user):
        return lockout_response(request)
    error = ""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = twofactor.normalize_code(form.cleaned_data["code"])
        check = twofactor.second_factor_check(user=user, code=code)
        if check.device is not None:
            _signed_in(
                request, user, check.device, how="recovery code" if check.recovery else "totp"
            )
            if check.recovery:
                audit_log(
                    actor=user, action=AuditAction.RECOVERY_CODE_USED, obj=user, request=request
                )
                messages.warning(
                    request,
                    _("回復コードを使ってログインしました。残りの回復コードは%(count)d個です。")
                    % {"count": twofactor.recovery_codes_left(user)},
                )
            return redirect(next_url)
        if check.wait_seconds:
            error = _(
                "確認コードを続けて間違えたため、%(seconds)d秒ほど待ってからもう一度入力してください。"
            ) % {"seconds": check.wait_seconds}
        else:
            audit_log(
                actor=user,
                action=AuditAction.OTP_FAILED,
                obj=user,
                request=request,
                note="recovery code" if check.recovery else "totp",
            )
            # The same count as wrong passwords: the Nth failure locks the username.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": user.get_username(), SECOND_FACTOR_CREDENTIAL: True},
                request=request,
            )
            if getattr(request, "axes_locked_out", False):
                return lockout_response(request)
            error = _("確認コードが正しくありません。もう一度入力してください。")
    elif request.method == "POST":
        error = _("確認コードを入力してください。")
    return render(
        request,
        "workspace/signin/second_factor.html",
        {"error": error, "next": next_url},
        status=400 if error else 200,
    )


@sensitive_post_parameters("code")
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in: register an authenticator app, confirm it with a code, and get
    recovery codes. Only for a user who has no confirmed app yet (otherwise the password
    alone would let anyone replace the second factor)."""
    user = _password_step_user(request)
    next_url = _next_url(request)
    if user is None:
        return redirect(_with_next("workspace:login", next_url))
    if _is_verified(user):
        return redirect(next_url)
    if twofactor.has_confirmed_totp(user):
        return redirect(_with_next("workspace:second_factor", next_url))
    error = ""
    if request.method == "POST":
        form = CodeForm(request.POST)
        code = twofactor.normalize_code(form.cleaned_data["code"]) if form.is_valid() else ""
        check = twofactor.totp_enrolment_confirm(user=user, code=code, request=request)
        if check.device is not None:
            _signed_in(request, user, check.device, how="enrolment")
            return render(
                request,
                "workspace/signin/recovery_codes.html",
                {"codes": check.recovery_codes, "next": next_url, "first_time": True},
            )
        if check.wait_seconds:
            error = _(
                "確認コードを続けて間違えたため、%(seconds)d秒ほど待ってからもう一度入力してください。"
            ) % {"seconds": check.wait_seconds}
        else:
            error = _(
                "確認コードが正しくありません。認証アプリに表示されている6桁の数字を入力してください。"
            )
    enrolment = twofactor.totp_enrolment_start(user=user)
    return render(
        request,
        "workspace/signin/enrol.html",
        {"enrolment": enrolment, "error": error, "next": next_url},
        status=400 if error else 200,
    )


@never_cache
@login_required
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    """A signed-in (both factors) staff member replaces their recovery codes."""
    user = cast(User, request.user)
    codes = twofactor.recovery_codes_issue(user=user, request=request)
    return render(
        request,
        "workspace/signin/recovery_codes.html",
        {"codes": codes, "next": reverse(settings.LOGIN_REDIRECT_URL), "first_time": False},
    )


class StaffLogoutView(LogoutView):
    """POST only (Django's LogoutView refuses GET)."""


def admin_login_redirect(request: HttpRequest) -> HttpResponse:
    """The admin has no sign-in of its own: its login URL leads to the staff sign-in
    (password and second factor), then back. Someone already signed in who is sent here
    is not a superuser: a 403, not a redirect loop through the sign-in."""
    if request.user.is_authenticated:
        raise DomainError(
            _("管理画面はシステム管理者だけが使えます。スタッフ画面をご利用ください。"),
            code="forbidden",
            status=403,
        )
    return redirect(_with_next("workspace:login", _next_url(request)))
