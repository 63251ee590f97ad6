"""Free-text Japanese dates and times, as seniors type them into a chat.

``parse_when("来週の火曜 午後2時", today=...)`` → ``When(date, time, part_of_day, matched)``.

What is understood (after NFKC, so full-width digits, ／ and （水） are the same as their
ASCII forms; kanji numerals before 年/月/日/時/分 are read as digits: 十二月三日 → 12月3日):

- relative days: 今日 きょう 本日, 明日 あした あす, 明後日 あさって, 明々後日 しあさって,
  今夜 今晩 (today, at night), 3日後, 1週間後;
- weekdays: 火曜 / 火曜日 (the next Tuesday after today), 次の月曜, 今度の水曜, 今週の金曜
  (this Monday-to-Sunday week, even when already past), 来週(の)火曜, 再来週の火曜, and a bare
  (水) when no date is given;
- dates: 12月3日, 12/3 (a date earlier than today means next year), 2027年1月6日,
  2027/1/6, 2027-01-06 (the date picker's ISO form), 令和9年1月6日 (令和元年 too), 3日
  (this month, or next month once the day has passed), 来月3日, 月末, 来月末;
- times: 14時, 14:00, 14時30分, 10時半, 午前10時, 午後2時, 夕方5時, 夜7時, 昼1時, 正午,
  2pm; a bare hour below ``assume_pm_below`` (default 8) is afternoon: 2時 → 14:00,
  because nobody books a consultation at 2 a.m.;
- parts of the day when no clock time is given: 午前(中) 朝 昼前 → morning, 午後 昼(から) →
  afternoon, 夕方 → evening, 夜 晩 → night, 朝一(番) → the first slot of the day.

Refused on purpose: 12-3 (a hyphen between two small numbers is as often a range, 10-12時,
or part of a phone number as a date), 12.3 (a decimal), month-day dates that do not exist
(2/30), years outside last year … the year after next, hours ≥ 24 and minutes ≥ 60.
Only the first date and the first time found are used. Text beyond 200 characters is
ignored. Pure Python; nothing here raises on any input.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from secondcareer.core.jpcalendar import CURRENT_ERA, era_first_year

MAX_INPUT = 200
_WEEKDAYS = "月火水木金土日"


class PartOfDay(enum.StrEnum):
    """A part of the day asked for instead of a clock time."""

    MORNING = "morning"  # 午前・午前中・朝
    AFTERNOON = "afternoon"  # 午後・昼から
    EVENING = "evening"  # 夕方
    NIGHT = "night"  # 夜・晩
    FIRST = "first"  # 朝一: the earliest slot of the day

    @property
    def bounds(self) -> tuple[dt.time, dt.time]:
        """[start, end) of the clock times this part covers."""
        return _PART_BOUNDS[self]

    def contains(self, moment: dt.time) -> bool:
        start, end = self.bounds
        return start <= moment < end


_PART_BOUNDS: dict[PartOfDay, tuple[dt.time, dt.time]] = {
    PartOfDay.MORNING: (dt.time(0), dt.time(12)),
    PartOfDay.AFTERNOON: (dt.time(12), dt.time.max),
    PartOfDay.EVENING: (dt.time(16), dt.time(19)),
    PartOfDay.NIGHT: (dt.time(18), dt.time.max),
    PartOfDay.FIRST: (dt.time(0), dt.time.max),
}

T = TypeVar("T")


def filter_by_part(
    items: Sequence[T], part: PartOfDay | None, *, time_of: Callable[[T], dt.time]
) -> list[T]:
    """The items (in order) whose time falls in ``part``; for 朝一 only the first one."""
    if part is None:
        return list(items)
    if part is PartOfDay.FIRST:
        return list(items[:1])
    return [item for item in items if part.contains(time_of(item))]


@dataclass(frozen=True)
class When:
    """What :func:`parse_when` found: any of a date, a clock time and a part of the day,
    and the (normalised) text it was read from."""

    date: dt.date | None
    time: dt.time | None
    part_of_day: PartOfDay | None
    matched: str


# --- normalisation ---------------------------------------------------------------------

_KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_KANJI_NUMBER = re.compile(r"[〇零一二三四五六七八九十]+(?=\s*(?:年|月|日|時(?![的期間])|分|週間))")


def _kanji_number(run: str) -> int | None:
    if "十" in run:
        left, _, right = run.partition("十")
        if len(left) > 1 or len(right) > 1 or "十" in right:
            return None
        tens = _KANJI_DIGITS.get(left, -1) if left else 1
        ones = _KANJI_DIGITS.get(right, -1) if right else 0
        if tens < 0 or ones < 0:
            return None
        return tens * 10 + ones
    return int("".join(str(_KANJI_DIGITS[ch]) for ch in run))


def _replace_kanji(match: re.Match[str]) -> str:
    value = _kanji_number(match.group(0))
    return match.group(0) if value is None else str(value)


def normalize(text: str) -> str:
    """The form the patterns are matched against: NFKC, lower case, kanji numerals
    before a date or time unit as digits, at most :data:`MAX_INPUT` characters."""
    folded = unicodedata.normalize("NFKC", text[: MAX_INPUT * 2])[:MAX_INPUT].lower()
    folded = folded.replace("〜", "~").replace("～", "~")
    return _KANJI_NUMBER.sub(_replace_kanji, folded)


# --- dates -----------------------------------------------------------------------------


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    if not (1 <= month <= 12 and 1 <= day <= 31 and dt.MINYEAR < year < dt.MAXYEAR):
        return None
    if day > calendar.monthrange(year, month)[1]:
        return None
    return dt.date(year, month, day)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _explicit_year(year: int, month: int, day: int, today: dt.date) -> dt.date | None:
    if not today.year - 1 <= year <= today.year + 2:
        return None
    return _safe_date(year, month, day)


def _month_day(month: int, day: int, today: dt.date) -> dt.date | None:
    """A month-day without a year: this year, or next year once it has passed."""
    for year in (today.year, today.year + 1):
        found = _safe_date(year, month, day)
        if found is not None and found >= today:
            return found
    return None


def _day_of_month(day: int, today: dt.date, *, months_ahead: int = 0) -> dt.date | None:
    """「3日」: this month (or ``months_ahead`` later); next month once it has passed."""
    year, month = _add_months(today.year, today.month, months_ahead)
    if months_ahead:
        return _safe_date(year, month, day)
    for offset in range(3):
        y, m = _add_months(year, month, offset)
        found = _safe_date(y, m, day)
        if found is not None and found >= today:
            return found
    return None


def _week_monday(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())


_RELATIVE_WORDS: tuple[tuple[str, int, PartOfDay | None], ...] = (
    ("明々後日", 3, None),
    ("明明後日", 3, None),
    ("しあさって", 3, None),
    ("明後日", 2, None),
    ("あさって", 2, None),
    ("明日", 1, None),
    ("あした", 1, None),
    ("(?<![ぁ-ん])あす", 1, None),
    ("今日", 0, None),
    ("(?<![ぁ-ん])きょう", 0, None),
    ("本日", 0, None),
    ("今夜", 0, PartOfDay.NIGHT),
    ("今晩", 0, PartOfDay.NIGHT),
)
_RELATIVE = re.compile("|".join(word for word, _, _ in _RELATIVE_WORDS))
_RELATIVE_TABLE = {word.rsplit(")", 1)[-1]: (days, part) for word, days, part in _RELATIVE_WORDS}

_ISO = re.compile(r"(?<![0-9])([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?![0-9])")
_YMD = re.compile(r"(?<![0-9])([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})(?![0-9])\s*日?")
_ERA = re.compile(
    CURRENT_ERA + r"\s*([0-9]{1,2}|元)\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})(?![0-9])\s*日?"
)
_REL_MONTH_DAY = re.compile(r"(今月|来月|再来月)\s*の?\s*([0-9]{1,2})(?![0-9])\s*日")
_MONTH_END = re.compile(
    r"(?:(今月|来月|再来月)\s*の?\s*)?月末|(今月|来月|再来月)\s*の?\s*(?:末日?|終わり)"
)
_MD_KANJI = re.compile(r"(?<![0-9])([0-9]{1,2})\s*月\s*([0-9]{1,2})(?![0-9])\s*日?")
_MD_SLASH = re.compile(r"(?<![0-9/])([0-9]{1,2})/([0-9]{1,2})(?![0-9/])")
_DAYS_LATER = re.compile(r"(?<![0-9])([0-9]{1,3})\s*日\s*後")
_WEEKS_LATER = re.compile(r"(?<![0-9])([0-9]{1,2})\s*週間\s*後")
_WEEKDAY = re.compile(
    r"(再来週|来週|次週|翌週|今週|次の|今度の|こんどの|次|今度)?\s*の?\s*([月火水木金土日])\s*曜日?"
)
_PAREN_WEEKDAY = re.compile(r"\(([月火水木金土日])\)")
_DAY_ONLY = re.compile(r"(?<![0-9月/])([0-9]{1,2})\s*日(?!\s*(?:後|間|曜))")

_REL_MONTHS = {"今月": 0, "来月": 1, "再来月": 2}
_WEEK_OFFSETS = {"今週": 0, "来週": 1, "次週": 1, "翌週": 1, "再来週": 2}


def _weekday_date(prefix: str | None, weekday: int, today: dt.date) -> dt.date:
    if prefix in _WEEK_OFFSETS:
        monday = _week_monday(today) + dt.timedelta(weeks=_WEEK_OFFSETS[prefix])
        return monday + dt.timedelta(days=weekday)
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + dt.timedelta(days=ahead)


_DateRule = Callable[[re.Match[str], dt.date], dt.date | None]


def _rule_iso(m: re.Match[str], today: dt.date) -> dt.date | None:
    return _explicit_year(int(m[1]), int(m[2]), int(m[3]), today)


def _rule_era(m: re.Match[str], today: dt.date) -> dt.date | None:
    era_year = 1 if m[1] == "元" else int(m[1])
    year = era_first_year(CURRENT_ERA) + era_year - 1
    return _explicit_year(year, int(m[2]), int(m[3]), today)


def _rule_rel_month_day(m: re.Match[str], today: dt.date) -> dt.date | None:
    return _day_of_month(int(m[2]), today, months_ahead=_REL_MONTHS[m[1]])


def _rule_month_end(m: re.Match[str], today: dt.date) -> dt.date | None:
    which = m[1] or m[2] or "今月"
    year, month = _add_months(today.year, today.month, _REL_MONTHS[which])
    return _month_end(year, month)


def _rule_month_day(m: re.Match[str], today: dt.date) -> dt.date | None:
    return _month_day(int(m[1]), int(m[2]), today)


def _rule_days_later(m: re.Match[str], today: dt.date) -> dt.date | None:
    days = int(m[1])
    return today + dt.timedelta(days=days) if days <= 366 else None


def _rule_weeks_later(m: re.Match[str], today: dt.date) -> dt.date | None:
    weeks = int(m[1])
    return today + dt.timedelta(weeks=weeks) if weeks <= 52 else None


def _rule_weekday(m: re.Match[str], today: dt.date) -> dt.date | None:
    return _weekday_date(m[1], _WEEKDAYS.index(m[2]), today)


def _rule_paren_weekday(m: re.Match[str], today: dt.date) -> dt.date | None:
    return _weekday_date(None, _WEEKDAYS.index(m[1]), today)


def _rule_day_only(m: re.Match[str], today: dt.date) -> dt.date | None:
    return _day_of_month(int(m[1]), today)


# In priority order: the first rule that matches decides the date.
_DATE_RULES: tuple[tuple[re.Pattern[str], _DateRule], ...] = (
    (_ISO, _rule_iso),
    (_YMD, _rule_iso),
    (_ERA, _rule_era),
    (_REL_MONTH_DAY, _rule_rel_month_day),
    (_MONTH_END, _rule_month_end),
    (_MD_KANJI, _rule_month_day),
    (_MD_SLASH, _rule_month_day),
    (_DAYS_LATER, _rule_days_later),
    (_WEEKS_LATER, _rule_weeks_later),
    (_WEEKDAY, _rule_weekday),
    (_DAY_ONLY, _rule_day_only),
    (_PAREN_WEEKDAY, _rule_paren_weekday),
)


# --- times -----------------------------------------------------------------------------

_PREFIX = r"(?:(午前|午後|朝|昼|夕方|夜|晩|am|pm|a\.m\.|p\.m\.)\s*の?\s*)?"
_CLOCK = re.compile(_PREFIX + r"(?<![0-9])([0-9]{1,2}):([0-9]{2})(?![0-9])(?:\s*(am|pm))?")
_HOUR = re.compile(
    _PREFIX + r"(?<![0-9])([0-9]{1,2})\s*時(?![的期間])\s*(?:(半)|([0-9]{1,2})\s*分)?"
)
_HOUR_RANGE = re.compile(
    _PREFIX + r"(?<![0-9])([0-9]{1,2})\s*(?:時\s*)?(?:~|-|から)\s*[0-9]{1,2}\s*時(?![的期間])"
)
_PLAIN_PM = re.compile(r"(?<![0-9a-z])([0-9]{1,2})\s*(am|pm)(?![a-z])")
_NOON = re.compile(r"正午|昼の12時")

_PM_PREFIXES = {"午後", "夕方", "夜", "晩", "pm", "p.m."}
_AM_PREFIXES = {"午前", "朝", "am", "a.m."}

_PARTS: tuple[tuple[str, PartOfDay], ...] = (
    ("朝一番", PartOfDay.FIRST),
    ("朝一", PartOfDay.FIRST),
    ("朝いち", PartOfDay.FIRST),
    ("朝イチ", PartOfDay.FIRST),
    ("午前中", PartOfDay.MORNING),
    ("午前", PartOfDay.MORNING),
    ("昼前", PartOfDay.MORNING),
    ("朝", PartOfDay.MORNING),
    ("午後", PartOfDay.AFTERNOON),
    ("昼過ぎ", PartOfDay.AFTERNOON),
    ("昼すぎ", PartOfDay.AFTERNOON),
    ("昼から", PartOfDay.AFTERNOON),
    ("昼以降", PartOfDay.AFTERNOON),
    ("昼", PartOfDay.AFTERNOON),
    ("夕方", PartOfDay.EVENING),
    ("夕刻", PartOfDay.EVENING),
    ("夜", PartOfDay.NIGHT),
    ("晩", PartOfDay.NIGHT),
)
_PART = re.compile("|".join(re.escape(word) for word, _ in _PARTS))
_PART_TABLE = dict(_PARTS)


def _clock(prefix: str | None, hour: int, minute: int, assume_pm_below: int) -> dt.time | None:
    if minute > 59 or hour > 23:
        return None
    if prefix in _PM_PREFIXES:
        if hour < 12:
            hour += 12
    elif prefix == "昼":
        if hour <= 5:
            hour += 12
    elif prefix in _AM_PREFIXES:
        if hour > 12:
            return None
        if hour == 12:
            hour = 0
    elif 1 <= hour < assume_pm_below:
        hour += 12
    return dt.time(hour, minute)


# --- the parser ------------------------------------------------------------------------


class _Text:
    """The normalised text, with the parts already read blanked out."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.pieces: list[tuple[int, str]] = []

    def take(self, match: re.Match[str]) -> None:
        start, end = match.span()
        self.pieces.append((start, match.group(0).strip()))
        self.value = self.value[:start] + " " * (end - start) + self.value[end:]

    def matched(self) -> str:
        return " ".join(piece for _, piece in sorted(self.pieces) if piece)


