"""Wages to yen per hour, the one unit the engine compares.

Hello Work gives a wage per hour, per day or per month (賃金形態). A daily wage is
divided by the hours of a day; a monthly one by the hours of an average month:
hours/day × days/week × 52 weeks ÷ 12 months. Every helper takes scalars or numpy
arrays alike.
"""

from __future__ import annotations

from typing import Literal, TypeVar

import numpy as np

WEEKS_PER_MONTH = 52 / 12

Number = TypeVar("Number", float, np.ndarray)
WageKind = Literal["hourly", "daily", "monthly"]


def hourly_from_daily(daily: Number, hours_per_day: Number) -> Number:
    """A day's wage ÷ the hours of that day."""
    return daily / hours_per_day


def hourly_from_monthly(monthly: Number, hours_per_day: Number, days_per_week: Number) -> Number:
    """A month's wage ÷ (hours/day × days/week × 52/12)."""
    return monthly / (hours_per_day * days_per_week * WEEKS_PER_MONTH)


def to_hourly(
    amount: float, kind: WageKind, *, hours_per_day: float, days_per_week: float
) -> float:
    """One wage of the given kind (hourly, daily or monthly) in yen per hour."""
    if kind == "hourly":
        return float(amount)
    if hours_per_day <= 0:
        raise ValueError("hours_per_day must be positive to convert a daily or monthly wage")
    if kind == "daily":
        return float(hourly_from_daily(amount, hours_per_day))
    if kind == "monthly":
        if days_per_week <= 0:
            raise ValueError("days_per_week must be positive to convert a monthly wage")
        return float(hourly_from_monthly(amount, hours_per_day, days_per_week))
    raise ValueError(f"unknown wage kind: {kind!r}")
