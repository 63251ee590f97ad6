"""The case page's recommendations panel (registered with ``core.panels`` from
``MatchingConfig.ready()``: consultations, below matching, does not import it).

The seeker's top 5 postings with reasons and gaps and a link to the full list; when the
seeker has no matching profile, a sentence saying so and the link to the profile form.
Nothing for a user without the matching permission in the program (reception). The
case page has already checked the case is theirs to open and written its audit entry.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from secondcareer.matching.screens import (
    CHANGE_PERMISSION,
    VIEW_PERMISSION,
    area_name,
    percent,
    today,
    wage_text,
)
from secondcareer.matching.selectors import profile_for, seeker_matches
from secondcareer.people.access import has_program_perm

TOP = 5


def matching_case_panel(request: HttpRequest, case: Any) -> str:
    program = case.program
    if not has_program_perm(request.user, program, VIEW_PERMISSION):
        return ""
    seeker = case.seeker
    matches = seeker_matches(program=program, seeker=seeker, top=TOP, on=today())
    # Matches come only from a profile: ask for it only when there are none.
    has_profile = bool(matches) or profile_for(program, seeker) is not None
    return render_to_string(
        "matching/_case_panel.html",
        {
            "program": program,
            "seeker": seeker,
            "profile": has_profile,
            "rows": [
                (m, percent(m.score), {"wage": wage_text(m.posting), "area": area_name(m.posting)})
                for m in matches
            ],
            "may_change": has_program_perm(request.user, program, CHANGE_PERMISSION),
        },
        request=request,
    )


def matching_posting_panel(request: HttpRequest, posting: Any) -> str:
    """On a posting's page: the link to the seekers who fit it (for job developers and
    consultants who may see matches). No seeker is named here, so nothing is audited."""
    program = posting.program
    if not has_program_perm(request.user, program, VIEW_PERMISSION):
        return ""
    return render_to_string(
        "matching/_posting_panel.html", {"program": program, "posting": posting}, request=request
    )
