"""The JSON shapes of matching's stable interfaces (README "Matching"): the API and
``secondcareer match`` print exactly these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from secondcareer.matching.models import SeekerProfile
from secondcareer.matching.selectors import PostingMatch, SeekerMatch


def seeker_match_json(match: SeekerMatch) -> dict[str, Any]:
    """A posting recommended to a seeker."""
    posting = match.posting
    return {
        "posting_id": posting.pk,
        "score": round(match.score, 4),
        "reasons": list(match.reasons),
        "gaps": list(match.gaps),
        "decision": match.decision,
        "number": posting.number,
        "occupation": posting.occupation,
        "employer": posting.employer.name,
        "area": posting.workplace_area.name if posting.workplace_area else None,
        "wage_from": posting.wage_from,
        "wage_to": posting.wage_to,
        "wage_type": posting.wage_type,
        "referral_deadline": posting.referral_deadline.isoformat(),
    }


def posting_match_json(match: PostingMatch, today: dt.date) -> dict[str, Any]:
    """A seeker who fits a posting."""
    seeker = match.seeker
    return {
        "seeker_id": seeker.pk,
        "score": round(match.score, 4),
        "reasons": list(match.reasons),
        "gaps": list(match.gaps),
        "card_number": seeker.card_number,
        "name": seeker.full_name,
        "age": seeker.age_on(today) if seeker.birth_date <= today else None,
        "area": seeker.area.name if seeker.area else None,
    }


def profile_json(profile: SeekerProfile, program_slug: str) -> dict[str, Any]:
    return {
        "seeker_id": profile.seeker_id,
        "program": program_slug,
        "wished_occupations": list(profile.wished_occupations),
        "wished_areas": sorted(a.code for a in profile.wished_areas.all()),
        "max_commute_minutes": profile.max_commute_minutes,
        "days_per_week": profile.days_per_week,
        "hours_per_day": profile.hours_per_day,
        "time_of_day": profile.time_of_day,
        "min_hourly_wage": profile.min_hourly_wage,
        "employment_types": list(profile.employment_types),
        "physical_limit": profile.physical_limit,
        "licences": profile.licences,
        "skills": profile.skills,
        "career_history": profile.career_history,
        "tags": list(profile.tags),
        "updated_at": profile.updated_at.isoformat(),
        "updated_by": profile.updated_by.get_username() if profile.updated_by else None,
    }
