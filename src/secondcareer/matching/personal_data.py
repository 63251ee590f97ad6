"""What matching holds on a seeker (docs/personal-data.md): the matching profile, the
consultants' pin/hide choices and the last digest.

Anonymising blanks the profile's free text (career history, skills, licences, wished
occupations, tags); the working conditions (days, hours, wage, areas), the choices and
the digest's date stay: they name no one and the matching statistics keep them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from secondcareer.core.personal_data import register, register_not_personal
from secondcareer.matching.models import DigestMark, MatchDecision, SeekerProfile

register(
    key="matching.profiles",
    title=_("マッチングの希望条件"),
    model=SeekerProfile,
    seeker="seeker",
    anonymise={
        "career_history": "",
        "skills": "",
        "licences": "",
        "wished_occupations": [],
        "tags": [],
    },
    activity=("updated_at",),
    order=60,
)
register(
    key="matching.decisions",
    title=_("おすすめ求人の固定・非表示"),
    model=MatchDecision,
    seeker="seeker",
    activity=("at",),
    order=61,
)
register(
    key="matching.digests",
    title=_("おすすめ求人のお知らせ（前回）"),
    model=DigestMark,
    seeker="seeker",
    order=62,
)
register_not_personal(
    SeekerProfile.wished_areas.through,
    reason="the profile's wished areas: exported with the profile (its wished_areas field) "
    "and kept (areas name no one)",
)
