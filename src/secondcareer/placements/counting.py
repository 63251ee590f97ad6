"""The counts the contracts ask for, for a program and a date range (both ends
included), each with its drill-down (docs/placements.md). The reports use it.

- referrals (職業紹介): all, and own-developed (postings of source ``own``: Saitama's
  職業紹介件数), by ``referred_on``;
- placements (就職決定・就職確認): all, aged 60+ and 65+ at the start (nested groups,
  :func:`secondcareer.people.ages.report_groups`), regular and non-regular, by
  ``start_on``;
- follow-ups done (定着支援), by ``done_on``.

Every figure gives ``cases`` (件: every record) and ``people`` (人: distinct seekers, a
person once per period), and ``records`` — the queryset behind it (unevaluated). Three
queries in all, whatever the data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from secondcareer.jobs.models import PostingSource
from secondcareer.placements.models import EmploymentType, FollowUp, Placement, Referral
from secondcareer.programs.models import Program


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    cases: int  # 件
    people: int  # 人
    records: QuerySet[Any]  # the drill-down

    def seeker_ids(self) -> list[int]:
        field = "placement__seeker_id" if self.records.model is FollowUp else "seeker_id"
        return sorted(set(self.records.values_list(field, flat=True)))


# key → (label, model, filter beyond the period)
_REFERRALS = {
    "referrals": ("職業紹介件数", Q()),
    "referrals_own": ("職業紹介件数（センター開拓求人）", Q(posting__source=PostingSource.OWN)),
}
_PLACEMENTS = {
    "placements": ("就職決定（就職確認）", Q()),
    "placements_60": ("うち60歳以上", Q(age_at_start__gte=60)),
    "placements_65": ("うち65歳以上", Q(age_at_start__gte=65)),
    "placements_regular": ("うち正社員", Q(employment_type=EmploymentType.REGULAR)),
    "placements_non_regular": ("うち正社員以外", Q(employment_type=EmploymentType.NON_REGULAR)),
}
_FOLLOWUPS = {"followups_done": ("定着支援フォローアップ実施", Q())}

LABELS = {
    key: label
    for group in (_REFERRALS, _PLACEMENTS, _FOLLOWUPS)
    for key, (label, _q) in group.items()
}


def _figures(
    base: QuerySet[Any], filters: dict[str, tuple[str, Q]], seeker: str
) -> dict[str, Figure]:
    aggregates: dict[str, Any] = {}
    for key, (_label, q) in filters.items():
        aggregates[f"{key}__cases"] = Count("pk", filter=q)
        aggregates[f"{key}__people"] = Count(seeker, filter=q, distinct=True)
    values = base.aggregate(**aggregates)
    return {
        key: Figure(
            key=key,
            label=label,
            cases=values[f"{key}__cases"],
            people=values[f"{key}__people"],
            records=base.filter(q),
        )
        for key, (label, q) in filters.items()
    }


def counts(program: Program, first: dt.date, last: dt.date) -> dict[str, Figure]:
    """Every figure of the period ``first``–``last`` (inclusive), by key."""
    if first > last:
        raise ValueError("the period ends before it starts")
    referrals = Referral.objects.filter(program=program, referred_on__range=(first, last))
    placements = Placement.objects.filter(program=program, start_on__range=(first, last))
    followups = FollowUp.objects.filter(placement__program=program, done_on__range=(first, last))
    return {
        **_figures(referrals, _REFERRALS, "seeker_id"),
        **_figures(placements, _PLACEMENTS, "seeker_id"),
        **_figures(followups, _FOLLOWUPS, "placement__seeker_id"),
    }
