"""Who may see what, per program. Every view and API goes through these functions.

A permission only counts inside a program where the user holds a role whose group
grants it. Django's global ``user.has_perm`` is deliberately not used for program
data: a receptionist in Kobe must not gain anything in Saitama because a group is
global.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from secondcareer.people.models import Membership, Seeker
from secondcareer.people.roles import ROLE_GROUP_NAMES
from secondcareer.programs.models import Program

_CACHE_ATTR = "_program_perm_cache"


def program_permissions(user: Any, program: Program | int) -> frozenset[str]:
    """The "app_label.codename" permissions ``user`` holds in ``program``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    program_id = program if isinstance(program, int) else program.pk
    cache: dict[int, frozenset[str]] = user.__dict__.setdefault(_CACHE_ATTR, {})
    if program_id not in cache:
        roles = Membership.objects.filter(user=user, program_id=program_id).values_list(
            "role", flat=True
        )
        group_names = [ROLE_GROUP_NAMES[r] for r in roles if r in ROLE_GROUP_NAMES]
        perms = Permission.objects.filter(group__name__in=group_names).values_list(
            "content_type__app_label", "codename"
        )
        cache[program_id] = frozenset(f"{app}.{code}" for app, code in perms)
    return cache[program_id]


def has_program_perm(user: Any, program: Program | int, perm: str) -> bool:
    return perm in program_permissions(user, program)


def require_program_perm(user: Any, program: Program | int, perm: str) -> None:
    if not has_program_perm(user, program, perm):
        raise PermissionDenied


def programs_with_perm(user: Any, perm: str) -> QuerySet[Program]:
    """Programs in which ``user`` holds ``perm`` through one of their roles."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Program.objects.none()
    app_label, codename = perm.split(".", 1)
    groups = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).values_list("group__name", flat=True)
    roles = [role for role, name in ROLE_GROUP_NAMES.items() if name in set(groups)]
    return Program.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def programs_of(user: Any) -> QuerySet[Program]:
    """Every program the user has any role in."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Program.objects.none()
    return Program.objects.filter(memberships__user=user).distinct()


def seekers_visible_to(user: Any) -> QuerySet[Seeker]:
    """Seekers of the programs where the user may view seeker records."""
    return Seeker.objects.filter(program__in=programs_with_perm(user, "people.view_seeker"))
