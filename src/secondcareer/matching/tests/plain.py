"""The hard filters written out plainly, one pair at a time, to check the engine against."""

from __future__ import annotations

import re

from secondcareer.matching.engine import PostingRow, Seeker

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def passes(p: PostingRow, s: Seeker, commute: list[list[float]]) -> bool:
    minutes = commute[s.home_area][p.area]
    if p.area not in s.wished_areas and not minutes <= s.max_commute_minutes:
        return False
    if p.age_limit_lawful:
        if p.age_min is not None and s.age < p.age_min:
            return False
        if p.age_max is not None and s.age > p.age_max:
            return False
    if p.days_per_week > s.max_days_per_week:
        return False
    if p.hours_per_day > s.max_hours_per_day:
        return False
    if p.wage_to < s.min_hourly_wage:
        return False
    if s.employment_types and p.employment_type not in s.employment_types:
        return False
    return p.physical_load <= s.physical_limit
