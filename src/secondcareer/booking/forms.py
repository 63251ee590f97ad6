"""Forms of the staff booking screens: phone booking, reservation actions, absences.

Forms check the shape of the input and that every chosen row belongs to the program of
the URL; the booking rules themselves (free seats, overlaps, policy) stay in
:mod:`secondcareer.booking.services`, whose :class:`DomainError` messages are put back
on the form with :meth:`StaffForm.add_domain_error`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondcareer.booking.models import Topic
from secondcareer.booking.selectors import program_consultants
from secondcareer.core.errors import DomainError
from secondcareer.core.inputs import DateOutOfRange, validate_date_in_range
from secondcareer.core.jpcalendar import TOKYO, parse_date_ja
from secondcareer.people.models import User
from secondcareer.programs.choices import Method
from secondcareer.programs.models import Area, ConsultationKind, Program, Service, Venue


class StaffChoiceField(forms.ModelChoiceField):
    """Staff members by name."""

    def label_from_instance(self, obj: Any) -> str:
        return staff_name(obj)


class StaffForm(forms.Form):
    """A form that can show a service's :class:`DomainError` on its fields. Labels are
    Japanese phrases and sentences: no ``:`` after them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    # Service field names that are called differently on the forms.
    domain_field_aliases: dict[str, str] = {"seeker_id": "__all__", "channel": "__all__"}

    def add_domain_error(self, error: DomainError) -> None:
        placed = False
        for name, messages in error.field_errors.items():
            target = self.domain_field_aliases.get(name, name)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)
                placed = True
        if not placed:
            self.add_error(None, error.message)


# --- Calendar ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarTarget:
    """What a calendar shows: a service at a venue, a remote service, or a consultant."""

    label: str
    service: Service | None = None
    venue: Venue | None = None
    consultant: User | None = None


