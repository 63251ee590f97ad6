from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class StaffLoginForm(AuthenticationForm):
    """Django's form; one message for every refusal, so that it never tells whether a
    username exists."""

    error_messages = {
        "invalid_login": _(
            "ユーザー名またはパスワードが正しくありません。もう一度入力してください。"
        ),
        "inactive": _("ユーザー名またはパスワードが正しくありません。もう一度入力してください。"),
    }


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("確認コード"),
        max_length=64,
        error_messages={"required": _("確認コードを入力してください。")},
    )
