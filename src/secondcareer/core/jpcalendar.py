"""The Japanese calendar: national holidays, business days, fiscal years, era dates.

National holidays (with 振替休日 and 国民の休日) come from the maintained ``holidays``
library; nothing here hard-codes a holiday date. A *business day* follows the rule of
Japanese public offices (行政機関の休日に関する法律): not a Saturday or Sunday, not a
national holiday, and not 12/29–1/3.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from secondcareer.core.inputs import check_date_range
from secondcareer.core.text import normalize_text

TOKYO = ZoneInfo("Asia/Tokyo")
"""Japan's one time zone; every wall-clock time in the product is read in it."""

_WEEKDAYS_JA = "月火水木金土日"


class DayType(enum.StrEnum):
    """The three kinds of day opening hours are configured for."""

    WEEKDAY = "weekday"
    SATURDAY = "saturday"
    SUNDAY_HOLIDAY = "sunday_holiday"


@lru_cache(maxsize=64)
def _holidays_for_year(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("JP", years=year, language="ja").items())


def holiday_name(day: dt.date) -> str | None:
    """The Japanese name of the national holiday on ``day``, or None."""
    return _holidays_for_year(day.year).get(day)


def is_national_holiday(day: dt.date) -> bool:
    return holiday_name(day) is not None


