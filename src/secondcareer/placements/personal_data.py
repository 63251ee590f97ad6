"""What placements holds on a seeker (docs/personal-data.md): referrals with their
status history and application support, placements and their retention follow-ups.

Anonymising blanks the free text (referral notes, status-change notes, support notes,
follow-up notes and reasons for leaving); statuses, kinds, dates, employers, employment
types, wages and the age at the start stay, so every count of the reports stays."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from secondcareer.core.personal_data import register, register_not_personal
from secondcareer.placements.models import (
    ApplicationSupport,
    FollowUp,
    Placement,
    Referral,
    ReferralStatusChange,
)

register(
    key="placements.referrals",
    title=_("職業紹介"),
    model=Referral,
    seeker="seeker",
    anonymise={"note": ""},
    activity=("referred_on",),
    order=60,
)
register(
    key="placements.referral_changes",
    title=_("職業紹介の状態変更"),
    model=ReferralStatusChange,
    seeker="referral__seeker",
    anonymise={"note": ""},
    order=61,
)
register(
    key="placements.application_supports",
    title=_("応募支援"),
    model=ApplicationSupport,
    seeker="referral__seeker",
    anonymise={"note": ""},
    activity=("on",),
    order=62,
)
register(
    key="placements.placements",
    title=_("就職決定"),
    model=Placement,
    seeker="seeker",
    order=63,
)
register(
    key="placements.followups",
    title=_("定着支援フォローアップ"),
    model=FollowUp,
    seeker="placement__seeker",
    anonymise={"note": "", "left_reason": ""},
    activity=("done_on",),
    order=64,
)
register_not_personal(
    FollowUp.topics.through,
    reason="a follow-up's difficulty topics: exported with the follow-up (its topics field) and kept",
)

import secondcareer.placements.internship_personal_data  # noqa: E402, F401  (internships)
