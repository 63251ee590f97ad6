"""Forms of the case screens. They only parse and label what staff type; every rule is
in :mod:`secondcareer.consultations.services`, whose errors come back onto the form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondcareer.consultations.models import (
    Attendance,
    Channel,
    CheckMethod,
    EmploymentStatus,
    ReferralOutcome,
)
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.programs.choices import Method

NOTES_MAX = 10_000


def _choice_errors(what: Any) -> dict[str, Any]:
    message = _("一覧にある%(what)sを選んでください。") % {"what": what}
    return {"invalid_choice": message, "required": message}


KIND_ERRORS = _choice_errors(_("相談の種類"))
METHOD_ERRORS = _choice_errors(_("相談方法"))
CHANNEL_ERRORS = _choice_errors(_("実施場所"))
CONSULTANT_ERRORS = _choice_errors(_("担当"))
ATTENDANCE_ERRORS = _choice_errors(_("出欠"))
TOPIC_ERRORS = {"invalid_choice": _("一覧にある話題を選んでください。")}


class LocalDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input read as Japanese time."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def to_python(self, value: Any) -> dt.datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        if moment.tzinfo is None:
            return moment.replace(tzinfo=TOKYO)
        try:
            return moment.astimezone(TOKYO)
        except OverflowError:  # 9999-12-31T23:59:59-14:00 is past year 9999 in Japan
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class RecordForm(forms.Form):
    """One consultation, pre-filled from its reservation when there is one."""

    attendance = forms.ChoiceField(
        label=_("出欠"),
        choices=Attendance.choices,
        initial=Attendance.ATTENDED,
        widget=forms.RadioSelect,
        error_messages=ATTENDANCE_ERRORS,
    )
    kind = forms.ChoiceField(label=_("相談の種類"), error_messages=KIND_ERRORS)
    method = forms.ChoiceField(
        label=_("相談方法"), choices=Method.choices, error_messages=METHOD_ERRORS
    )
    channel = forms.ChoiceField(
        label=_("実施場所"), choices=Channel.choices, error_messages=CHANNEL_ERRORS
    )
    consultant = forms.TypedChoiceField(
        label=_("担当キャリアコンサルタント"), coerce=int, error_messages=CONSULTANT_ERRORS
    )
    start = LocalDateTimeField(
        label=_("開始日時"),
        error_messages={"invalid": _("開始日時を「2026-12-03 14:00」の形で入力してください。")},
    )
    minutes = forms.IntegerField(
        label=_("相談時間（分）"),
        min_value=1,
        max_value=600,
        error_messages={
            "invalid": _("相談時間は分の数字で入力してください。"),
            "min_value": _("相談時間は1分以上で入力してください。"),
            "max_value": _("相談時間は600分以内で入力してください。"),
        },
    )
    topics = forms.MultipleChoiceField(
        label=_("話題"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=TOPIC_ERRORS,
    )
    notes = forms.CharField(
        label=_("相談記録"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": _("相談記録は10,000字以内で入力してください。")},
    )
    next_action = forms.CharField(label=_("次の対応"), required=False, max_length=500)
    next_contact_on = forms.DateField(
        label=_("次回連絡日"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("次回連絡日を「2026-12-10」の形で入力してください。")},
    )

    def __init__(
        self,
        *args: Any,
        kinds: list[tuple[str, str]],
        topics: list[tuple[str, str]],
        consultants: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        self.fields["topics"].choices = topics  # type: ignore[attr-defined]
        self.fields["consultant"].choices = consultants  # type: ignore[attr-defined]


class GroupRecordForm(forms.Form):
    """A group session (巡回相談): one time and place, attendance for many seekers."""

    kind = forms.ChoiceField(label=_("相談の種類"), error_messages=KIND_ERRORS)
    start = LocalDateTimeField(
        label=_("開始日時"),
        error_messages={"invalid": _("開始日時を「2026-12-03 14:00」の形で入力してください。")},
    )
    minutes = forms.IntegerField(
        label=_("時間（分）"),
        min_value=1,
        max_value=600,
        initial=120,
        error_messages={"invalid": _("時間は分の数字で入力してください。")},
    )
    attended = forms.CharField(
        label=_("出席した利用者（利用者カード番号または利用者番号を1行に1人）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    no_show = forms.CharField(
        label=_("欠席した利用者（同じく1行に1人）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    topics = forms.MultipleChoiceField(
        label=_("話題"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=TOPIC_ERRORS,
    )

    def __init__(
        self, *args: Any, kinds: list[tuple[str, str]], topics: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        self.fields["topics"].choices = topics  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    goals = forms.CharField(
        label=_("目標"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("支援計画の目標を入力してください。")},
    )
    steps = forms.CharField(
        label=_("支援の手順（1行に1つ）"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    target_on = forms.DateField(
        label=_("目標時期"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("目標時期を「2027-03-31」の形で入力してください。")},
    )

    def step_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["steps"].splitlines() if line.strip()]


class ReviewForm(forms.Form):
    outcome = forms.CharField(
        label=_("見直しの結果"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("見直しの結果を入力してください。")},
    )
    on = forms.DateField(
        label=_("実施日"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("実施日を「2026-12-03」の形で入力してください。")},
    )


class AssignForm(forms.Form):
    consultant = forms.TypedChoiceField(label=_("新しい担当"), coerce=int)
    note = forms.CharField(label=_("変更の理由"), required=False, max_length=200)

    def __init__(self, *args: Any, consultants: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultant"].choices = consultants  # type: ignore[attr-defined]


class InactivityCheckForm(forms.Form):
    """One call or postcard to a seeker out of contact and what it found."""

    method = forms.ChoiceField(
        label=_("確認の方法"),
        choices=CheckMethod.choices,
        widget=forms.RadioSelect,
        error_messages=_choice_errors(_("確認の方法")),
    )
    result = forms.ChoiceField(
        label=_("わかった就職状況"),
        choices=EmploymentStatus.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "電話がつながらなかったとき、はがきを送って返信がまだないときは「連絡つかず」。"
        ),
        error_messages=_choice_errors(_("就職状況")),
    )
    done_on = forms.DateField(
        label=_("実施日"),
        widget=DateInput(),
        error_messages={
            "invalid": _("実施日を「2026-12-03」の形で入力してください。"),
            "required": _("実施日を入力してください。"),
        },
    )
    employer_note = forms.CharField(
        label=_("就職先・仕事の内容"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("就職先・仕事の内容は200字以内で入力してください。")},
    )
    next_action = forms.CharField(
        label=_("次の対応（セミナー・面接会の案内など）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("次の対応は500字以内で入力してください。")},
    )


class ShareForm(forms.Form):
    """Share the case with another consultant of the program."""

    consultant = forms.TypedChoiceField(
        label=_("共有するキャリアコンサルタント"),
        coerce=int,
        error_messages={
            "invalid_choice": _("共有できるのは、この事業のキャリアコンサルタントだけです。"),
            "required": _("共有するキャリアコンサルタントを選んでください。"),
        },
    )
    reason = forms.CharField(
        label=_("共有の理由"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("共有の理由は200文字以内で入力してください。")},
    )

    def __init__(self, *args: Any, consultants: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "share_%s")
        super().__init__(*args, **kwargs)
        self.fields["consultant"].choices = consultants  # type: ignore[attr-defined]


BodyChoices = list[tuple[str, list[tuple[int, str]]]]


class ReferralForm(forms.Form):
    """A referral to a public support body (the seeker's area's bodies first)."""

    body = forms.TypedChoiceField(
        label=_("紹介先"),
        coerce=int,
        error_messages={
            "invalid_choice": _("この事業の公的支援機関を一覧から選んでください。"),
            "required": _("紹介先を選んでください。"),
        },
    )
    reason = forms.CharField(
        label=_("紹介の理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("紹介の理由を入力してください。"),
            "max_length": _("紹介の理由は2000文字以内で入力してください。"),
        },
    )
    referred_on = forms.DateField(
        label=_("紹介日"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("紹介日を「2026-12-03」の形で入力してください。")},
    )

    def __init__(self, *args: Any, bodies: BodyChoices, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "referral_%s")
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = bodies  # type: ignore[attr-defined]


class ReferralOutcomeForm(forms.Form):
    """What came of a referral."""

    outcome = forms.ChoiceField(
        label=_("結果"),
        choices=ReferralOutcome.choices,
        error_messages=_choice_errors(_("結果")),
    )
    outcome_on = forms.DateField(
        label=_("結果の確認日"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("確認日を「2026-12-03」の形で入力してください。")},
    )
    note = forms.CharField(
        label=_("結果の記録"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("結果の記録は2000文字以内で入力してください。")},
    )
