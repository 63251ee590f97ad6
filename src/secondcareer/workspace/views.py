from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from secondcareer.people.access import (
    program_permissions,
    programs_of,
    roles_in_every_program,
)
from secondcareer.people.models import Role, User


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The staff home: the programs and roles of the signed-in user, and what they can
    open from here."""
    user = cast(User, request.user)  # login_required: never anonymous here
    roles = roles_in_every_program(user)  # one query for every program's roles
    programs = []
    for program in programs_of(user).order_by("slug"):
        held = roles.get(program.pk, frozenset())
        permissions = program_permissions(user, program)
        programs.append(
            {
                "program": program,
                "roles": [label for value, label in Role.choices if value in held],
                "can_view_seekers": "people.view_seeker" in permissions,
                "can_book": "booking.add_reservation" in permissions,
                "can_answer": "messaging.answer_inquiry" in permissions,
            }
        )
    return render(request, "workspace/home.html", {"programs": programs})
