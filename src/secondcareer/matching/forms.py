"""The matching profile form. It parses and labels what staff type; every rule is in
:func:`secondcareer.matching.services.profile_save`, whose field errors come back onto
the form (the views put them beside their fields)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondcareer.jobs.models import PhysicalLoad
from secondcareer.matching.models import EMPLOYMENT_TYPES, SeekerProfile, TimeOfDay
from secondcareer.programs.models import Program

WAGE_TYPES = (("hourly", _("時給")), ("daily", _("日給")), ("monthly", _("月給")))
TEXT_MAX = 5000
# One wished occupation or tag per line, or separated by 、, commas or slashes.
_SEPARATORS = re.compile(r"[\n\r、,，/／]+")


def _choice_errors(what: Any) -> dict[str, Any]:
    message = _("一覧にある%(what)sを選んでください。") % {"what": what}
    return {"invalid_choice": message, "required": message, "invalid_list": message}


def _whole_errors(message: Any) -> dict[str, Any]:
    return {
        "required": message,
        "invalid": message,
        "min_value": message,
        "max_value": message,
        "step_size": message,
    }


def split_words(text: str) -> list[str]:
    return [w.strip() for w in _SEPARATORS.split(text or "") if w.strip()]


class ProfileForm(forms.Form):
    wished_occupations = forms.CharField(
        label=_("希望の職種（1行に1つ、または「、」で区切る）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("希望の職種は 2,000 文字以内にしてください。")},
    )
    wished_areas = forms.MultipleChoiceField(
        label=_("希望の地域"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choice_errors(_("地域")),
    )
    max_commute_minutes = forms.IntegerField(
        label=_("通勤時間の上限（分）"),
        min_value=5,
        max_value=240,
        initial=60,
        error_messages=_whole_errors(_("通勤時間の上限は 5〜240 分の整数で入力してください。")),
    )
    days_per_week = forms.IntegerField(
        label=_("働ける日数（週に何日まで）"),
        min_value=1,
        max_value=7,
        initial=5,
        error_messages=_whole_errors(_("働ける日数は週 1〜7 日の整数で入力してください。")),
    )
    hours_per_day = forms.DecimalField(
        label=_("働ける時間（1日に何時間まで）"),
        min_value=1,
        max_value=24,
        max_digits=4,
        decimal_places=1,
        initial=8,
        error_messages={
            **_whole_errors(
                _("働ける時間は1日 1〜24 時間で入力してください（0.5 時間単位まで）。")
            ),
            "max_digits": _("働ける時間は1日 1〜24 時間で入力してください（0.5 時間単位まで）。"),
            "max_decimal_places": _(
                "働ける時間は1日 1〜24 時間で入力してください（0.5 時間単位まで）。"
            ),
        },
    )
    time_of_day = forms.ChoiceField(
        label=_("希望の時間帯"),
        choices=TimeOfDay.choices,
        initial=TimeOfDay.ANY,
        widget=forms.RadioSelect,
        error_messages=_choice_errors(_("時間帯")),
    )
    min_wage = forms.IntegerField(
        label=_("希望の賃金（下限、円。0 は指定なし）"),
        min_value=0,
        max_value=2_000_000,
        initial=0,
        error_messages=_whole_errors(_("希望の賃金は 0〜2,000,000 円の整数で入力してください。")),
    )
    min_wage_type = forms.ChoiceField(
        label=_("賃金の形態（日給・月給は時給に直して比べます）"),
        choices=WAGE_TYPES,
        initial="hourly",
        widget=forms.RadioSelect,
        error_messages=_choice_errors(_("賃金の形態")),
    )
    employment_types = forms.MultipleChoiceField(
        label=_("希望の雇用形態（選ばなければ指定なし）"),
        required=False,
        choices=[(t, t) for t in EMPLOYMENT_TYPES],
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choice_errors(_("雇用形態")),
    )
    physical_limit = forms.ChoiceField(
        label=_("身体的な負担（どこまでなら働けるか）"),
        choices=PhysicalLoad.choices,
        initial=PhysicalLoad.HEAVY,
        widget=forms.RadioSelect,
        error_messages=_choice_errors(_("身体的な負担")),
    )
    licences = forms.CharField(
        label=_("免許・資格"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("免許・資格は 5,000 文字以内にしてください。")},
    )
    skills = forms.CharField(
        label=_("スキル"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("スキルは 5,000 文字以内にしてください。")},
    )
    career_history = forms.CharField(
        label=_("職歴（これまでの仕事。仕事内容との近さを比べます）"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": _("職歴は 5,000 文字以内にしてください。")},
    )
    tags = forms.CharField(
        label=_("タグ（キャリアコンサルタント用、「、」で区切る）"),
        required=False,
        max_length=1000,
        error_messages={"max_length": _("タグは 1,000 文字以内にしてください。")},
    )

    def __init__(
        self,
        data: Any = None,
        *,
        program: Program,
        profile: SeekerProfile | None = None,
        **kwargs: Any,
    ) -> None:
        if data is None and profile is not None:
            kwargs.setdefault("initial", initial_of(profile))
        super().__init__(data, **kwargs)
        field = self.fields["wished_areas"]
        if isinstance(field, forms.MultipleChoiceField):
            field.choices = [(a.code, a.name) for a in program.areas.order_by("id")]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as :func:`profile_save` takes them."""
        data = self.cleaned_data
        hours = data["hours_per_day"]
        return {
            "wished_occupations": split_words(data["wished_occupations"]),
            "wished_areas": list(data["wished_areas"]),
            "max_commute_minutes": data["max_commute_minutes"],
            "days_per_week": data["days_per_week"],
            "hours_per_day": float(hours),
            "time_of_day": data["time_of_day"],
            "min_wage": data["min_wage"],
            "min_wage_type": data["min_wage_type"],
            "employment_types": list(data["employment_types"]),
            "physical_limit": data["physical_limit"],
            "licences": data["licences"],
            "skills": data["skills"],
            "career_history": data["career_history"],
            "tags": split_words(data["tags"]),
        }


def initial_of(profile: SeekerProfile) -> dict[str, Any]:
    return {
        "wished_occupations": "\n".join(profile.wished_occupations or []),
        "wished_areas": [a.code for a in profile.wished_areas.all()],
        "max_commute_minutes": profile.max_commute_minutes,
        "days_per_week": profile.days_per_week,
        "hours_per_day": f"{profile.hours_per_day:g}",
        "time_of_day": profile.time_of_day,
        "min_wage": profile.min_hourly_wage,
        "min_wage_type": "hourly",
        "employment_types": list(profile.employment_types or []),
        "physical_limit": profile.physical_limit,
        "licences": profile.licences,
        "skills": profile.skills,
        "career_history": profile.career_history,
        "tags": "、".join(profile.tags or []),
    }
