"""When a support plan is reviewed: pure date arithmetic over the preset's
``policies.plan_review_months`` (ADR 0023).

Saitama writes ``[3, 6]``: 3 months after the first consultation (the consultant's
review), 6 months after it (the manager's) and every 3 months after that (the
manager's). In general, for months ``m1 < m2 < … < mk``:

- review *n* is due ``m_n`` months after the anchor for ``n <= k``, and after the last
  one every ``mk - m(k-1)`` months (every ``m1`` months when only one is given);
- the first review is the consultant's; every later one is the manager's (with a
  single entry, every review is the consultant's).

Each due date is counted from the anchor, not from the previous review, so month ends
do not drift: an anchor of 2026-11-30 gives 2027-02-28, 2027-05-30, 2027-08-30, …
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewKind(models.TextChoices):
    CONSULTANT = "consultant", _("担当キャリアコンサルタントによる見直し")
    MANAGER = "manager", _("運営管理責任者・副管理者による見直し")


@dataclass(frozen=True)
class ReviewDue:
    number: int  # 1 for the first review of a case
    months: int  # after the anchor
    kind: ReviewKind
    due_on: dt.date


def review_months(schedule: Sequence[int], number: int) -> int:
    """Months after the anchor of review ``number`` (1-based)."""
    months = sorted(set(schedule))
    if not months or number < 1:
        raise ValueError("no review schedule")
    if number <= len(months):
        return months[number - 1]
    step = months[-1] - months[-2] if len(months) > 1 else months[0]
    return months[-1] + (number - len(months)) * step


def review_due(schedule: Sequence[int], anchor: dt.date, number: int) -> ReviewDue | None:
    """Review ``number`` of a case anchored on ``anchor``; None when the program
    reviews no plans (an empty schedule, as Kobe's)."""
    if not schedule:
        return None
    months = review_months(schedule, number)
    several = len(set(schedule)) > 1
    kind = ReviewKind.MANAGER if several and number > 1 else ReviewKind.CONSULTANT
    return ReviewDue(
        number=number, months=months, kind=kind, due_on=anchor + relativedelta(months=months)
    )
