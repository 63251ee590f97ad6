"""What the internships hold on a seeker (docs/personal-data.md, docs/internships.md):
the internship itself, the consents to its plan and the insurance enrolment.

Anonymising blanks the free text that may describe the participant (the plan's
content, schedule and notes, the travel and outcome notes, who gave a consent); kinds,
dates, statuses, employers, outcomes and the insurance's policy and period stay, so the
インターンシップ参加者数 of the reports stays. Imported by ``placements/personal_data.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from secondcareer.core.personal_data import register
from secondcareer.placements.internship_models import (
    Internship,
    InternshipConsent,
    InternshipInsurance,
)

register(
    key="placements.internships",
    title=_("インターンシップ"),
    model=Internship,
    seeker="participant",
    anonymise={
        "content": "",
        "schedule": "",
        "safety_notes": "",
        "harassment_notes": "",
        "travel_note": "",
        "outcome_note": "",
    },
    activity=("start_on",),
    order=70,
)
register(
    key="placements.internship_consents",
    title=_("インターンシップの同意"),
    model=InternshipConsent,
    seeker="internship__participant",
    anonymise={"given_by": ""},
    order=71,
)
register(
    key="placements.internship_insurance",
    title=_("インターンシップの保険"),
    model=InternshipInsurance,
    seeker="internship__participant",
    order=72,
)
