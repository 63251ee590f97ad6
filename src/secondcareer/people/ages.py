"""Ages and the age groups the reports use. Pure functions, no ORM.

Saitama counts users and placements "うち60歳以上" and "うち65歳以上" (nested groups)
and supports youth (≤39) and middle (40–59) seekers too; Kobe targets "概ね60歳以上".
"""

from __future__ import annotations

import datetime as dt
import enum


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years (満年齢) on ``day``; someone born on 29 February completes a
    year on 1 March in common years."""
    if day < birth_date:
        raise ValueError("the day is before the birth date")
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class AgeBand(enum.StrEnum):
    """Mutually exclusive bands (Saitama 2(2)ア: 若者・ミドル・シニア)."""

    YOUTH = "youth"  # 39 and under
    MIDDLE = "middle"  # 40–59
    SENIOR = "senior"  # 60 and over


AGE_BAND_LABELS = {
    AgeBand.YOUTH: "若者（39歳以下）",
    AgeBand.MIDDLE: "ミドル（40〜59歳）",
    AgeBand.SENIOR: "シニア（60歳以上）",
}


def age_band(age: int) -> AgeBand:
    if age <= 39:
        return AgeBand.YOUTH
    if age <= 59:
        return AgeBand.MIDDLE
    return AgeBand.SENIOR


def report_groups(age: int) -> frozenset[str]:
    """The nested groups a person counts in: ``{"60+", "65+"}`` for a 66-year-old,
    ``{"60+"}`` for 62, empty below 60."""
    groups = set()
    if age >= 60:
        groups.add("60+")
    if age >= 65:
        groups.add("65+")
    return frozenset(groups)
