"""The pure due-date rule of monthly reports (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from secondcareer.programs.rules import DueRule, DueSchedule, Roll, report_due_date

KOBE = DueRule(day=10)  # 翌月10日（土日祝日の場合は、翌営業日）
SAITAMA = DueSchedule(
    default=DueRule(day=10),
    exceptions=(DueRule(day=31, months_after=0, roll=Roll.NONE, month=3),),
)


def test_report_due_on_the_tenth_of_the_next_month_when_it_is_a_business_day() -> None:
    assert report_due_date(KOBE, 2026, 8) == dt.date(2026, 9, 10)  # a Thursday


def test_due_date_on_a_sunday_then_a_holiday_moves_to_the_next_business_day() -> None:
    # 2027-01-10 is a Sunday, 2027-01-11 is 成人の日.
    assert report_due_date(KOBE, 2026, 12) == dt.date(2027, 1, 12)


def test_due_date_on_a_saturday_moves_to_monday() -> None:
    # 2027-04-10 is a Saturday.
    assert report_due_date(KOBE, 2027, 3) == dt.date(2027, 4, 12)


def test_december_report_crosses_into_the_next_year() -> None:
    assert report_due_date(DueRule(day=5, roll=Roll.NONE), 2026, 12) == dt.date(2027, 1, 5)


def test_march_report_of_saitama_is_due_on_march_31_of_the_same_month() -> None:
    assert report_due_date(SAITAMA, 2027, 3) == dt.date(2027, 3, 31)
    assert report_due_date(SAITAMA, 2024, 3) == dt.date(2024, 3, 31)  # a Sunday, kept
    assert report_due_date(SAITAMA, 2027, 2) == dt.date(2027, 3, 10)


def test_a_day_past_the_end_of_the_month_means_its_last_day() -> None:
    rule = DueRule(day=31, roll=Roll.NONE)
    assert report_due_date(rule, 2027, 1) == dt.date(2027, 2, 28)
    assert report_due_date(rule, 2028, 1) == dt.date(2028, 2, 29)


def test_previous_business_day_roll_moves_back_over_a_weekend() -> None:
    rule = DueRule(day=10, roll=Roll.PREVIOUS_BUSINESS_DAY)
    assert report_due_date(rule, 2026, 12) == dt.date(2027, 1, 8)  # Friday before


def test_a_schedule_refuses_two_exceptions_for_the_same_month() -> None:
    march = DueRule(day=31, months_after=0, month=3)
    with pytest.raises(ValueError, match="same month"):
        DueSchedule(default=KOBE, exceptions=(march, march))


def test_a_rule_refuses_impossible_days_and_months() -> None:
    with pytest.raises(ValueError):
        DueRule(day=0)
    with pytest.raises(ValueError):
        DueRule(day=10, month=13)
    with pytest.raises(ValueError):
        report_due_date(KOBE, 2026, 13)
