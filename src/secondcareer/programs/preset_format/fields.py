"""What every preset section is built from: the base model, the value types a preset
writes (codes, texts, time ranges, opening hours, dates, month-days, choices,
references to codes declared elsewhere), and :class:`Problems`, which lets a
validator report several problems at key paths below the model it checks.

Every message is Japanese and goes through gettext when a value is refused, so the
module can be imported (and the JSON Schema generated) without Django settings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainValidator,
    Strict,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from secondcareer.programs.choices import DayType

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"
_CODE = re.compile(CODE_PATTERN)
_PERIOD_PATTERN = r"^\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}$"
_PERIOD = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
_MONTH_DAY_PATTERN = r"^\d{1,2}-\d{1,2}$"
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

Loc = tuple[str | int, ...]


class PresetModel(BaseModel):
    """A mapping of the preset: unknown keys are refused, values cannot change after
    validation, and a key written with no value (``note:``) counts as absent."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_absent(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return {k: v for k, v in data.items() if v is not None}
        return data


# --- problems -------------------------------------------------------------------------


def refusal(message: str) -> PydanticCustomError:
    """The error for a value refused with ``message`` (already translated)."""
    return PydanticCustomError("preset", "{message}", {"message": message})


@dataclass(frozen=True)
class Here:
    """A key path relative to the model a problem was found in; the message renders it
    as the full path (``areas[0]``)."""

    loc: Loc


class Problems:
    """Problems found by one validator, each at a key path below the value it checks
    (``("hours", "weekday")``), raised together as one error that
    :func:`~secondcareer.programs.preset_format.errors.preset_errors` expands."""

    def __init__(self) -> None:
        self.found: list[tuple[Loc, str, dict[str, Any]]] = []

    def add(self, where: Loc | str | int, message: str, /, **params: Any) -> None:
        """``message`` is a translated ``%(name)s`` template; a :class:`Here` among the
        ``params`` becomes a full key path."""
        loc = where if isinstance(where, tuple) else (where,)
        self.found.append((loc, message, params))

    def raise_any(self) -> None:
        if self.found:
            raise PydanticCustomError(
                "preset_problems",
                "{count} problems",
                {"count": len(self.found), "problems": tuple(self.found)},
            )


def describe(value: Any) -> str:
    """What was written, for a message: 数値 600, 文字列 'x', リスト, …"""
    if value is None:
        return _("空の値")
    if isinstance(value, bool):
        return _("真偽値 %(value)s") % {"value": "true" if value else "false"}
    if isinstance(value, Mapping):
        return _("対応表")
    if isinstance(value, list | tuple):
        return _("リスト")
    if isinstance(value, str):
        return _("文字列 %(value)r") % {"value": value}
    if isinstance(value, int | float):
        return _("数値 %(value)s") % {"value": value}
    if isinstance(value, dt.datetime):
        return _("日時 %(value)s") % {"value": value.isoformat(sep=" ")}
    if isinstance(value, dt.date):
        return _("日付 %(value)s") % {"value": value.isoformat()}
    return repr(value)


def missing_message() -> str:
    return _("必須の項目がありません")


# --- plain values ---------------------------------------------------------------------


def _code(value: str) -> str:
    if not _CODE.match(value) or len(value) > 50:
        raise refusal(
            _("コード %(value)r は使えません（英小文字・数字・'_' で、英小文字で始まる50文字以内）")
            % {"value": value}
        )
    return value


def _required(value: str) -> str:
    if not value:
        raise refusal(_("空にはできません"))
    return value


Code = Annotated[
    str,
    Strict(),
    AfterValidator(_code),
    WithJsonSchema({"type": "string", "pattern": CODE_PATTERN, "maxLength": 50}),
]
Text = Annotated[str, Strict(), AfterValidator(str.strip)]
RequiredText = Annotated[str, Strict(), AfterValidator(str.strip), AfterValidator(_required)]


class AtLeastOne:
    """A list that must not be empty, refused with ``message()`` (a translated text)."""

    def __init__(self, message: Callable[[], str]) -> None:
        self.message = message

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def _check(self, value: Any) -> Any:
        if not value:
            raise refusal(self.message())
        return value


class OneOf:
    """One of ``values``; refused as 「<what> 'x' は使えません（a, b のいずれか）」."""

    def __init__(self, what: Callable[[], str], values: Iterable[str]) -> None:
        self.what = what
        self.values = tuple(values)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self.validate)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "enum": list(self.values)}

    def validate(self, value: Any) -> str:
        if not isinstance(value, str) or value not in self.values:
            raise refusal(
                _("%(what)s %(value)s は使えません（%(choices)s のいずれか）")
                % {
                    "what": self.what(),
                    "value": repr(value) if isinstance(value, str) else describe(value),
                    "choices": ", ".join(self.values),
                }
            )
        return value


# --- references to codes declared elsewhere ----------------------------------------------


class RefTo:
    """A code that must name an entry of another section (``kind``: ``area``,
    ``venue``, …). The root model collects the declared codes into the validation
    context before any section is read, so every unknown reference is reported together
    with every other problem."""

    def __init__(self, kind: str, what: Callable[[], str]) -> None:
        self.kind = kind
        self.what = what

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_plain_validator_function(self.validate)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "pattern": CODE_PATTERN}

    def validate(self, value: Any, info: ValidationInfo) -> str:
        known = declared(info, self.kind)
        if isinstance(value, str) and value in known:
            return value
        params = {
            "what": self.what(),
            "value": repr(value) if isinstance(value, str) else describe(value),
            "known": ", ".join(known),
        }
        if not known:
            raise refusal(
                _(
                    "%(what)s %(value)s は定義されていません（%(what)s はまだ1つも定義されていません）"
                )
                % params
            )
        raise refusal(_("%(what)s %(value)s は定義されていません（定義済み: %(known)s）") % params)