class CalendarForm(StaffForm):
    view = forms.ChoiceField(
        label=_("表示"), choices=[("day", _("1日")), ("week", _("1週間"))], required=False
    )
    date = forms.DateField(
        label=_("日付"),
        required=False,
        validators=[validate_date_in_range],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    target = forms.ChoiceField(label=_("会場・オンライン・担当者"), required=False)

    def __init__(
        self, data: Any, *, program: Program, default_consultant: User | None = None
    ) -> None:
        """Bound to the query string with the defaults filled in (today, one day, the
        user's own calendar for a consultant, else the first venue), so the controls
        always show what the page shows."""
        targets: dict[str, CalendarTarget] = {}
        places: list[tuple[str, str]] = []
        remote: list[tuple[str, str]] = []
        services = list(Service.objects.filter(program=program).order_by("pk"))
        for service in services:
            if service.delivery == "venue":
                for venue in service.venues.order_by("pk"):
                    label = venue.name if len(services) == 1 else f"{venue.name}（{service.name}）"
                    key = f"venue:{service.code}:{venue.code}"
                    targets[key] = CalendarTarget(label, service=service, venue=venue)
                    places.append((key, label))
            else:
                key = f"service:{service.code}"
                targets[key] = CalendarTarget(service.name, service=service)
                remote.append((key, service.name))
        people = []
        for consultant in program_consultants(program):
            key = f"consultant:{consultant.pk}"
            targets[key] = CalendarTarget(staff_name(consultant), consultant=consultant)
            people.append((key, staff_name(consultant)))
        own = f"consultant:{default_consultant.pk}" if default_consultant else ""
        defaults = {
            "view": "day",
            "date": timezone.localdate().isoformat(),
            "target": own if own in targets else next(iter(targets), ""),
        }
        given = {k: data.get(k) for k in defaults if data.get(k)}
        super().__init__({**defaults, **given})
        self.targets = targets
        groups = [
            (_("会場"), places),
            (_("オンライン相談"), remote),
            (_("キャリアコンサルタント"), people),
        ]
        cast(forms.ChoiceField, self.fields["target"]).choices = [g for g in groups if g[1]]


# --- Phone booking, screen 1: find or register the caller --------------------------------


class SeekerSearchForm(StaffForm):
    q = forms.CharField(
        label=_("氏名・フリガナ・電話番号・利用者カード番号"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
    )


def parse_birth_date(text: str) -> dt.date:
    """A birth date as staff type it from the phone (see
    :func:`secondcareer.core.jpcalendar.parse_date_ja`), or a form error saying how."""
    try:
        return parse_date_ja(text)
    except DateOutOfRange as exc:
        raise ValidationError(exc.message, code="out_of_range") from None
    except ValueError:
        raise ValidationError(
            _("生年月日は「昭和35年5月1日」「S35.5.1」「1960-05-01」のように入力してください。"),
            code="invalid",
        ) from None


class BirthDateField(forms.Field):
    widget = forms.TextInput(attrs={"maxlength": 30, "autocomplete": "off"})

    def to_python(self, value: Any) -> dt.date | None:
        text = str(value or "").strip()
        return parse_birth_date(text) if text else None


class SeekerRegisterForm(StaffForm):
    """A caller who is not registered yet, registered during the call."""

    family_name = forms.CharField(label=_("姓"), max_length=50)
    given_name = forms.CharField(label=_("名"), max_length=50)
    family_name_kana = forms.CharField(label=_("姓（フリガナ）"), max_length=80)
    given_name_kana = forms.CharField(label=_("名（フリガナ）"), max_length=80)
    birth_date = BirthDateField(
        label=_("生年月日"),
        help_text=_("例: 昭和35年5月1日、S35.5.1、1960-05-01"),
    )
    phone = forms.CharField(
        label=_("電話番号"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    postal_code = forms.CharField(label=_("郵便番号（任意）"), max_length=10, required=False)
    address = forms.CharField(label=_("住所（任意）"), max_length=200, required=False)
    area = forms.ModelChoiceField(
        label=_("お住まいの地域（任意）"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("（選択しない）"),
    )
    privacy_consent = forms.BooleanField(
        label=_("個人情報の取扱いについて説明し、口頭で同意をいただきました"),
        error_messages={"required": _("個人情報の取扱いへの同意がないと登録できません。")},
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        _choices(self, "area").queryset = Area.objects.filter(program=program).order_by("pk")


# --- Phone booking, screen 2 and 3: the slot, then confirm -------------------------------


class PlaceForm(StaffForm):
    """Which service (and venue) the caller wants; chooses the free slots shown."""

    service = forms.ModelChoiceField(
        label=_("相談サービス"),
        queryset=Service.objects.none(),
        to_field_name="code",
        empty_label=_("（選んでください）"),
    )
    venue = forms.ModelChoiceField(
        label=_("会場"),
        queryset=Venue.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("（選んでください）"),
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        _choices(self, "service").queryset = Service.objects.filter(program=program).order_by("pk")
        _choices(self, "venue").queryset = (
            Venue.objects.filter(program=program, services__program=program)
            .distinct()
            .order_by("pk")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        service: Service | None = cleaned.get("service")
        venue: Venue | None = cleaned.get("venue")
        if service is None:
            return cleaned
        if service.delivery == "venue":
            if venue is None:
                self.add_error("venue", _("会場を選んでください。"))
            elif not service.venues.filter(pk=venue.pk).exists():
                self.add_error("venue", _("この相談サービスを実施していない会場です。"))
        else:
            cleaned["venue"] = None  # a remote service has no venue: ignore a leftover choice
        return cleaned


class BookingForm(PlaceForm):
    """The whole booking: place, start, method, kind and topic."""

    start = forms.DateTimeField(
        label=_("日時"),
        error_messages={"required": _("日時を選んでください。")},
        validators=[validate_date_in_range],
    )
    method = forms.ChoiceField(label=_("相談方法"), choices=Method.choices, required=False)
    kind = forms.ModelChoiceField(
        label=_("相談の種類"), queryset=ConsultationKind.objects.none(), required=False
    )
    topic = forms.ChoiceField(
        label=_("相談の分類（任意）"),
        choices=[("", _("（選択しない）")), *Topic.choices],
        required=False,
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, program=program, **kwargs)
        _choices(self, "kind").queryset = ConsultationKind.objects.filter(program=program)

    def limit_to(self, service: Service) -> None:
        """Offer only the methods and kinds ``service`` has (for the unbound form of
        screen 2; a bound form checks them in :meth:`clean`)."""
        method = cast(forms.ChoiceField, self.fields["method"])
        method.widget = forms.RadioSelect()
        method.choices = [(m, Method(m).label) for m in service.methods]
        kind = _choices(self, "kind")
        kind.queryset = service.kinds.order_by("pk")
        kind.empty_label = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        service: Service | None = cleaned.get("service")
        if service is None:
            return cleaned
        methods = list(service.methods or [])
        method = cleaned.get("method") or (methods[0] if len(methods) == 1 else "")
        if not method:
            self.add_error("method", _("相談方法を選んでください。"))
        elif method not in methods:
            self.add_error("method", _("この相談サービスでは選べない相談方法です。"))
        cleaned["method"] = method
        kinds = list(service.kinds.order_by("pk"))
        kind = cleaned.get("kind")
        if kind is None and kinds:
            cleaned["kind"] = kinds[0]
        elif kind is not None and kind not in kinds:
            self.add_error("kind", _("この相談サービスでは選べない相談の種類です。"))
        return cleaned


# --- Reservation actions ----------------------------------------------------------------


class CancelForm(StaffForm):
    confirmed = forms.BooleanField(
        label=_("ご本人に取消の意思を確認しました"),
        error_messages={"required": _("取消の前に、ご本人の意思を確認してチェックしてください。")},
    )


class OutcomeForm(StaffForm):
    outcome = forms.ChoiceField(
        choices=[("attended", _("来談済み")), ("no_show", _("無断欠席"))],
        widget=forms.HiddenInput,
    )


class RescheduleForm(StaffForm):
    venue = forms.ModelChoiceField(
        label=_("会場"),
        queryset=Venue.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=None,
    )
    start = forms.DateTimeField(
        label=_("新しい日時"),
        error_messages={"required": _("新しい日時を選んでください。")},
        validators=[validate_date_in_range],
    )

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "venue").queryset = service.venues.order_by("pk")


# --- Absence and cover ------------------------------------------------------------------


class AbsenceForm(StaffForm):
    consultant = StaffChoiceField(
        label=_("不在のキャリアコンサルタント"),
        queryset=User.objects.none(),
        empty_label=_("（選んでください）"),
    )
    day = forms.DateField(
        label=_("不在の日"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_date_in_range],
    )
    note = forms.CharField(label=_("備考（任意）"), max_length=200, required=False)

    def __init__(
        self, *args: Any, program: Program, only: User | None = None, **kwargs: Any
    ) -> None:
        """``only``: a consultant marks only their own absence; a manager anyone's."""
        super().__init__(*args, **kwargs)
        consultants = program_consultants(program)
        _choices(self, "consultant").queryset = (
            consultants.filter(pk=only.pk) if only else consultants
        )

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise ValidationError(_("過ぎた日の不在は登録できません。"), code="past")
        return day


class ReassignForm(StaffForm):
    reservation = forms.IntegerField(widget=forms.HiddenInput)
    consultant = forms.ModelChoiceField(queryset=User.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "consultant").queryset = program_consultants(program)


def staff_name(user: User) -> str:
    """A staff member's name in Japanese order (姓 名), or the login name."""
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def slot_value(moment: dt.datetime) -> str:
    """A slot's start as a form value: Tokyo local time without an offset, so it
    survives a query string (a ``+09:00`` would turn into a space) and the form's
    DateTimeField reads it back in the current time zone (Asia/Tokyo)."""
    return moment.astimezone(TOKYO).strftime("%Y-%m-%dT%H:%M")


def _choices(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])
