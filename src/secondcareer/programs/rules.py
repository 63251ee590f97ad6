"""Pure calendar rules of a program: report due dates, weekday patterns of venues,
recurring closure ranges. No ORM: the models and the scheduler both call these.

Business days and national holidays come from :mod:`secondcareer.core.jpcalendar`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from secondcareer.core.jpcalendar import business_day_on_or_after, is_business_day


class Roll(enum.StrEnum):
    """What happens to a due date that falls on a day the office is closed."""

    NONE = "none"
    NEXT_BUSINESS_DAY = "next_business_day"
    PREVIOUS_BUSINESS_DAY = "previous_business_day"


@dataclass(frozen=True)
class DueRule:
    """「翌月10日（土日祝日の場合は、翌営業日）」 is ``DueRule(day=10)``.

    ``months_after`` counts from the reported month (1 = the next month, 0 = the same
    month); ``day`` past the end of a month means its last day (31 in April is the
    30th). ``month`` set means the rule is an exception for reports of that calendar
    month only (Saitama: the March report is due March 31 of the same month).
    """

    day: int
    months_after: int = 1
    roll: Roll = Roll.NEXT_BUSINESS_DAY
    month: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.day <= 31:
            raise ValueError(f"day must be 1..31, got {self.day}")
        if not 0 <= self.months_after <= 12:
            raise ValueError(f"months_after must be 0..12, got {self.months_after}")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, got {self.month}")


@dataclass(frozen=True)
class DueSchedule:
    """A default rule and exceptions for particular report months."""

    default: DueRule
    exceptions: tuple[DueRule, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.default.month is not None:
            raise ValueError("the default rule must not name a month")
        months = [rule.month for rule in self.exceptions]
        if None in months:
            raise ValueError("every exception must name the month it applies to")
        if len(set(months)) != len(months):
            raise ValueError("two exceptions for the same month")

    def rule_for(self, month: int) -> DueRule:
        for rule in self.exceptions:
            if rule.month == month:
                return rule
        return self.default


def previous_business_day_on_or_before(day: dt.date) -> dt.date:
    """``day`` itself when it is a business day, otherwise the business day before it."""
    while not is_business_day(day):
        day -= dt.timedelta(days=1)
    return day


def report_due_date(rule: DueSchedule | DueRule, year: int, month: int) -> dt.date:
    """The date the monthly report for ``year``-``month`` is due.

    >>> report_due_date(DueRule(day=10), 2026, 12)  # 1/10 is a Sunday, 1/11 成人の日
    datetime.date(2027, 1, 12)
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    chosen = rule.rule_for(month) if isinstance(rule, DueSchedule) else rule
    index = year * 12 + (month - 1) + chosen.months_after
    due_year, due_month = divmod(index, 12)
    due_month += 1
    last_day = calendar.monthrange(due_year, due_month)[1]
    due = dt.date(due_year, due_month, min(chosen.day, last_day))
    if chosen.roll is Roll.NEXT_BUSINESS_DAY:
        return business_day_on_or_after(due)
    if chosen.roll is Roll.PREVIOUS_BUSINESS_DAY:
        return previous_business_day_on_or_before(due)
    return due


# --- Weekday patterns of venues ------------------------------------------------------------


def nth_weekday_of_month(day: dt.date) -> int:
    """Which occurrence of its weekday ``day`` is within its month: 2026-12-16 (the third
    Wednesday of December 2026) → 3."""
    return (day.day - 1) // 7 + 1


def day_pattern_matches(weekday: int, nth: Sequence[int] | None, day: dt.date) -> bool:
    """Whether a venue used on ``weekday`` (0 = Monday) — every week when ``nth`` is
    None, otherwise only on those occurrences in the month (秩父: 第1・3水 is
    ``(2, [1, 3])``) — is used on ``day``."""
    if day.weekday() != weekday:
        return False
    return nth is None or nth_weekday_of_month(day) in nth


# --- Recurring closures ----------------------------------------------------------------------

MonthDay = tuple[int, int]


def month_day_in_range(start: MonthDay, end: MonthDay, day: dt.date) -> bool:
    """Whether ``day`` lies in the yearly range ``start``..``end`` (inclusive). A range
    whose end comes before its start wraps over the new year: 年末年始 is
    ``((12, 29), (1, 3))``."""
    here = (day.month, day.day)
    if start <= end:
        return start <= here <= end
    return here >= start or here <= end
