"""Preset sections about the program itself: ``program``, ``policies``, ``booking``,
``contact``, ``video`` and ``staffing``."""

from __future__ import annotations

import re
from typing import Annotated, Self

from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field, Strict, WithJsonSchema, model_validator

from secondcareer.programs.phones import normalize_dial
from secondcareer.programs.preset_format.fields import (
    Code,
    DateValue,
    OpeningHours,
    PeriodValue,
    PresetModel,
    RefTo,
    RequiredText,
    Text,
    UniqueCodes,
    hours_as_json,
    refusal,
)
from secondcareer.programs.video import room_template_problem

_CARD_PREFIX = re.compile(r"^[A-Z]{1,4}$")


def _card_prefix(value: str) -> str:
    if not _CARD_PREFIX.match(value):
        raise refusal(
            _("英大文字1〜4文字で書いてください（%(value)r が書かれています）") % {"value": value}
        )
    return value


class Office(PresetModel):
    name: RequiredText
    address: Text = ""


class ProgramInfo(PresetModel):
    """``program``: who runs the program for whom, and under which specification."""

    slug: Code
    name: RequiredText
    client: RequiredText
    card_prefix: Annotated[
        str,
        Strict(),
        AfterValidator(_card_prefix),
        WithJsonSchema({"type": "string", "pattern": "^[A-Z]{1,4}$"}),
    ]
    description: Text = ""
    specification: Text = ""
    spec_fiscal_year: Annotated[int, Strict(), Field(ge=2000, le=2100)] | None = None
    office: Office | None = None

    @property
    def office_name(self) -> str:
        return self.office.name if self.office else ""

    @property
    def office_address(self) -> str:
        return self.office.address if self.office else ""


Age = Annotated[int, Strict(), Field(ge=0, le=120)]
Months = Annotated[int, Strict(), Field(ge=1, le=60)]


class AgeBand(PresetModel):
    code: Code
    name: RequiredText
    min_age: Age | None = Field(None, alias="min")
    max_age: Age | None = Field(None, alias="max")

    @model_validator(mode="after")
    def _min_not_above_max(self) -> Self:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise refusal(
                _("下限 %(low)s が上限 %(high)s を超えています")
                % {"low": self.min_age, "high": self.max_age}
            )
        return self


class Policies(PresetModel):
    senior_age_from: Annotated[int, Strict(), Field(ge=40, le=80)] = 60
    age_bands: Annotated[tuple[AgeBand, ...], UniqueCodes] = ()
    assigned_consultant: Annotated[bool, Strict()] = False
    plan_review_months: tuple[Months, ...] = ()
    inactivity_followup_months: Months | None = None
    retention_followup_months: Months | None = None
    inquiry_reply_hours: Annotated[int, Strict(), Field(ge=1, le=720)] | None = None


def _distinct_ascending(value: tuple[int, ...]) -> tuple[int, ...]:
    if list(value) != sorted(set(value)):
        raise refusal(_("月数は重複なく小さい順に書いてください（例: [1, 3, 6]）"))
    return value


class Retention(PresetModel):
    """``retention: {followup_months: [1, 3, 6]}``: the retention follow-ups (定着支援)
    generated at a placement, in months after its start date."""

    followup_months: Annotated[tuple[Months, ...], AfterValidator(_distinct_ascending)] = (1, 3, 6)


class Contract(PresetModel):
    """``contract: {ends_on: 2026-03-31}``: the last day of the contract period; work due
    after it (retention follow-ups) continues as the provider's own service."""

    ends_on: DateValue | None = None


class Booking(PresetModel):
    chatbot_always_open: Annotated[bool, Strict()] = False
    phone_line_hours: OpeningHours = Field(default_factory=dict)


def _dial(value: str) -> str:
    phone = normalize_dial(value)
    if phone is None:
        raise refusal(
            _(
                "電話をかける人がダイヤルする形の日本の電話番号を書いてください"
                "（例: 078-000-0000）。%(value)r は使えません"
            )
            % {"value": value}
        )
    return phone


# A published Japanese phone number as a caller dials it (``contact``, ``support_bodies``).
Dial = Annotated[RequiredText, AfterValidator(_dial)]


def _at_most_200(value: str) -> str:
    if len(value) > 200:
        raise refusal(
            _("200文字以内にしてください（%(length)s 文字あります）") % {"length": len(value)}
        )
    return value


class Contact(PresetModel):
    """``contact: {phone: 078-000-0000, hours: 平日 9:00〜17:00}``: the booking dial
    (see :mod:`secondcareer.programs.phones` for what is accepted) and its hours. Both
    empty when the preset has no ``contact``."""

    phone: Annotated[RequiredText, AfterValidator(_dial)]
    hours: Annotated[
        Text, AfterValidator(_at_most_200), WithJsonSchema({"type": "string", "maxLength": 200})
    ] = ""


def no_contact() -> Contact:
    return Contact.model_construct(phone="", hours="")


def _room_template(value: str) -> str:
    problem = room_template_problem(value)
    if problem is not None:
        raise refusal(problem)
    return value


class Video(PresetModel):
    """``video: {room_url: "https://meet.example.org/{room}"}``: the address of a video
    consultation's room, with ``{room}`` where each reservation's own unguessable room
    id goes (see docs/video.md). Without ``video`` reservations get no room link."""

    room_url: Annotated[
        RequiredText,
        AfterValidator(_room_template),
        WithJsonSchema({"type": "string", "pattern": "^https://.*\\{room\\}", "maxLength": 300}),
    ]


def no_video() -> Video:
    return Video.model_construct(room_url="")


Staff = Annotated[int, Strict(), Field(ge=0, le=500)]
AreaKey = Annotated[str, RefTo("area", lambda: _("地域"))]


class Staffing(PresetModel):
    consultant_hours: PeriodValue | None = None
    consultants_per_area_min: Staff | None = None
    consultants_per_area_min_overrides: dict[
        AreaKey, Annotated[int, Strict(), Field(ge=0, le=50)]
    ] = Field(default_factory=dict)
    consultants_per_open_day_min: Staff | None = None
    consultant_min_experience_years: Staff | None = None
    managers: Staff | None = None
    deputy_managers: Staff | None = None
    reception_staff_min: Staff | None = None
    job_developers_min: Staff | None = None
    office_hours: OpeningHours = Field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The ``Program.staffing`` value: only the figures the preset gives."""
        data: dict[str, object] = {}
        if self.consultant_hours is not None:
            data["consultant_hours"] = str(self.consultant_hours)
        for name in (
            "consultants_per_area_min",
            "consultants_per_open_day_min",
            "consultant_min_experience_years",
            "managers",
            "deputy_managers",
            "reception_staff_min",
            "job_developers_min",
        ):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        if self.consultants_per_area_min_overrides:
            data["consultants_per_area_min_overrides"] = dict(
                self.consultants_per_area_min_overrides
            )
        if self.office_hours:
            data["office_hours"] = hours_as_json(self.office_hours)
        return data
