"""The wage texts Hello Work uses → from / to / 賃金形態."""

from __future__ import annotations

import pytest

from secondcareer.jobs.wages import DAILY, HOURLY, MONTHLY, Wage, WageError, parse_wage


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,100円～1,300円", Wage(1100, 1300, HOURLY)),
        ("1,100円〜1,300円", Wage(1100, 1300, HOURLY)),
        ("１，１００円～１，３００円", Wage(1100, 1300, HOURLY)),
        ("月給 180,000円", Wage(180000, 180000, MONTHLY)),
        ("月給180,000円～220,000円", Wage(180000, 220000, MONTHLY)),
        ("月額 ２００，０００円", Wage(200000, 200000, MONTHLY)),
        ("時給1,000円〜", Wage(1000, None, HOURLY)),
        ("時給 1,050円以上", Wage(1050, 1050, HOURLY)),
        ("時間額 1,200円", Wage(1200, 1200, HOURLY)),
        ("日給 8,000円", Wage(8000, 8000, DAILY)),
        ("日額8,000円～10,000円", Wage(8000, 10000, DAILY)),
        ("8,500円", Wage(8500, 8500, DAILY)),  # no form stated: the amount decides
        ("250,000円～300,000円", Wage(250000, 300000, MONTHLY)),
        ("1000-1200", Wage(1000, 1200, HOURLY)),
        ("時給：1,000円", Wage(1000, 1000, HOURLY)),
    ],
)
def test_wage_texts_are_read(text: str, expected: Wage) -> None:
    assert parse_wage(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "読み取れません"),
        ("応相談", "読み取れません"),
        ("年俸 3,000,000円", "読み取れません"),
        ("時給1,300円～1,100円", "上限が下限より低く"),
        ("0円", "0円"),
        ("時給1,000円～日給8,000円", "読み取れません"),
    ],
)
def test_unreadable_wages_give_a_japanese_reason(text: str, reason: str) -> None:
    with pytest.raises(WageError) as caught:
        parse_wage(text)
    assert reason in caught.value.message
