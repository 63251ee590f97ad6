"""Forms of the jobs screens. They only parse and label what staff type (labels come
from the models); every rule is in :mod:`secondcareer.jobs.services`, whose errors come
back onto the form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondcareer.core.inputs import validate_date_in_range
from secondcareer.jobs.models import (
    ActivityKind,
    Employer,
    EmployerContact,
    Industry,
    JobPosting,
    PostingSource,
    WageType,
)
from secondcareer.jobs.selectors import SEARCH_STATES
from secondcareer.programs.models import Area, Program

MAX_AMOUNT = 100_000_000
QUERY_MAX = 100


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date_errors(label: Any) -> dict[str, Any]:
    return {"invalid": _("%(label)sを「2026-12-10」の形で入力してください。") % {"label": label}}


class _ServiceValidated(forms.ModelForm):  # type: ignore[type-arg]
    """A model form whose model checks run in the service, not here (the form only
    reads the input): nothing is written to ``instance``."""

    def _post_clean(self) -> None:
        pass

    def _limit_numbers(self, minimum: dict[str, int] | None = None) -> None:
        for name, field in self.fields.items():
            if isinstance(field, forms.IntegerField):
                low = (minimum or {}).get(name, 0)
                field.validators = [MinValueValidator(low), MaxValueValidator(MAX_AMOUNT)]
                field.widget.attrs["min"] = low
                field.widget.attrs["max"] = MAX_AMOUNT
            if isinstance(field, forms.DateField):
                field.validators.append(validate_date_in_range)
                field.widget = DateInput()
                field.error_messages["invalid"] = _date_errors(field.label)["invalid"]


def _areas(program: Program) -> Any:
    return Area.objects.filter(program=program).order_by("id")


class EmployerForm(_ServiceValidated):
    class Meta:
        model = Employer
        fields = (
            "name",
            "name_kana",
            "corporate_number",
            "office_number",
            "address",
            "area",
            "industry",
            "employees",
            "age_limit",
            "retirement_age",
            "rehire_max_age",
            "part_time_ok",
            "training",
            "physical_load",
        )
        help_texts = {
            "corporate_number": _("13桁の数字（国税庁の法人番号）"),
            "office_number": _("ハローワークの事業所番号（例: 1101-123456-1）"),
        }

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas(program)  # type: ignore[attr-defined]
        self._limit_numbers()


class ContactForm(_ServiceValidated):
    class Meta:
        model = EmployerContact
        fields = ("name", "role", "phone", "email")


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("方法"),
        choices=ActivityKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("開拓の方法を選んでください。"),
            "invalid_choice": _("一覧にある開拓の方法を選んでください。"),
        },
    )
    on = forms.DateField(
        label=_("実施日"),
        widget=DateInput(),
        validators=[validate_date_in_range],
        error_messages=_date_errors(_("実施日")),
    )
    by = forms.TypedChoiceField(
        label=_("担当者"),
        coerce=int,
        error_messages={"invalid_choice": _("一覧にある担当者を選んでください。")},
    )
    appeal = forms.CharField(
        label=_("訴求した内容"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.CharField(
        label=_("結果"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["by"].choices = staff  # type: ignore[attr-defined]

    def clean_on(self) -> dt.date:
        on: dt.date = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("実施日に先の日付は入れられません。"))
        return on


class PostingForm(_ServiceValidated):
    number = forms.CharField(
        label=_("求人番号"),
        required=False,
        max_length=20,
        help_text=_("空欄なら「C-000001」の形で自動で付けます。"),
    )

    class Meta:
        model = JobPosting
        fields = (
            "number",
            "employer",
            "office_name",
            "occupation",
            "description",
            "received_on",
            "referral_deadline",
            "workplace_address",
            "workplace_area",
            "employment_type",
            "employment_period",
            "wage_type",
            "wage_from",
            "wage_to",
            "working_hours",
            "days_per_week",
            "holidays",
            "age",
            "age_limited",
            "age_limit_reason",
            "retirement_age",
            "rehire_max_age",
            "requirements",
            "insurance",
            "openings",
        )
        help_texts = {
            "office_name": _("空欄なら事業所の名称"),
            "wage_from": _("円（時給・日給・月給の額）"),
        }

    def __init__(self, *args: Any, program: Program, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.filter(  # type: ignore[attr-defined]
            program=program
        ).order_by("name", "id")
        self.fields["workplace_area"].queryset = _areas(program)  # type: ignore[attr-defined]
        self.fields["office_name"].required = False
        self._limit_numbers({"wage_from": 1})
        if editing:
            del self.fields["number"]


class PostingSearchForm(forms.Form):
    """The posting search's filters (a GET form; a wrong value is shown, never a 500)."""

    q = forms.CharField(
        label=_("キーワード（職種・仕事内容・事業所名）"),
        required=False,
        max_length=QUERY_MAX,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("空白で区切ると、すべての語を含む求人を探します。"),
    )
    area = forms.ChoiceField(label=_("就業場所の地域"), required=False)
    occupation = forms.CharField(label=_("職種"), required=False, max_length=QUERY_MAX)
    employment_type = forms.ChoiceField(label=_("雇用形態"), required=False)
    wage_type = forms.ChoiceField(
        label=_("賃金形態"), required=False, choices=[("", _("指定しない")), *WageType.choices]
    )
    wage_min = forms.IntegerField(
        label=_("賃金の下限（円）"),
        required=False,
        min_value=1,
        max_value=MAX_AMOUNT,
        error_messages={
            "invalid": _("賃金は円の数字で入力してください。"),
            "min_value": _("賃金は1円以上で入力してください。"),
            "max_value": _("賃金が大きすぎます。"),
        },
    )
    days_max = forms.IntegerField(
        label=_("週の勤務日数（この日数以下）"),
        required=False,
        min_value=1,
        max_value=7,
        error_messages={
            "invalid": _("日数は1〜7の数字で入力してください。"),
            "min_value": _("日数は1〜7の数字で入力してください。"),
            "max_value": _("日数は1〜7の数字で入力してください。"),
        },
    )
    source = forms.ChoiceField(
        label=_("出所"),
        required=False,
        choices=[("", _("指定しない")), *PostingSource.choices],
    )
    state = forms.ChoiceField(
        label=_("募集の状態"),
        required=False,
        choices=list(zip(SEARCH_STATES, (_("募集中"), _("募集終了"), _("すべて")), strict=True)),
    )

    def __init__(
        self, *args: Any, areas: list[tuple[str, str]], employment_types: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("指定しない")), *areas]  # type: ignore[attr-defined]
        self.fields["employment_type"].choices = [  # type: ignore[attr-defined]
            ("", _("指定しない")),
            *((t, t) for t in employment_types),
        ]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("一覧にある値を選んでください。")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("wage_min") is not None and not data.get("wage_type"):
            self.add_error("wage_type", _("賃金の下限を指定するときは、賃金形態も選んでください。"))
        return data


class EmployerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("名称・フリガナ"),
        required=False,
        max_length=QUERY_MAX,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    corporate_number = forms.CharField(label=_("法人番号"), required=False, max_length=20)
    area = forms.ChoiceField(label=_("地域"), required=False)
    industry = forms.ChoiceField(
        label=_("産業（大分類）"),
        required=False,
        choices=[("", _("指定しない")), *Industry.choices],
        error_messages={"invalid_choice": _("一覧にある値を選んでください。")},
    )

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("指定しない")), *areas]  # type: ignore[attr-defined]
        self.fields["area"].error_messages["invalid_choice"] = _("一覧にある値を選んでください。")
