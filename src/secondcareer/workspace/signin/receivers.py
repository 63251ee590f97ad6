"""Django's and django-axes' sign-in signals → session start and the audit log.

Signals, because these events happen inside ``django.contrib.auth.authenticate`` and
django-axes (a wrong password anywhere, a lockout), where no code of ours runs. The
password and codes never reach the log: Django masks them in ``credentials`` and we
read only the username. A name that matches no account is not written at all — it
might be a password typed into the wrong field — only the fact and the address.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from secondcareer.core.audit import audit_log
from secondcareer.core.models import AuditAction
from secondcareer.people.models import User
from secondcareer.workspace.signin.middleware import session_started

USER_OBJECT_TYPE = User._meta.label_lower


def _account(username: object) -> User | None:
    if not isinstance(username, str) or not username:
        return None
    return User.objects.filter(username=username).first()


def _about(user: User | None) -> dict[str, Any]:
    if user is not None:
        return {"obj": user}
    return {"obj": None, "object_type": USER_OBJECT_TYPE, "object_id": ""}


def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_started(request)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    from secondcareer.workspace.signin.views import SECOND_FACTOR_CREDENTIAL

    if credentials.get(SECOND_FACTOR_CREDENTIAL):
        return  # filed as an OTP failure by the view
    user = _account(credentials.get("username"))
    refused_while_locked = (
        request is not None
        and getattr(request, "axes_locked_out", False)
        and getattr(request, "axes_failures_since_start", None) is None
    )
    if refused_while_locked:
        note = "refused: locked"  # the password was not even checked
    elif user is None:
        note = "unknown username"
    else:
        note = "wrong password"
    audit_log(
        actor=None, action=AuditAction.SIGN_IN_FAILED, request=request, note=note, **_about(user)
    )


def on_locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    # django-axes also sends this for every attempt while the lock lasts; the lock
    # begins at the failure it counted (axes_failures_since_start is set then only).
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    audit_log(
        actor=None,
        action=AuditAction.LOCKOUT,
        request=request,
        note=f"after {failures} failures",
        **_about(_account(username)),
    )


def on_logged_out(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return
    reason = getattr(request, "signout_reason", "user") if request is not None else "user"
    audit_log(actor=user, action=AuditAction.SIGN_OUT, obj=user, request=request, note=reason)


def connect() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(on_logged_in, dispatch_uid="secondcareer.signin.logged_in")
    user_login_failed.connect(on_login_failed, dispatch_uid="secondcareer.signin.failed")
    user_logged_out.connect(on_logged_out, dispatch_uid="secondcareer.signin.logged_out")
    user_locked_out.connect(on_locked_out, dispatch_uid="secondcareer.signin.locked_out")
