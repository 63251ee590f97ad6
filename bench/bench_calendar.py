"""Business-day arithmetic over five years: the due-date and scheduling rules call it
for every day they consider, so it must stay cheap (holiday tables are cached)."""

from __future__ import annotations

import datetime as dt
import statistics
import time

from secondcareer.core.jpcalendar import day_type, is_business_day, next_business_day


def run() -> dict[str, object]:
    days = [dt.date(2026, 4, 1) + dt.timedelta(days=i) for i in range(365 * 5)]
    samples = []
    for _ in range(15):
        start = time.perf_counter()
        for day in days:
            is_business_day(day)
            day_type(day)
            next_business_day(day)
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "what": "is_business_day + day_type + next_business_day for 1,825 days",
        "median_ms": round(statistics.median(samples), 2),
        "runs": len(samples),
    }