def declared(info: ValidationInfo, kind: str) -> tuple[str, ...]:
    """The codes of ``kind`` the preset declares (see :class:`RefTo`)."""
    if not isinstance(info.context, dict) or "declared" not in info.context:
        raise TypeError("validate a preset with ProgramPreset.from_mapping()")
    codes: tuple[str, ...] = info.context["declared"].get(kind, ())
    return codes


class Distinct:
    """A list of references in which each code appears once."""

    def __init__(self, what: Callable[[], str]) -> None:
        self.what = what

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def _check(self, value: tuple[str, ...]) -> tuple[str, ...]:
        problems = Problems()
        for index, code in enumerate(value):
            if code in value[:index]:
                problems.add(
                    index,
                    _("%(what)s %(code)r が2回書かれています"),
                    what=self.what(),
                    code=code,
                )
        problems.raise_any()
        return value


def unique_codes(entries: Iterable[tuple[Loc, str]], problems: Problems) -> None:
    """Report codes used twice; ``entries`` are (key path of the entry, code)."""
    first: dict[str, Loc] = {}
    for loc, code in entries:
        if code in first:
            problems.add(
                (*loc, "code"),
                _("コード %(code)r が重複しています（%(also)s と同じ）"),
                code=code,
                also=Here(first[code]),
            )
        else:
            first[code] = loc


def _unique_entry_codes(value: tuple[Any, ...]) -> tuple[Any, ...]:
    problems = Problems()
    unique_codes((((i,), entry.code) for i, entry in enumerate(value)), problems)
    problems.raise_any()
    return value


UniqueCodes = AfterValidator(_unique_entry_codes)


# --- times and dates ------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """A time range within a day, ``start`` inclusive, ``end`` exclusive."""

    start: dt.time
    end: dt.time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    def overlaps(self, other: Period) -> bool:
        return self.start < other.end and other.start < self.end


def _period(value: Any) -> Period:
    if not isinstance(value, str):
        raise refusal(
            _(
                "時間帯は '10:00-12:00' のように引用符で囲んで書いてください"
                "（%(got)s が書かれています）"
            )
            % {"got": describe(value)}
        )
    match = _PERIOD.match(value.strip())
    if not match:
        raise refusal(
            _("時間帯は '10:00-12:00' のように書いてください（%(value)r が書かれています）")
            % {"value": value}
        )
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise refusal(_("%(value)r にありえない時刻があります") % {"value": value})
    start, end = dt.time(h1, m1), dt.time(h2, m2)
    if start >= end:
        raise refusal(
            _("開始 %(start)s が終了 %(end)s より前になっていません")
            % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
        )
    return Period(start, end)


_PERIOD_SCHEMA: JsonSchemaValue = {"type": "string", "pattern": _PERIOD_PATTERN}

PeriodValue = Annotated[
    Period,
    PlainValidator(_period),
    WithJsonSchema(_PERIOD_SCHEMA),
]

# Day type ("weekday" / "saturday" / "sunday_holiday") → its periods, in time order.
Hours = dict[str, tuple[Period, ...]]


def _hours(value: dict[str, tuple[Period, ...]]) -> Hours:
    problems = Problems()
    result: Hours = {}
    for day_type in DayType.values:
        periods = value.get(day_type, ())
        for index, period in enumerate(periods):
            for earlier in periods[:index]:
                if period.overlaps(earlier):
                    problems.add(
                        (day_type, index),
                        _("%(period)s は同じ曜日区分の %(earlier)s と重なっています"),
                        period=str(period),
                        earlier=str(earlier),
                    )
                    break
        if periods:
            result[day_type] = tuple(sorted(periods))
    problems.raise_any()
    return result


DayTypeName = Annotated[str, OneOf(lambda: _("曜日区分"), DayType.values)]

OpeningHours = Annotated[
    dict[DayTypeName, tuple[PeriodValue, ...]],
    AfterValidator(_hours),
    WithJsonSchema(
        {
            "type": "object",
            "properties": {
                day_type: {"type": "array", "items": _PERIOD_SCHEMA} for day_type in DayType.values
            },
            "additionalProperties": False,
        }
    ),
]


def hours_as_json(hours: Hours) -> dict[str, list[str]]:
    return {day_type: [str(p) for p in periods] for day_type, periods in hours.items()}


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise refusal(
            _("日付だけを書いてください（%(got)s が書かれています）") % {"got": describe(value)}
        )
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise refusal(
        _("日付は 2026-08-14 のように書いてください（%(got)s が書かれています）")
        % {"got": describe(value)}
    )


DATE_SCHEMA: JsonSchemaValue = {"type": "string", "format": "date"}

DateValue = Annotated[dt.date, PlainValidator(parse_date), WithJsonSchema(DATE_SCHEMA)]

MONTH_DAY_SCHEMA: JsonSchemaValue = {"type": "string", "pattern": _MONTH_DAY_PATTERN}


def parse_month_day(value: Any) -> tuple[int, int]:
    match = _MONTH_DAY.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise refusal(
            _("月日は '12-29' のように書いてください（%(got)s が書かれています）")
            % {"got": describe(value)}
        )
    month, day = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
        raise refusal(_("存在しない月日です: %(value)r") % {"value": value})
    return month, day


def codes_of(entries: Any) -> tuple[str, ...]:
    """The well-formed codes of a raw list of mappings (for :class:`RefTo`)."""
    if not isinstance(entries, list):
        return ()
    found: list[str] = []
    for entry in entries:
        code = entry.get("code") if isinstance(entry, Mapping) else None
        if isinstance(code, str) and _CODE.match(code) and code not in found:
            found.append(code)
    return tuple(found)
