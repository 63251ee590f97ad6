"""Pure rules a scheduler reads: nth weekdays of venues, yearly closure ranges."""

from __future__ import annotations

import datetime as dt

from secondcareer.programs.rules import (
    day_pattern_matches,
    month_day_in_range,
    nth_weekday_of_month,
)

WED = 2


def test_nth_weekday_of_month_counts_occurrences_not_calendar_weeks() -> None:
    # April 2026 starts on a Wednesday: 1st, 8th, 15th, 22nd, 29th.
    assert [nth_weekday_of_month(dt.date(2026, 4, d)) for d in (1, 8, 15, 22, 29)] == [
        1,
        2,
        3,
        4,
        5,
    ]


def test_first_and_third_wednesday_pattern_matches_only_those_days() -> None:
    days = [dt.date(2026, 4, d) for d in range(1, 31)]
    assert [d.day for d in days if day_pattern_matches(WED, [1, 3], d)] == [1, 15]


def test_every_week_pattern_matches_every_such_weekday() -> None:
    days = [dt.date(2026, 4, d) for d in range(1, 31)]
    assert [d.day for d in days if day_pattern_matches(WED, None, d)] == [1, 8, 15, 22, 29]


def test_year_end_range_wraps_over_the_new_year() -> None:
    year_end = ((12, 29), (1, 3))
    inside = [
        dt.date(2026, 12, 29),
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 3),
    ]
    outside = [dt.date(2026, 12, 28), dt.date(2027, 1, 4), dt.date(2027, 6, 1)]
    assert all(month_day_in_range(*year_end, d) for d in inside)
    assert not any(month_day_in_range(*year_end, d) for d in outside)


def test_summer_range_within_one_year() -> None:
    summer = ((8, 13), (8, 15))
    assert [d for d in range(10, 18) if month_day_in_range(*summer, dt.date(2026, 8, d))] == [
        13,
        14,
        15,
    ]
