"""What consultations holds on a seeker (docs/personal-data.md) and the retention rule:
whose cases are closed before the retention date.

Anonymising blanks the free text (record notes and next actions, plan goals and steps,
review outcomes, close reasons, assignment notes, the employer and next action noted
at an inactivity check, the reasons of case shares, the reason and outcome notes of
referrals to public support bodies); kinds, methods, channels, minutes,
attendance, topics, dates and statuses stay, so every count of the reports stays."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from secondcareer.consultations.models import (
    Case,
    CaseAssignment,
    CaseShare,
    ConsultationRecord,
    InactivityCheck,
    RecordTopic,
    Review,
    SupportPlan,
    SupportReferral,
)
from secondcareer.core.personal_data import (
    RetentionCandidates,
    register,
    register_not_personal,
    register_retention,
)
from secondcareer.programs.models import Program

register(
    key="consultations.cases",
    title=_("支援ケース"),
    model=Case,
    seeker="seeker",
    anonymise={"close_reason": ""},
    order=30,
)
register(
    key="consultations.assignments",
    title=_("担当の変更履歴"),
    model=CaseAssignment,
    seeker="case__seeker",
    anonymise={"note": ""},
    order=31,
)
register(
    key="consultations.records",
    title=_("相談記録（カルテ）"),
    model=ConsultationRecord,
    seeker="seeker",
    anonymise={"notes": "", "next_action": ""},
    activity=("started_at",),
    order=32,
)
register(
    key="consultations.plans",
    title=_("支援計画"),
    model=SupportPlan,
    seeker="case__seeker",
    anonymise={"goals": "", "steps": []},
    order=33,
)
register(
    key="consultations.reviews",
    title=_("支援計画の見直し"),
    model=Review,
    seeker="case__seeker",
    anonymise={"outcome": ""},
    order=34,
)
register(
    key="consultations.inactivity_checks",
    title=_("利用のない方への電話・はがきでの確認"),
    model=InactivityCheck,
    seeker="seeker",
    anonymise={"employer_note": "", "next_action": ""},
    activity=("done_on",),
    order=35,
)
register(
    key="consultations.shares",
    title=_("ケースの共有"),
    model=CaseShare,
    seeker="case__seeker",
    anonymise={"reason": ""},
    order=36,
)
register(
    key="consultations.referrals",
    title=_("公的支援機関への紹介"),
    model=SupportReferral,
    seeker="case__seeker",
    anonymise={"reason": "", "outcome_note": ""},
    activity=("referred_on",),
    order=37,
)
register_not_personal(
    RecordTopic,
    reason="the record's topics: exported with the record (its topics field) and kept",
)


def closed_cases(program: Program, before: dt.date) -> RetentionCandidates:
    """Seekers of ``program`` with a case closed before ``before``: those whose every
    case is closed, the last one before it; those with a case still open; those whose
    last case closed on or after it."""
    facts = (
        Case.objects.filter(program=program)
        .order_by()
        .values("seeker")
        .annotate(
            open_cases=Max("pk", filter=Q(closed_on__isnull=True)),
            last_closed=Max("closed_on"),
            first_closed=Max("pk", filter=Q(closed_on__lt=before)),
        )
        .filter(first_closed__isnull=False)
    )
    closed, open_case, later = set(), set(), set()
    for row in facts:
        if row["open_cases"] is not None:
            open_case.add(row["seeker"])
        elif row["last_closed"] >= before:
            later.add(row["seeker"])
        else:
            closed.add(row["seeker"])
    return RetentionCandidates(
        closed=frozenset(closed), open_case=frozenset(open_case), closed_later=frozenset(later)
    )


register_retention(closed_cases)
