"""The forms of the internship screens: they read the input; the services check it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from secondcareer.core.inputs import validate_date_in_range
from secondcareer.jobs.forms import DateInput
from secondcareer.placements.internship_models import ConsentParty, InternshipKind


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        validators=[validate_date_in_range],
        error_messages={
            "required": _("%(label)sを入力してください。") % {"label": label},
            "invalid": _("%(label)sを「2026-12-10」の形で入力してください。") % {"label": label},
        },
    )


def _text(label: Any, max_length: int, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": _("%(label)sを入力してください。") % {"label": label},
            "max_length": _("%(label)sは%(max)s文字以内で入力してください。")
            % {"label": label, "max": max_length},
        },
    )


class ConsentForm(forms.Form):
    party = forms.ChoiceField(
        label=_("同意した側"),
        choices=ConsentParty.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("参加者か受入事業所を選んでください。"),
            "invalid_choice": _("参加者か受入事業所を選んでください。"),
        },
    )
    given_on = _date(_("同意日"))
    given_by = _text(_("同意した人（事業所の担当者など）"), 100, required=False)


class InsuranceForm(forms.Form):
    policy_name = _text(_("保険の名称"), 200)
    insurer = _text(_("保険会社"), 200)
    policy_number = _text(_("証券番号"), 100, required=False)
    coverage_start = _date(_("補償の開始日"))
    coverage_end = _date(_("補償の終了日"))


class InternshipForm(forms.Form):
    """A new internship: the participant by card number, the employer from the list."""

    kind = forms.ChoiceField(
        label=_("種別"),
        choices=InternshipKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("職場見学か職場体験を選んでください。"),
            "invalid_choice": _("職場見学か職場体験を選んでください。"),
        },
    )
    card_number = _text(_("参加者の利用者カード番号"), 20)
    employer = forms.TypedChoiceField(
        label=_("受入事業所"),
        coerce=int,
        error_messages={
            "required": _("受入事業所を選んでください。"),
            "invalid_choice": _("一覧にある受入事業所を選んでください。"),
        },
    )
    start_on = _date(_("開始日"))
    end_on = _date(_("終了日"))
    place = _text(_("実施場所"), 300, required=False)
    content = forms.CharField(
        label=_("実施内容"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    schedule = forms.CharField(
        label=_("日程（スケジュール）"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    safety_notes = forms.CharField(
        label=_("安全への配慮"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    harassment_notes = forms.CharField(
        label=_("ハラスメントの防止"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    travel_paid_by_employer = forms.BooleanField(
        label=_("交通費を受入事業所が支給する"), required=False
    )

    def __init__(self, *args: Any, employers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["employer"])
        field.choices = [("", _("選んでください")), *employers]