def national_holidays(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """National holidays between ``start`` and ``end`` inclusive."""
    found: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in _holidays_for_year(year).items():
            if start <= day <= end:
                found[day] = name
    return dict(sorted(found.items()))


def is_year_end_holiday(day: dt.date) -> bool:
    """12/29 to 1/3, the year-end closure of Japanese public offices."""
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def day_type(day: dt.date) -> DayType:
    """Weekday, Saturday, or Sunday/national holiday (a holiday on a Saturday counts as a
    holiday, as opening hours 「土日祝」 treat it)."""
    if day.weekday() == 6 or is_national_holiday(day):
        return DayType.SUNDAY_HOLIDAY
    if day.weekday() == 5:
        return DayType.SATURDAY
    return DayType.WEEKDAY


def is_business_day(day: dt.date, *, extra_closed: Iterable[dt.date] = ()) -> bool:
    if day.weekday() >= 5 or is_national_holiday(day) or is_year_end_holiday(day):
        return False
    return day not in set(extra_closed)


def next_business_day(day: dt.date, *, extra_closed: Iterable[dt.date] = ()) -> dt.date:
    """The first business day strictly after ``day``."""
    closed = set(extra_closed)
    candidate = day + dt.timedelta(days=1)
    while not is_business_day(candidate, extra_closed=closed):
        candidate += dt.timedelta(days=1)
    return candidate


def business_day_on_or_after(day: dt.date, *, extra_closed: Iterable[dt.date] = ()) -> dt.date:
    """``day`` itself when it is a business day, otherwise the next one (the rule
    「土日祝日の場合は、翌営業日」)."""
    closed = set(extra_closed)
    if is_business_day(day, extra_closed=closed):
        return day
    return next_business_day(day, extra_closed=closed)


# --- Fiscal year (April to March) --------------------------------------------------------


def fiscal_year(day: dt.date) -> int:
    """The fiscal year a date belongs to: 2027-03-31 is in fiscal 2026."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(fy: int) -> tuple[dt.date, dt.date]:
    """First and last day of fiscal year ``fy`` (April 1 to March 31)."""
    return dt.date(fy, 4, 1), dt.date(fy + 1, 3, 31)


def fiscal_year_months(fy: int) -> list[tuple[int, int]]:
    """The twelve (year, month) pairs of a fiscal year, April first."""
    return [(fy, m) for m in range(4, 13)] + [(fy + 1, m) for m in range(1, 4)]


# --- Japanese eras and formatting ------------------------------------------------------

# The one table of 和暦 eras (newest first): every era parser, formatter and check in the
# platform reads it. 明治 is here so that text naming it (a birth date in a message) is
# recognised; dates are formatted and parsed from 大正 on.
ERAS: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
    (dt.date(1912, 7, 30), "大正"),
    (dt.date(1868, 10, 23), "明治"),
)
CURRENT_ERA = ERAS[0][1]
_ERAS = ERAS[:-1]  # from 大正 on: what dates are formatted and parsed in


def era_first_year(name: str) -> int:
    """The western year in which an era began (its 元年): 令和 → 2019."""
    return next(start.year for start, era in ERAS if era == name)


def era_year(day: dt.date) -> tuple[str, int]:
    """The era name and year of a date: 2026-11-21 → ("令和", 8)."""
    for start, name in _ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError(f"dates before 1912-07-30 are not supported: {day.isoformat()}")


_ERA_INITIALS = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正"}
_WAREKI = re.compile(
    r"^(令和|平成|昭和|大正|[RHST])\s*(元|\d{1,2})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$"
)
_SEIREKI = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$")


def parse_date_ja(text: str) -> dt.date:
    """A date as people write it: 西暦 (1960-05-01, 1960/5/1, 1960年5月1日) or 和暦
    (昭和35年5月1日, S35.5.1, 平成元年1月8日), full- or half-width, spaces ignored.
    Raises ValueError for anything else, including a date outside its era (昭和64年2月1日:
    昭和 ended on 1989-01-07), and :class:`~secondcareer.core.inputs.DateOutOfRange` for
    a real date outside the platform's range (0001-01-01)."""
    value = normalize_text(text).upper().replace(" ", "")
    if match := _SEIREKI.match(value):
        return check_date_range(dt.date(int(match[1]), int(match[2]), int(match[3])))
    if match := _WAREKI.match(value):
        era = _ERA_INITIALS.get(match[1], match[1])
        year = 1 if match[2] == "元" else int(match[2])
        start = next(start for start, name in _ERAS if name == era)
        day = dt.date(start.year + year - 1, int(match[3]), int(match[4]))
        if era_year(day) != (era, year):
            raise ValueError(f"{text!r} is outside the era {era}")
        return check_date_range(day)  # 令和99年 is in its era, but past the range
    raise ValueError(f"not a date: {text!r}")


def _era_year_text(name: str, year: int) -> str:
    return f"{name}{'元' if year == 1 else year}年"


def year_label(year: int) -> str:
    """A western year with its era year, as forms for older people show it:
    1960 → 「1960年（昭和35年）」, 1989 → 「1989年（昭和64年・平成元年）」."""
    eras: list[str] = []
    for day in (dt.date(year, 1, 1), dt.date(year, 12, 31)):
        text = _era_year_text(*era_year(day))
        if text not in eras:
            eras.append(text)
    return f"{year}年（{'・'.join(eras)}）"


def birth_year_choices(
    today: dt.date, *, youngest: int = 40, oldest: int = 100
) -> list[tuple[str, list[tuple[int, str]]]]:
    """Birth years of people aged ``youngest`` to ``oldest`` on ``today``, newest first,
    grouped by decade for a ``<select>`` with ``<optgroup>``s:
    [("1980年代（昭和55〜64年・平成元年）", [(1986, "1986年（昭和61年）"), …]), …].

    The decades let a 68-year-old jump to 「1950年代」 and then to 1958 instead of
    scrolling through sixty years one by one; the era years are there because many
    people of that age know their birth year as 「昭和33年」."""
    newest, earliest = today.year - youngest, today.year - oldest
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    for decade in range(newest - newest % 10, earliest - earliest % 10 - 1, -10):
        years = [y for y in range(min(decade + 9, newest), max(decade, earliest) - 1, -1)]
        first, last = years[-1], years[0]
        groups.append(
            (
                f"{decade}年代（{_era_span(first, last)}）",
                [(y, year_label(y)) for y in years],
            )
        )
    return groups


def _era_span(first: int, last: int) -> str:
    """「昭和25〜34年」, or 「昭和55〜64年・平成元年」 across an era change."""
    spans: dict[str, list[int]] = {}
    for year in range(first, last + 1):
        for day in (dt.date(year, 1, 1), dt.date(year, 12, 31)):
            name, number = era_year(day)
            numbers = spans.setdefault(name, [])
            if number not in numbers:
                numbers.append(number)
    parts = []
    for name, numbers in sorted(spans.items(), key=lambda item: _ERA_ORDER[item[0]]):
        low, high = min(numbers), max(numbers)
        low_text = "元" if low == 1 else str(low)
        parts.append(f"{name}{low_text}年" if low == high else f"{name}{low_text}〜{high}年")
    return "・".join(parts)


_ERA_ORDER = {name: index for index, (_start, name) in enumerate(reversed(_ERAS))}


def format_wareki(day: dt.date) -> str:
    """2026-11-21 → 「令和8年11月21日」."""
    name, year = era_year(day)
    return f"{_era_year_text(name, year)}{day.month}月{day.day}日"


def fiscal_year_label(fy: int) -> str:
    """2023 → 「令和5年度」."""
    name, year = era_year(dt.date(fy, 4, 1))
    return f"{name}{'元' if year == 1 else year}年度"


def format_date_ja(day: dt.date) -> str:
    """2026-12-03 → 「2026年12月3日(木)」."""
    return f"{day.year}年{day.month}月{day.day}日({_WEEKDAYS_JA[day.weekday()]})"


def format_datetime_ja(moment: dt.datetime) -> str:
    """A local datetime → 「2026年12月3日(木) 14:00」."""
    return f"{format_date_ja(moment.date())} {moment:%H:%M}"
