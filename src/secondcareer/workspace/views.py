from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from secondcareer.people.access import program_permissions, programs_of
from secondcareer.people.models import Membership, User


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The staff home: the programs and roles of the signed-in user, and what they can
    open from here."""
    user = cast(User, request.user)  # login_required: never anonymous here
    programs = []
    for program in programs_of(user).order_by("slug"):
        roles = Membership.objects.filter(user=user, program=program)
        programs.append(
            {
                "program": program,
                "roles": [m.get_role_display() for m in roles],
                "can_view_seekers": "people.view_seeker" in program_permissions(user, program),
                "can_book": "booking.add_reservation" in program_permissions(user, program),
                "can_answer": "messaging.answer_inquiry" in program_permissions(user, program),
            }
        )
    return render(request, "workspace/home.html", {"programs": programs})
