"""The platform's own pages opened from LINE (LIFF-style): registration, linking with
reception's code, reading a personal answer, and the program's privacy notice.
Personal data is typed and shown here, never in the chat.

These pages are for seekers, mostly 60+: 18 px type, 44 px targets, one column from
320 px, and each control with its own label (axe-core checks them in Chromium).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import birth_year_choices
from secondcareer.messaging.line.channel import LINE
from secondcareer.messaging.line.services.linking import (
    line_user_link,
    link_with_code,
    verified_line_user,
)
from secondcareer.messaging.models import AnswerDelivery, Inquiry
from secondcareer.messaging.services import inquiry_answer_read
from secondcareer.people.models import HeardFrom
from secondcareer.people.services import ConsentInput, seeker_register
from secondcareer.programs.models import Area, Program

PRIVACY_VERSION = "1"  # the consent version the notice on /line/<program>/privacy/ is


class BirthDateForm(forms.Form):
    """A birth date as three selects, each with its own label: 年 (西暦 with 和暦, ages
    40 to 100 on today's date, newest first in decades), 月, 日. The posted names are the
    ones Django's SelectDateWidget used (``birth_date_year`` …), so links and tests that
    post them keep working; ``cleaned_data["birth_date"]`` is the date."""

    birth_date_year = forms.TypedChoiceField(
        label=gettext_lazy("年"),
        coerce=int,
        error_messages={"required": gettext_lazy("生まれた年を選んでください。")},
    )
    birth_date_month = forms.TypedChoiceField(
        label=gettext_lazy("月"),
        coerce=int,
        choices=[("", gettext_lazy("選んでください")), *((m, f"{m}月") for m in range(1, 13))],
        error_messages={"required": gettext_lazy("生まれた月を選んでください。")},
    )
    birth_date_day = forms.TypedChoiceField(
        label=gettext_lazy("日"),
        coerce=int,
        choices=[("", gettext_lazy("選んでください")), *((d, f"{d}日") for d in range(1, 32))],
        error_messages={"required": gettext_lazy("生まれた日を選んでください。")},
    )
    birth_fields = ("birth_date_year", "birth_date_month", "birth_date_day")

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = birth_year_choices(today or timezone.localdate())
        self.fields["birth_date_year"].choices = [("", _("選んでください")), *years]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [data.get(name) for name in self.birth_fields]
        if all(parts):
            try:
                data["birth_date"] = dt.date(*parts)  # type: ignore[arg-type]
            except ValueError:
                self.add_error(
                    "birth_date_day", _("その月にない日付です。生年月日をご確認ください。")
                )
        return data

    @property
    def birth_parts(self) -> list[forms.BoundField]:
        return [self[name] for name in self.birth_fields]

    @property
    def birth_errors(self) -> list[str]:
        return [str(e) for name in self.birth_fields for e in self.errors.get(name, [])]


class RegisterForm(BirthDateForm):
    id_token = forms.CharField(widget=forms.HiddenInput, required=False)
    family_name = forms.CharField(label=gettext_lazy("姓"), max_length=50)
    given_name = forms.CharField(label=gettext_lazy("名"), max_length=50)
    family_name_kana = forms.CharField(label=gettext_lazy("姓（フリガナ）"), max_length=80)
    given_name_kana = forms.CharField(label=gettext_lazy("名（フリガナ）"), max_length=80)
    phone = forms.CharField(
        label=gettext_lazy("電話番号"),
        max_length=20,
        help_text=gettext_lazy("例: 090-1234-5678"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("お住まいの地域"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=gettext_lazy("選んでください"),
    )
    heard_from = forms.ChoiceField(
        label=gettext_lazy("この窓口を何で知りましたか"),
        choices=[("", gettext_lazy("選んでください")), *HeardFrom.choices],
        required=False,
    )
    privacy = forms.BooleanField(
        label=gettext_lazy("個人情報の取扱いに同意します"),
        error_messages={
            "required": gettext_lazy(
                "個人情報の取扱いへの同意が必要です。同意いただけない場合は、お電話でご相談ください。"
            )
        },
    )
    line_notices = forms.BooleanField(
        label=gettext_lazy("LINEでお知らせ（セミナー・求人など）を受け取る"), required=False
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(program=program)  # type: ignore[attr-defined]
        for name, autocomplete in (("family_name", "family-name"), ("given_name", "given-name")):
            self.fields[name].widget.attrs["autocomplete"] = autocomplete


class LinkForm(BirthDateForm):
    id_token = forms.CharField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(
        label=gettext_lazy("連携コード（8けた）"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class VerifyForm(forms.Form):
    id_token = forms.CharField(widget=forms.HiddenInput, required=False)


def _program(slug: str) -> Program:
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise Http404
    return program


def _apply_errors(form: forms.Form, error: DomainError) -> None:
    for field, messages in error.field_errors.items():
        target = "birth_date_year" if field == "birth_date" else field
        for message in messages:
            form.add_error(target if target in form.fields else None, message)
    if not error.field_errors:
        form.add_error(None, error.message)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = _program(program_slug)
    form = RegisterForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            line_user = verified_line_user(program=program, id_token=data["id_token"])
            if line_user.seeker_id:
                return render(
                    request, "line/registered.html", {"program": program, "already": True}
                )
            consents = [ConsentInput(kind="privacy", version=PRIVACY_VERSION, method="line_form")]
            if data["line_notices"]:
                consents.append(ConsentInput(kind="line_notices", version="1", method="line_form"))
            seeker = seeker_register(
                program=program,
                actor=None,
                channel="line",
                family_name=data["family_name"],
                given_name=data["given_name"],
                family_name_kana=data["family_name_kana"],
                given_name_kana=data["given_name_kana"],
                birth_date=data["birth_date"],
                phone=data["phone"],
                area=data["area"],
                heard_from=data["heard_from"],
                consents=consents,
            )
            line_user_link(line_user=line_user, seeker=seeker)
        except DomainError as error:
            _apply_errors(form, error)
        else:
            return render(request, "line/registered.html", {"program": program, "already": False})
    return render(request, "line/register.html", {"program": program, "form": form})


@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = _program(program_slug)
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            line_user = verified_line_user(program=program, id_token=form.cleaned_data["id_token"])
            link_with_code(
                line_user=line_user,
                code=form.cleaned_data["code"],
                birth_date=form.cleaned_data["birth_date"],
            )
        except DomainError as error:
            _apply_errors(form, error)
        else:
            return render(request, "line/registered.html", {"program": program, "already": False})
    return render(request, "line/link.html", {"program": program, "form": form})


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, program_slug: str, token: str) -> HttpResponse:
    program = _program(program_slug)
    inquiry = Inquiry.objects.filter(
        program=program,
        answer_token=token,
        delivery=AnswerDelivery.LINK,
        channel=LINE,
    ).first()
    if inquiry is None or not inquiry.contact_key:
        raise Http404
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            line_user = verified_line_user(program=program, id_token=form.cleaned_data["id_token"])
        except DomainError as error:
            _apply_errors(form, error)
        else:
            if line_user.line_user_id != inquiry.contact_key:
                raise Http404  # someone else's answer: it does not exist for them
            inquiry_answer_read(inquiry=inquiry, program=program)
            return render(request, "line/answer.html", {"program": program, "inquiry": inquiry})
    return render(request, "line/verify.html", {"program": program, "form": form})


@require_http_methods(["GET"])
def privacy(request: HttpRequest, program_slug: str) -> HttpResponse:
    """The program's privacy notice that the registration form's consent refers to."""
    program = _program(program_slug)
    return render(request, "line/privacy.html", {"program": program, "version": PRIVACY_VERSION})
