import datetime as dt

import pytest

from secondcareer.core.jpcalendar import (
    DayType,
    birth_year_choices,
    business_day_on_or_after,
    day_type,
    fiscal_year,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_months,
    format_date_ja,
    format_wareki,
    holiday_name,
    is_business_day,
    national_holidays,
    next_business_day,
    parse_date_ja,
    year_label,
)

D = dt.date


def test_the_next_business_day_after_a_saturday_before_coming_of_age_day_is_tuesday():
    # 2027-01-09 Sat, 01-10 Sun, 01-11 成人の日 (second Monday of January)
    assert next_business_day(D(2027, 1, 9)) == D(2027, 1, 12)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 12, 25), D(2026, 12, 28)),  # Fri → Mon
        (D(2026, 12, 28), D(2027, 1, 4)),  # year-end 12/29–1/3 closed
        (D(2026, 11, 20), D(2026, 11, 24)),  # 11/23 勤労感謝の日 is Monday
        (D(2027, 5, 1), D(2027, 5, 6)),  # Golden Week: 5/3, 5/4, 5/5 holidays
    ],
)
def test_next_business_day_skips_weekends_holidays_and_year_end(day, expected):
    assert next_business_day(day) == expected


def test_substitute_holiday_is_not_a_business_day():
    # 2026-05-03 憲法記念日 is a Sunday, so 5/6 is a 振替休日.
    assert holiday_name(D(2026, 5, 6)) is not None
    assert not is_business_day(D(2026, 5, 6))


def test_extra_closed_days_are_skipped():
    assert next_business_day(D(2026, 12, 1), extra_closed=[D(2026, 12, 2)]) == D(2026, 12, 3)


def test_a_due_date_on_a_business_day_stays_and_on_a_holiday_rolls_forward():
    assert business_day_on_or_after(D(2026, 12, 10)) == D(2026, 12, 10)  # Thursday
    assert business_day_on_or_after(D(2027, 1, 10)) == D(2027, 1, 12)  # Sunday, then 成人の日


def test_day_types_treat_national_holidays_like_sundays():
    assert day_type(D(2026, 11, 23)) is DayType.SUNDAY_HOLIDAY  # 勤労感謝の日 (Mon)
    assert day_type(D(2026, 11, 24)) is DayType.WEEKDAY
    assert day_type(D(2026, 11, 21)) is DayType.SATURDAY
    assert day_type(D(2026, 11, 22)) is DayType.SUNDAY_HOLIDAY


def test_holiday_names_are_japanese():
    assert holiday_name(D(2027, 1, 11)) == "成人の日"
    assert "元日" in national_holidays(D(2027, 1, 1), D(2027, 1, 31)).values()


def test_fiscal_year_runs_from_april_to_march():
    assert fiscal_year(D(2027, 3, 31)) == 2026
    assert fiscal_year(D(2027, 4, 1)) == 2027
    assert fiscal_year_bounds(2023) == (D(2023, 4, 1), D(2024, 3, 31))
    months = fiscal_year_months(2026)
    assert months[0] == (2026, 4) and months[-1] == (2027, 3) and len(months) == 12


def test_dates_are_shown_the_japanese_way():
    assert format_date_ja(D(2026, 12, 3)) == "2026年12月3日(木)"
    assert format_wareki(D(2026, 11, 21)) == "令和8年11月21日"
    assert format_wareki(D(2019, 5, 1)) == "令和元年5月1日"
    assert format_wareki(D(1960, 5, 1)) == "昭和35年5月1日"
    assert fiscal_year_label(2023) == "令和5年度"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("R1.5.1", dt.date(2019, 5, 1)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        ("Ｈ３１．４．３０", dt.date(2019, 4, 30)),
        ("大正15年12月24日", dt.date(1926, 12, 24)),
        ("昭和 元年 12月 25日", dt.date(1926, 12, 25)),
        ("2027年1月13日", dt.date(2027, 1, 13)),
    ],
)
def test_dates_are_read_in_western_and_era_years(text: str, expected: dt.date) -> None:
    assert parse_date_ja(text) == expected


@pytest.mark.parametrize(
    "text", ["令和元年4月30日", "平成31年5月1日", "大正15年12月25日", "明治45年1月1日", "S33", ""]
)
def test_a_date_outside_its_era_or_not_a_date_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date_ja(text)


@pytest.mark.parametrize(
    ("year", "label"),
    [
        (1960, "1960年（昭和35年）"),
        (1926, "1926年（大正15年・昭和元年）"),
        (1989, "1989年（昭和64年・平成元年）"),
        (2019, "2019年（平成31年・令和元年）"),
    ],
)
def test_a_year_is_shown_with_its_era_year(year, label):
    assert year_label(year) == label


def test_birth_years_run_from_age_40_to_100_newest_first_in_decades():
    groups = birth_year_choices(D(2026, 11, 20))
    years = [y for _, options in groups for y, _ in options]
    assert years[0] == 1986 and years[-1] == 1926  # 40 and 100 in 2026
    assert years == sorted(years, reverse=True) and len(years) == 61
    labels = [label for label, _ in groups]
    assert labels[0] == "1980年代（昭和55〜61年）"
    assert "1950年代（昭和25〜34年）" in labels
    assert labels[-1] == "1920年代（大正15年・昭和元〜4年）"
    fifties = dict(groups)["1950年代（昭和25〜34年）"]
    assert (1958, "1958年（昭和33年）") in fifties


def test_birth_years_follow_the_calendar_instead_of_a_fixed_list():
    years = [y for _, options in birth_year_choices(D(2031, 1, 1)) for y, _ in options]
    assert years[0] == 1991 and years[-1] == 1931
    heisei = dict(birth_year_choices(D(2031, 1, 1)))
    assert "1980年代（昭和55〜64年・平成元年）" in heisei
