"""Preset sections about consultations: ``services`` and their hours, ``closures`` and
``substitute_dates``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Self

from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    Field,
    PrivateAttr,
    Strict,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from secondcareer.programs.choices import WEEKDAY_NAMES, ClosureKind, Delivery, Method
from secondcareer.programs.preset_format.fields import (
    DATE_SCHEMA,
    MONTH_DAY_SCHEMA,
    AtLeastOne,
    Code,
    DateValue,
    Distinct,
    Here,
    OneOf,
    OpeningHours,
    PresetModel,
    Problems,
    RefTo,
    RequiredText,
    Text,
    UniqueCodes,
    missing_message,
    parse_date,
    parse_month_day,
)
from secondcareer.programs.preset_format.places import Venue

# Which day type a weekday's opening hours come from (national holidays aside).
_WEEKDAY_DAY_TYPE = ("weekday",) * 5 + ("saturday", "sunday_holiday")

KindRef = Annotated[str, RefTo("kind", lambda: _("相談の種類"))]
VenueRef = Annotated[str, RefTo("venue", lambda: _("会場"))]
ServiceRef = Annotated[str, RefTo("service", lambda: _("相談サービス"))]
VenueRefs = Annotated[tuple[VenueRef, ...], Distinct(lambda: _("会場"))]


def _once(value: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value))


def validated_venues(info: ValidationInfo) -> Mapping[str, Venue] | None:
    """The preset's venues by code once ``venues`` is valid (the root model validates
    it before the sections that use venues), else None."""
    context = info.context if isinstance(info.context, dict) else {}
    venues: Mapping[str, Venue] | None = context.get("venues")
    return venues


class Service(PresetModel):
    code: Code
    name: RequiredText
    kinds: Annotated[
        tuple[KindRef, ...],
        Distinct(lambda: _("相談の種類")),
        AtLeastOne(lambda: _("相談の種類を1つ以上書いてください")),
    ]
    methods: Annotated[
        tuple[Annotated[str, OneOf(lambda: _("相談方法"), Method.values)], ...],
        AtLeastOne(lambda: _("相談方法を1つ以上書いてください")),
        AfterValidator(_once),
    ]
    delivery: Annotated[str, OneOf(lambda: _("実施形態"), Delivery.values)]
    slot_minutes: Annotated[int, Strict(), Field(ge=5, le=480)]
    hours: OpeningHours
    venues: VenueRefs = ()
    session_minutes: Annotated[int, Strict(), Field(ge=1, le=480)] | None = None
    booking_required: Annotated[bool, Strict()] = True
    description: Text = ""

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Self:
        problems = Problems()
        slot, session = self.slot_minutes, self.session_minutes
        if session is not None and session > slot:
            problems.add(
                "session_minutes",
                _("%(session)s 分は1コマ（%(slot)s 分）より長くなっています"),
                session=session,
                slot=slot,
            )
        if self.delivery == Delivery.VENUE:
            if not self.venues:
                problems.add("venues", _("会場で実施するサービスには会場が1つ以上必要です"))
            if Method.IN_PERSON not in self.methods:
                problems.add("methods", _("会場で実施するサービスには in_person が必要です"))
        elif self.delivery == Delivery.REMOTE:
            if self.venues:
                problems.add("venues", _("オンライン（remote）のサービスに会場は書けません"))
            if Method.IN_PERSON in self.methods:
                problems.add(
                    "methods", _("オンライン（remote）のサービスは in_person にできません")
                )
        for day_type, periods in self.hours.items():
            for period in periods:
                if period.minutes % slot:
                    problems.add(
                        ("hours", day_type),
                        _("%(period)s は %(slot)s 分のコマで割り切れません"),
                        period=str(period),
                        slot=slot,
                    )
        venues = validated_venues(info) or {}
        for code in self.venues:
            venue = venues.get(code)
            if venue is None:
                continue
            if not venue.days:
                problems.add(
                    "venues",
                    _("会場 %(venue)r には曜日がないので、このサービスはそこで実施されません"),
                    venue=code,
                )
            for day in venue.days:
                day_type = _WEEKDAY_DAY_TYPE[day.weekday]
                if day_type not in self.hours:
                    problems.add(
                        "hours",
                        _(
                            "会場 %(venue)r は %(day)s に使われますが、"
                            "このサービスには %(day_type)s の時間帯がありません"
                        ),
                        venue=code,
                        day=WEEKDAY_NAMES[day.weekday],
                        day_type=day_type,
                    )
        problems.raise_any()
        return self


Services = Annotated[tuple[Service, ...], UniqueCodes]

_FROM_TO_SCHEMA = WithJsonSchema(
    {"anyOf": [MONTH_DAY_SCHEMA, DATE_SCHEMA], "description": "recurring: MM-DD; one_off: a date"}
)


class Closure(PresetModel):
    """``recurring`` closures give ``from``/``to`` as month-days (``"12-29"``),
    ``one_off`` ones as dates (``to`` defaults to ``from``); ``national_holidays`` none."""

    code: Code
    name: RequiredText
    kind: Annotated[str, OneOf(lambda: _("休業の種類"), ClosureKind.values)]
    from_: Annotated[Any, _FROM_TO_SCHEMA] = Field(None, alias="from")
    to: Annotated[Any, _FROM_TO_SCHEMA] = None
    service: ServiceRef | None = None
    venue: VenueRef | None = None
    substitutable: Annotated[bool, Strict()] = False
    note: Text = ""

    _start_md: tuple[int, int] | None = PrivateAttr(None)
    _end_md: tuple[int, int] | None = PrivateAttr(None)
    _start_date: dt.date | None = PrivateAttr(None)
    _end_date: dt.date | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _dates(self) -> Self:
        problems = Problems()
        given = {"from": self.from_, "to": self.to}
        if self.kind == ClosureKind.NATIONAL_HOLIDAYS:
            for key, value in given.items():
                if value is not None:
                    problems.add(key, _("national_holidays の休業に日付は書けません"))
        elif self.kind == ClosureKind.RECURRING:
            parsed: dict[str, tuple[int, int]] = {}
            for key, value in given.items():
                if value is None:
                    problems.add(key, missing_message())
                    continue
                try:
                    parsed[key] = parse_month_day(value)
                except ValueError as exc:
                    problems.add(key, "%(message)s", message=_message(exc))
            self._start_md, self._end_md = parsed.get("from"), parsed.get("to")
        elif self.kind == ClosureKind.ONE_OFF:
            dates: dict[str, dt.date] = {}
            if self.from_ is None:
                problems.add("from", missing_message())
            for key, value in given.items():
                if value is None:
                    continue
                try:
                    dates[key] = parse_date(value)
                except ValueError as exc:
                    problems.add(key, "%(message)s", message=_message(exc))
            start = dates.get("from")
            end = dates.get("to", start if self.to is None else None)
            if start and end and start > end:
                problems.add("to", _("%(end)s が %(start)s より前です"), end=end, start=start)
            self._start_date, self._end_date = start, end
        problems.raise_any()
        return self

    @property
    def start_md(self) -> tuple[int, int] | None:
        return self._start_md

    @property
    def end_md(self) -> tuple[int, int] | None:
        return self._end_md

    @property
    def start_date(self) -> dt.date | None:
        return self._start_date

    @property
    def end_date(self) -> dt.date | None:
        return self._end_date


def _message(exc: ValueError) -> str:
    """The Japanese text of a refusal raised by a value parser."""
    return exc.message() if isinstance(exc, PydanticCustomError) else str(exc)


Closures = Annotated[tuple[Closure, ...], UniqueCodes]


class SubstituteDate(PresetModel):
    original_date: DateValue = Field(alias="original")
    held_on: DateValue
    venue: VenueRef | None = None
    note: Text = ""

    @model_validator(mode="after")
    def _differs(self) -> Self:
        if self.original_date == self.held_on:
            problems = Problems()
            problems.add("held_on", _("振替実施日は元の日と違う日にしてください"))
            problems.raise_any()
        return self


def _substituted_once(value: tuple[SubstituteDate, ...]) -> tuple[SubstituteDate, ...]:
    problems = Problems()
    seen: dict[tuple[str | None, dt.date], int] = {}
    for index, entry in enumerate(value):
        key = (entry.venue, entry.original_date)
        if key in seen:
            problems.add(
                index,
                _("%(date)s はすでに振り替えられています（%(also)s）"),
                date=entry.original_date,
                also=Here((seen[key],)),
            )
        else:
            seen[key] = index
    problems.raise_any()
    return value


SubstituteDates = Annotated[tuple[SubstituteDate, ...], AfterValidator(_substituted_once)]
