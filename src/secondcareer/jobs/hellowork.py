"""Reading a Hello Work CSV (``secondcareer import-hellowork``, docs/jobs.md): the
encoding, the cells and the rows, checked in Python before anything is written. The
writes are :func:`secondcareer.jobs.services.hellowork.postings_import`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import parse_date_ja
from secondcareer.core.text import normalize_text
from secondcareer.jobs.mapping import HelloworkMapping
from secondcareer.jobs.numbers import OFFICE_NUMBER, normalize_office_number
from secondcareer.jobs.wages import WageError, parse_wage
from secondcareer.programs.models import Area, Program

BATCH = 1000

# The posting's fields an import sets and compares, in this order.
COMPARED = (
    "received_on",
    "referral_deadline",
    "employer_id",
    "office_name",
    "occupation",
    "description",
    "workplace_address",
    "workplace_area_id",
    "employment_type",
    "employment_period",
    "wage_from",
    "wage_to",
    "wage_type",
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
    "status",
    "closed_on",
)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("%(line)s行目「%(column)s」: %(reason)s") % {
            "line": self.line,
            "column": self.column,
            "reason": self.reason,
        }


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    rejected: int = 0

    def line(self) -> str:
        return (
            _(
                "新規 %(created)s 件、更新 %(updated)s 件、変更なし %(unchanged)s 件、"
                "終了 %(closed)s 件、不備 %(rejected)s 件"
            )
            % self.__dict__
        )


class ImportRejected(DomainError):
    """The file had bad rows; nothing was imported."""

    def __init__(self, errors: list[RowError], rejected: int) -> None:
        self.errors = errors
        self.summary = ImportSummary(rejected=rejected)
        header = _("不備のある行が %(count)s 行あるため、何も取り込みませんでした:") % {
            "count": rejected
        }
        super().__init__("\n".join([header, *map(str, errors)]))


# --- decoding -------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Shift_JIS/CP932; a Japanese error otherwise."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(
        _("ファイルの文字コードを判別できません。UTF-8 か Shift_JIS（CP932）で保存してください。")
    )


# --- one cell ---------------------------------------------------------------------------


class CellError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_NONE_WORDS = {"", "-", "ー", "なし", "無し", "無", "不問", "定めなし", "若干名"}
_TRUE = {"あり", "有り", "有", "○", "はい", "1", "true", "yes"}
_FALSE = {"", "なし", "無し", "無", "×", "いいえ", "0", "false", "no", "不問"}
_DIGITS = re.compile(r"\d+")


def _short(value: str, limit: int) -> str:
    text = normalize_text(value)
    if len(text) > limit:
        raise CellError(_("長すぎます（%(limit)s 文字まで）。") % {"limit": limit})
    return text


def _long(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.strip().split("\n"))


def _required(value: str, limit: int) -> str:
    text = _short(value, limit)
    if not text:
        raise CellError(_("空欄です。必ず入力してください。"))
    return text


def _date(value: str, *, required: bool) -> dt.date | None:
    text = normalize_text(value)
    if not text:
        if required:
            raise CellError(_("空欄です。日付を入力してください。"))
        return None
    try:
        return parse_date_ja(text)
    except (ValueError, DomainError) as exc:
        raise CellError(
            _("日付として読めません（例: 令和8年12月3日、2026-12-03、2026/12/3）: %(text)s")
            % {"text": text}
        ) from exc


def _int(value: str, low: int, high: int) -> int | None:
    text = normalize_text(value).replace(",", "")
    if text in _NONE_WORDS:
        return None
    match = _DIGITS.search(text)
    if not match:
        raise CellError(_("数として読めません: %(text)s") % {"text": text})
    number = int(match[0])
    if not low <= number <= high:
        raise CellError(
            _("%(low)s から %(high)s までの数にしてください: %(text)s")
            % {"low": low, "high": high, "text": text}
        )
    return number


def _bool(value: str) -> bool:
    text = normalize_text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("「あり」か「なし」で入力してください: %(text)s") % {"text": text})


def _office_number(value: str) -> str:
    text = normalize_office_number(value)
    if not text:
        raise CellError(_("空欄です。必ず入力してください。"))
    if not OFFICE_NUMBER.match(text):
        raise CellError(
            _("事業所番号は「1234-567890-1」の形（4桁-6桁-1桁）です: %(text)s") % {"text": text}
        )
    return text


# field → parser of the cell text (the wage is parsed apart: it gives three fields).
_PARSERS: dict[str, Callable[[str], Any]] = {
    "number": lambda v: _required(v, 20).replace("ー", "-"),
    "received_on": lambda v: _date(v, required=False),
    "referral_deadline": lambda v: _date(v, required=True),
    "office_number": _office_number,
    "office_name": lambda v: _required(v, 200),
    "occupation": lambda v: _required(v, 200),
    "description": _long,
    "workplace_address": lambda v: _short(v, 300),
    "employment_type": lambda v: _short(v, 100),
    "employment_period": lambda v: _short(v, 200),
    "working_hours": _long,
    "days_per_week": lambda v: _int(v, 1, 7),
    "holidays": _long,
    "age": lambda v: _short(v, 100),
    "age_limited": _bool,
    "age_limit_reason": _long,
    "retirement_age": lambda v: _int(v, 40, 100),
    "rehire_max_age": lambda v: _int(v, 40, 100),
    "requirements": _long,
    "insurance": lambda v: _short(v, 200),
    "openings": lambda v: _int(v, 1, 9999),
}
_DEFAULTS: dict[str, Any] = {
    "received_on": None,
    "description": "",
    "workplace_address": "",
    "employment_type": "",
    "employment_period": "",
    "working_hours": "",
    "days_per_week": None,
    "holidays": "",
    "age": "",
    "age_limited": False,
    "age_limit_reason": "",
    "retirement_age": None,
    "rehire_max_age": None,
    "requirements": "",
    "insurance": "",
    "openings": None,
}


@dataclass
class Row:
    line: int
    values: dict[str, Any] = field(default_factory=dict)


def area_finder(program: Program) -> Callable[[str], int | None]:
    areas = sorted(
        Area.objects.filter(program=program).values_list("name", "pk"),
        key=lambda pair: -len(pair[0]),
    )

    found: dict[str, int | None] = {}

    def find(address: str) -> int | None:
        if address not in found:
            found[address] = next((pk for name, pk in areas if name and name in address), None)
        return found[address]

    return find


_MISSING = object()


@dataclass(frozen=True)
class _Failure:
    message: str


def _parse_cell(name: str, cell: str) -> Any:
    """The value of one cell (the wage: its three fields), or the failure's reason."""
    try:
        if name == "wage":
            wage = parse_wage(cell)
            return {"wage_from": wage.low, "wage_to": wage.high, "wage_type": wage.form}
        return _PARSERS[name](cell)
    except (CellError, WageError) as exc:
        return _Failure(exc.message)


