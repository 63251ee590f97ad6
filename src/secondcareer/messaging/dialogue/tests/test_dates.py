"""The free-text date and time parser: a table of what seniors type, and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secondcareer.messaging.dialogue.dates import (
    PartOfDay,
    filter_by_part,
    normalize,
    parse_when,
)

D = dt.date
T = dt.time
THU = D(2026, 12, 10)  # a Thursday
M, A, E, N, F = (
    PartOfDay.MORNING,
    PartOfDay.AFTERNOON,
    PartOfDay.EVENING,
    PartOfDay.NIGHT,
    PartOfDay.FIRST,
)

CASES: list[tuple[str, dt.date, dt.date | None, dt.time | None, PartOfDay | None]] = [
    # relative days
    ("今日", THU, THU, None, None),
    ("きょう", THU, THU, None, None),
    ("本日", THU, THU, None, None),
    ("明日", THU, D(2026, 12, 11), None, None),
    ("あした", THU, D(2026, 12, 11), None, None),
    ("あす", THU, D(2026, 12, 11), None, None),
    ("明後日", THU, D(2026, 12, 12), None, None),
    ("あさって", THU, D(2026, 12, 12), None, None),
    ("しあさって", THU, D(2026, 12, 13), None, None),
    ("明々後日", THU, D(2026, 12, 13), None, None),
    ("3日後", THU, D(2026, 12, 13), None, None),
    ("1週間後", THU, D(2026, 12, 17), None, None),
    ("今夜", THU, THU, None, N),
    # weekdays
    ("火曜", THU, D(2026, 12, 15), None, None),
    ("木曜日", THU, D(2026, 12, 17), None, None),  # today is Thursday: the next one
    ("次の月曜", THU, D(2026, 12, 14), None, None),
    ("今度の水曜日", THU, D(2026, 12, 16), None, None),
    ("今週の金曜", THU, D(2026, 12, 11), None, None),
    ("今週の月曜", THU, D(2026, 12, 7), None, None),  # already past: the caller says so
    ("来週の火曜", THU, D(2026, 12, 15), None, None),
    ("来週火曜日", THU, D(2026, 12, 15), None, None),
    ("来週の火曜", D(2026, 12, 13), D(2026, 12, 15), None, None),  # asked on a Sunday
    ("再来週の月曜", THU, D(2026, 12, 21), None, None),
    ("(水)", THU, D(2026, 12, 16), None, None),
    # month-day and full dates
    ("12月24日", THU, D(2026, 12, 24), None, None),
    ("12/24", THU, D(2026, 12, 24), None, None),
    ("12月3日", THU, D(2027, 12, 3), None, None),  # past: next year
    ("12/3", THU, D(2027, 12, 3), None, None),
    ("12/3", D(2026, 11, 20), D(2026, 12, 3), None, None),
    ("1/6(水)", THU, D(2027, 1, 6), None, None),
    ("1月6日(水)", THU, D(2027, 1, 6), None, None),
    ("2027年1月6日", THU, D(2027, 1, 6), None, None),
    ("2027/1/6", THU, D(2027, 1, 6), None, None),
    ("2027-01-06", THU, D(2027, 1, 6), None, None),
    ("令和9年1月6日", THU, D(2027, 1, 6), None, None),
    ("令和8年12月24日", THU, D(2026, 12, 24), None, None),
    ("令和元年5月1日", D(2019, 6, 1), D(2019, 5, 1), None, None),
    ("3日", THU, D(2027, 1, 3), None, None),  # the 3rd has passed: next month
    ("24日", THU, D(2026, 12, 24), None, None),
    ("来月3日", THU, D(2027, 1, 3), None, None),
    ("来月の15日", THU, D(2027, 1, 15), None, None),
    ("月末", THU, D(2026, 12, 31), None, None),
    ("来月末", THU, D(2027, 1, 31), None, None),
    ("2/29", D(2027, 3, 1), D(2028, 2, 29), None, None),  # the next 29 February
    # full-width and kanji numerals
    ("１２月２４日", THU, D(2026, 12, 24), None, None),
    ("１２／２４　１４時", THU, D(2026, 12, 24), T(14), None),
    ("十二月二十四日", THU, D(2026, 12, 24), None, None),
    ("三十一日", THU, D(2026, 12, 31), None, None),
    ("十時半", THU, None, T(10, 30), None),
    ("午後二時", THU, None, T(14), None),
    # times
    ("14時", THU, None, T(14), None),
    ("14:00", THU, None, T(14), None),
    ("１４：３０", THU, None, T(14, 30), None),
    ("午後2時", THU, None, T(14), None),
    ("午前10時半", THU, None, T(10, 30), None),
    ("10時30分", THU, None, T(10, 30), None),
    ("2時", THU, None, T(14), None),  # a bare 2 o'clock is in the afternoon
    ("9時", THU, None, T(9), None),
    ("夕方5時", THU, None, T(17), None),
    ("夜7時", THU, None, T(19), None),
    ("昼1時", THU, None, T(13), None),
    ("朝9時", THU, None, T(9), None),
    ("正午", THU, None, T(12), None),
    ("2pm", THU, None, T(14), None),
    ("10時から12時", THU, None, T(10), None),
    ("10~12時", THU, None, T(10), None),
    # parts of the day
    ("午前中", THU, None, None, M),
    ("午前", THU, None, None, M),
    ("午後", THU, None, None, A),
    ("昼から", THU, None, None, A),
    ("夕方", THU, None, None, E),
    ("朝一", THU, None, None, F),
    ("朝一番で", THU, None, None, F),
    # combinations
    ("12/3 14時", D(2026, 11, 20), D(2026, 12, 3), T(14), None),
    ("明日の14時", THU, D(2026, 12, 11), T(14), None),
    ("明日の午後", THU, D(2026, 12, 11), None, A),
    ("来週の火曜の午前中", THU, D(2026, 12, 15), None, M),
    ("来週火曜日 午後2時でお願いします", THU, D(2026, 12, 15), T(14), None),
    ("2027-01-06T10:00", THU, D(2027, 1, 6), T(10), None),
    ("12月24日（木）15時", THU, D(2026, 12, 24), T(15), None),
    ("今夜7時", THU, THU, T(19), None),
]

REFUSED = [
    "",
    "こんにちは",
    "予約したい",
    "12-3",  # a range or part of a phone number as often as a date
    "12.3",
    "電話番号は090-1234-5678です",
    "25時",
    "14:75",
    "2/30",
    "13月1日",
    "一時的に",
    "2時間くらい",
    "週末",
    "べんきょうしたい",
    "1999年1月1日",  # outside last year … the year after next
]


@pytest.mark.parametrize(("text", "today", "date", "time", "part"), CASES)
def test_parse_when_reads_what_seniors_type(text, today, date, time, part):
    when = parse_when(text, today=today)
    assert when is not None
    assert (when.date, when.time, when.part_of_day) == (date, time, part)


def test_the_table_has_at_least_fifty_cases():
    assert len(CASES) + len(REFUSED) >= 50


@pytest.mark.parametrize("text", REFUSED)
def test_parse_when_refuses_what_is_not_a_date_or_time(text):
    when = parse_when(text, today=THU)
    assert when is None or (when.date, when.time, when.part_of_day) == (None, None, None)


def test_a_29_february_more_than_a_year_away_is_refused():
    assert parse_when("2/29", today=D(2026, 3, 1)) is None


def test_assume_pm_below_is_configurable():
    assert parse_when("8時", today=THU).time == T(8)
    assert parse_when("8時", today=THU, assume_pm_below=9).time == T(20)
    assert parse_when("2時", today=THU, assume_pm_below=0).time == T(2)


def test_matched_names_the_text_that_was_read():
    when = parse_when("では１２／２４の１４時でお願いします", today=THU)
    assert when.matched == "12/24 14時"


def test_the_weekday_in_brackets_after_a_date_does_not_override_it():
    # 2027-01-07 is a Thursday: the date wins, the confirmation shows the weekday.
    assert parse_when("1/7(水)", today=THU).date == D(2027, 1, 7)


def test_normalize_turns_full_width_and_kanji_numerals_into_ascii():
    assert normalize("１２月三日　十四時") == "12月3日 14時"


def test_filter_by_part_keeps_the_morning_or_only_the_first_slot():
    times = [T(9), T(10), T(13), T(17), T(19)]
    assert filter_by_part(times, M, time_of=lambda t: t) == [T(9), T(10)]
    assert filter_by_part(times, E, time_of=lambda t: t) == [T(17)]
    assert filter_by_part(times, F, time_of=lambda t: t) == [T(9)]
    assert filter_by_part(times, None, time_of=lambda t: t) == times


JAPANESE = st.text(
    alphabet=st.sampled_from(
        list("0123456789０１２３４５６７８９/:：-年月日時分半午前後今明来再週次の曜火水木金土")
        + list("一二三十令和元あしたさってきょう朝夕夜昼中末後()（）~〜 ")
    ),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(
    text=st.one_of(st.text(max_size=300), JAPANESE), today=st.dates(D(2020, 1, 1), D(2040, 12, 31))
)
def test_parse_when_never_raises_and_stays_in_a_plausible_range(text, today):
    when = parse_when(text, today=today)
    if when is None:
        return
    if when.date is not None:
        # Last year's dates (an explicit year) … the year after next; a relative date
        # (今週の月曜) may be up to six days back.
        assert D(today.year - 1, 1, 1) <= when.date <= D(today.year + 2, 12, 31)
        if not any(ch.isdigit() for ch in normalize(text)) and "令和" not in text:
            assert today - dt.timedelta(days=6) <= when.date <= today + dt.timedelta(days=93)
    for piece in when.matched.split(" "):
        assert piece in normalize(text)
