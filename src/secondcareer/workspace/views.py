from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from secondcareer.core.audit import audit_records_listed
from secondcareer.people.models import User
from secondcareer.workspace.context_processors import staff_programs
from secondcareer.workspace.selectors import LIST_LIMIT, staff_home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The staff home: for each program the user works in, the day's work by role —
    today's consultations with a button to record each, inquiries by deadline, reviews
    due and overdue, seekers out of contact, employment checks due, unread chats — each
    item linking to the action that clears it."""
    user = cast(User, request.user)  # login_required: never anonymous here
    now = timezone.now()
    roles, programs = staff_programs(request)
    homes = staff_home(user, programs, roles, now=now)
    for home in homes:  # the home names seekers: one view entry per seeker shown
        audit_records_listed(
            request, home.seekers_shown(), program_slug=home.program.slug, note="home"
        )
    return render(
        request,
        "workspace/home.html",
        {
            "homes": homes,
            "now": now,
            "today": timezone.localtime(now).date(),
            "list_limit": LIST_LIMIT,
            "nav_section": "home",
        },
    )