def parse_rows(text: str, mapping: HelloworkMapping) -> tuple[list[Row], list[RowError], int]:
    """The file's rows as field values, the problems found, and how many rows had one."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [normalize_text(cell) for cell in next(reader)]
    except StopIteration:
        raise DomainError(_("ファイルが空です（見出しの行がありません）。")) from None
    except csv.Error as exc:
        raise DomainError(_("CSV として読めません: %(e)s") % {"e": exc}) from exc
    used = mapping.used()
    missing = [column for column in used.values() if normalize_text(column) not in header]
    if missing:
        raise DomainError(
            _("見出しの行に次の列がありません: %(columns)s") % {"columns": "、".join(missing)}
        )
    index = {name: header.index(normalize_text(column)) for name, column in used.items()}
    rows: list[Row] = []
    errors: list[RowError] = []
    rejected = 0
    seen: dict[str, int] = {}
    cache: dict[tuple[str, str], Any] = {}
    last_line = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(
                RowError(last_line + 1, "-", _("CSV として読めません: %(e)s") % {"e": exc})
            )
            rejected += 1
            break
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        row = Row(line=line, values=dict(_DEFAULTS))
        row_errors: list[RowError] = []
        for name, position in index.items():
            cell = cells[position] if position < len(cells) else ""
            # Cells repeat a lot (dates, 雇用形態, 賃金, 休日等): each distinct text of a
            # column is parsed once.
            key = (name, cell)
            parsed = cache.get(key, _MISSING)
            if parsed is _MISSING:
                parsed = _parse_cell(name, cell)
                if name != "number":
                    cache[key] = parsed
            if isinstance(parsed, _Failure):
                row_errors.append(RowError(line, used[name], parsed.message))
            elif name == "wage":
                row.values |= parsed
            else:
                row.values[name] = parsed
        number = row.values.get("number")
        if number and not row_errors:
            if number in seen:
                row_errors.append(
                    RowError(
                        line,
                        used["number"],
                        _("同じ求人番号が %(line)s 行目にもあります: %(number)s")
                        % {"line": seen[number], "number": number},
                    )
                )
            else:
                seen[number] = line
        if row_errors:
            errors.extend(row_errors)
            rejected += 1
        else:
            rows.append(row)
    return rows, errors, rejected
