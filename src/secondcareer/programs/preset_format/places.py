"""Preset sections about places: ``areas``, ``adjacency``, ``consultation_kinds`` and
``venues``."""

from __future__ import annotations

from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import AfterValidator, BeforeValidator, Field, GetJsonSchemaHandler, Strict
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from secondcareer.programs.choices import WEEKDAY_NAMES, AreaKind
from secondcareer.programs.preset_format.fields import (
    AtLeastOne,
    Code,
    Here,
    OneOf,
    PresetModel,
    Problems,
    RefTo,
    RequiredText,
    Text,
    UniqueCodes,
    describe,
    refusal,
)


class Area(PresetModel):
    code: Code
    name: RequiredText
    kind: Annotated[str, OneOf(lambda: _("地域の種類"), AreaKind.values)]
    note: Text = ""


Areas = Annotated[
    tuple[Area, ...], UniqueCodes, AtLeastOne(lambda: _("地域を1つ以上定義してください"))
]

AreaRef = Annotated[str, RefTo("area", lambda: _("地域"))]


def _pair_shape(value: Any) -> Any:
    if not isinstance(value, list) or len(value) != 2:
        raise refusal(
            _(
                "隣り合う2つの地域のコードを [nada, chuo] のように書いてください"
                "（%(got)s が書かれています）"
            )
            % {"got": describe(value)}
        )
    return value


def _not_itself(value: tuple[str, str]) -> tuple[str, str]:
    if value[0] == value[1]:
        raise refusal(_("地域 %(area)r を自分自身と隣り合わせにはできません") % {"area": value[0]})
    return value


def _pairs_once(value: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    problems = Problems()
    seen: dict[frozenset[str], int] = {}
    for index, (a, b) in enumerate(value):
        key = frozenset((a, b))
        if key in seen:
            problems.add(
                index,
                _("%(a)s–%(b)s の組が2回書かれています（%(also)s と同じ）"),
                a=a,
                b=b,
                also=Here((seen[key],)),
            )
        else:
            seen[key] = index
    problems.raise_any()
    return value


AreaPair = Annotated[
    tuple[AreaRef, AreaRef], BeforeValidator(_pair_shape), AfterValidator(_not_itself)
]
Adjacency = Annotated[tuple[AreaPair, ...], AfterValidator(_pairs_once)]


class ConsultationKind(PresetModel):
    code: Code
    name: RequiredText
    description: Text = ""


WeekdayName = Annotated[str, OneOf(lambda: _("曜日"), WEEKDAY_NAMES)]


def _weeks(value: tuple[int, ...]) -> tuple[int, ...]:
    problems = Problems()
    for index, week in enumerate(value):
        if not 1 <= week <= 5:
            problems.add(
                index,
                _("第何週かは 1〜5 で書いてください（%(week)s が書かれています）"),
                week=week,
            )
        elif week in value[:index]:
            problems.add(index, _("第%(week)s週が2回書かれています"), week=week)
    problems.raise_any()
    return tuple(sorted(value))


class VenueDay(PresetModel):
    """``mon`` (every week) or ``{day: wed, nth: [1, 3]}`` (第1・3水)."""

    day: WeekdayName
    nth: (
        Annotated[
            tuple[Annotated[int, Strict()], ...],
            AtLeastOne(lambda: _("第何週かを1つ以上書いてください（1〜5）")),
            AfterValidator(_weeks),
        ]
        | None
    ) = None

    @property
    def weekday(self) -> int:
        """0 = Monday."""
        return WEEKDAY_NAMES.index(self.day)


_WEEKDAY = OneOf(lambda: _("曜日"), WEEKDAY_NAMES)


def _short_weekday(value: Any) -> Any:
    """``mon`` is short for ``{day: mon}``; a wrong name is refused where it stands."""
    if isinstance(value, str):
        return {"day": _WEEKDAY.validate(value)}
    return value


class _OrShortName:
    """In the JSON Schema, a weekday entry is also its short form (``mon``)."""

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"anyOf": [{"type": "string", "enum": list(WEEKDAY_NAMES)}, handler(schema)]}


def _weekdays_once(value: tuple[VenueDay, ...]) -> tuple[VenueDay, ...]:
    problems = Problems()
    first: dict[int, int] = {}
    for index, day in enumerate(value):
        if day.weekday in first:
            problems.add(
                index,
                _("曜日 %(day)r が2回書かれています（%(also)s と同じ）"),
                day=day.day,
                also=Here((first[day.weekday],)),
            )
        else:
            first[day.weekday] = index
    problems.raise_any()
    return tuple(sorted(value, key=lambda d: d.weekday))


class Venue(PresetModel):
    code: Code
    name: RequiredText
    area: AreaRef
    formal_name: Text = ""
    address: Text = ""
    booths: Annotated[int, Strict(), Field(ge=1, le=100)] = 1
    seats: Annotated[int, Strict(), Field(ge=1, le=10000)] | None = None
    days: Annotated[
        tuple[Annotated[VenueDay, BeforeValidator(_short_weekday), _OrShortName()], ...],
        AfterValidator(_weekdays_once),
    ] = Field((), alias="weekdays")
    note: Text = ""


Venues = Annotated[tuple[Venue, ...], UniqueCodes]