def _find_date(text: _Text, today: dt.date) -> tuple[dt.date | None, PartOfDay | None]:
    relative = _RELATIVE.search(text.value)
    for pattern, rule in _DATE_RULES:
        if relative is not None and pattern in (_DAY_ONLY, _PAREN_WEEKDAY, _WEEKDAY):
            break  # 「明日」 outranks a weekday or a bare day number
        match = pattern.search(text.value)
        if match is None:
            continue
        text.take(match)
        found = rule(match, today)
        # A weekday in brackets after a date (1/6(水)) is only a reminder: drop it.
        for paren in list(_PAREN_WEEKDAY.finditer(text.value)):
            text.take(paren)
        return found, None
    if relative is not None:
        text.take(relative)
        days, part = _RELATIVE_TABLE[relative.group(0)]
        for paren in list(_PAREN_WEEKDAY.finditer(text.value)):
            text.take(paren)
        return today + dt.timedelta(days=days), part
    return None, None


def _find_time(text: _Text, assume_pm_below: int) -> dt.time | None:
    noon = _NOON.search(text.value)
    if noon is not None:
        text.take(noon)
        return dt.time(12)
    clock = _CLOCK.search(text.value)
    if clock is not None:
        text.take(clock)
        prefix = clock[1] or clock[4]
        return _clock(prefix, int(clock[2]), int(clock[3]), assume_pm_below)
    span = _HOUR_RANGE.search(text.value)
    if span is not None:  # 「10~12時」: from 10
        text.take(span)
        return _clock(span[1], int(span[2]), 0, assume_pm_below)
    hour = _HOUR.search(text.value)
    if hour is not None:
        text.take(hour)
        minute = 30 if hour[3] else int(hour[4] or 0)
        return _clock(hour[1], int(hour[2]), minute, assume_pm_below)
    plain = _PLAIN_PM.search(text.value)
    if plain is not None:
        text.take(plain)
        return _clock(plain[2], int(plain[1]), 0, assume_pm_below)
    return None


def parse_when(
    text: str,
    *,
    today: dt.date,
    now_time: dt.time | None = None,
    assume_pm_below: int = 8,
) -> When | None:
    """Read a date and/or a time from free text; None when there is neither.

    ``today`` anchors every relative expression. ``now_time`` is accepted for callers
    that want 「今日」 without a time to mean "from now on"; the parser itself does not
    need it (a time earlier than now is for the caller to refuse politely).
    ``assume_pm_below``: a bare hour 1 ≤ h < this value is read as h + 12.
    """
    del now_time  # part of the signature so that callers can pass it; see docstring
    work = _Text(normalize(text))
    day, part = _find_date(work, today)
    moment = _find_time(work, assume_pm_below)
    if moment is None and part is None:
        found = _PART.search(work.value)
        if found is not None:
            work.take(found)
            part = _PART_TABLE[found.group(0)]
    if moment is not None:
        part = None  # 「今夜7時」: the clock time says it all
    if day is None and moment is None and part is None:
        return None
    return When(date=day, time=moment, part_of_day=part, matched=work.matched())
