"""Who may see what, per program. Every view and API goes through these functions.

A permission only counts inside a program where the user holds a role that grants it
(``people.roles.ROLE_PERMISSIONS``; the role groups in the database mirror it). Django's global ``user.has_perm`` is deliberately not used for program
data: a receptionist in Kobe must not gain anything in Saitama because a group is
global.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Model, QuerySet
from django.http import Http404

from secondcareer.core.sql import model_columns
from secondcareer.people.models import Membership, Seeker
from secondcareer.people.roles import ROLE_PERMISSIONS
from secondcareer.programs.models import Program

_CACHE_ATTR = "_program_perm_cache"
_PROGRAMS_ATTR = "_program_by_slug"
_ROLES_ATTR = "_program_roles_cache"

M = TypeVar("M", bound=Model)


class ProgramNotFound(Http404):
    """A program named in a request that does not exist for the user (unknown, or
    they hold no role in it: the two look the same). The API says which field."""

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug


def program_roles(user: Any, program: Program | int) -> frozenset[str]:
    """The roles ``user`` holds in ``program`` (empty: the program does not exist for
    them). Kept on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    program_id = program if isinstance(program, int) else program.pk
    cache: dict[int, frozenset[str]] = user.__dict__.setdefault(_ROLES_ATTR, {})
    if program_id not in cache:
        roles = Membership.objects.filter(user=user, program_id=program_id).values_list(
            "role", flat=True
        )
        cache[program_id] = frozenset(roles)
    return cache[program_id]


def roles_in_every_program(user: Any) -> dict[int, frozenset[str]]:
    """The roles ``user`` holds, per program id, read in one query (a screen listing
    every program of the user would otherwise ask once per program). Fills the same
    per-request cache as :func:`program_roles`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    found: dict[int, set[str]] = {}
    for program_id, role in Membership.objects.filter(user=user).values_list("program_id", "role"):
        found.setdefault(program_id, set()).add(role)
    cache: dict[int, frozenset[str]] = user.__dict__.setdefault(_ROLES_ATTR, {})
    for program_id, roles in found.items():
        cache[program_id] = frozenset(roles)
    return {program_id: cache[program_id] for program_id in found}


def program_permissions(user: Any, program: Program | int) -> frozenset[str]:
    """The "app_label.codename" permissions ``user`` holds in ``program``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    program_id = program if isinstance(program, int) else program.pk
    cache: dict[int, frozenset[str]] = user.__dict__.setdefault(_CACHE_ATTR, {})
    if program_id not in cache:
        cache[program_id] = _perms_of_roles(list(program_roles(user, program_id)))
    return cache[program_id]


def _perms_of_roles(roles: list[str]) -> frozenset[str]:
    # ROLE_PERMISSIONS (code) is what a role grants; the role groups in the database
    # mirror it for Django's admin and are reset to it after every migrate, so reading
    # the code asks the database nothing and cannot disagree with the next deploy.
    return frozenset().union(*(ROLE_PERMISSIONS.get(role, ()) for role in roles))


def program_of(user: Any, slug: str) -> Program | None:
    """The program ``slug`` if ``user`` holds a role in it, else None (an unknown
    program and one without a role look the same). Loads the user's permissions there
    in the same go, so a following :func:`has_program_perm` asks nothing more. The
    answer is kept on the user object (one request), so asking again costs nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    known: dict[str, Program | None] = user.__dict__.get(_PROGRAMS_ATTR, {})
    if slug in known:
        return known[slug]
    # Hand-written (:mod:`secondcareer.core.sql`): every page and API call asks this,
    # and through the ORM it cost 0.59 ms of CPU against 0.085 ms (ADR 0011).
    select, roles_in_programs = _roles_and_programs()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {select} FROM {roles_in_programs} WHERE m.user_id = %s AND p.slug = %s",  # noqa: S608 - names from the models
            [user.pk, slug],
        )
        rows = cursor.fetchall()
    return remember_program_access(user, slug, rows)


def _roles_and_programs() -> tuple[str, str]:
    """The select list (the role, then the program's columns) and the join of
    memberships ``m`` with their programs ``p`` that both statements here read."""
    quote = connection.ops.quote_name
    return (
        f"m.role, {model_columns(Program, 'p').sql}",
        f"{quote(Membership._meta.db_table)} m "
        f"JOIN {quote(Program._meta.db_table)} p ON p.id = m.program_id",
    )


def program_access_sql(user_id: str, user_alias: str) -> tuple[str, str]:
    """For a statement that loads a user (``user_alias.user_id`` its key): the select
    list and the ``LEFT JOIN`` (one ``%s``: the program's slug) that bring the user's
    roles in that program with it, one row per role (one row of NULLs for none).
    Returns ``(select, join)``; pass each row's values after the user's to
    :func:`remember_program_access`. The API's token look-up uses it, so that a
    booking asks the database one statement fewer."""
    select, roles_in_programs = _roles_and_programs()
    join = f"LEFT JOIN ({roles_in_programs} AND p.slug = %s) ON m.user_id = {user_alias}.{user_id}"
    return select, join


def remember_program_access(user: Any, slug: str, rows: Sequence[Sequence[Any]]) -> Program | None:
    """Keep what :func:`program_access_sql` loaded on ``user``, so that
    :func:`program_of` and :func:`has_program_perm` ask nothing more. Returns the
    program, or None when the user holds no role in it (or it does not exist)."""
    rows = [row for row in rows if row[0] is not None]
    program = model_columns(Program, "p").load(rows[0][1:]) if rows else None
    user.__dict__.setdefault(_PROGRAMS_ATTR, {})[slug] = program
    if program is not None:
        roles = frozenset(row[0] for row in rows)
        user.__dict__.setdefault(_ROLES_ATTR, {})[program.pk] = roles
        user.__dict__.setdefault(_CACHE_ATTR, {})[program.pk] = _perms_of_roles(list(roles))
    return program


def program_or_404(user: Any, slug: str, perm: str | None = None) -> Program:
    """The program ``slug`` for a page or API call of ``user``: ``Http404`` when they hold
    no role in it (an unknown program and someone else's look the same, so slugs cannot
    be probed), ``PermissionDenied`` (403) when ``perm`` is given and none of their roles
    there grants it. The one place of the "404 without a role, 403 without the
    permission" rule for a program named in the request."""
    program = program_of(user, slug)
    if program is None:
        raise ProgramNotFound(slug)
    if perm is not None and not has_program_perm(user, program, perm):
        raise PermissionDenied
    return program


def program_object_or_404(user: Any, queryset: QuerySet[M], perm: str) -> M:
    """The record ``queryset`` selects (filter it to one: by pk, by token…) for ``user``:
    ``Http404`` when there is none or it belongs to a program where they hold no role,
    ``PermissionDenied`` (403) when their roles there do not grant ``perm``. The record
    must have a ``program_id``. Two queries (the record, the user's roles there), the
    second one kept for the request."""
    obj = queryset.first()
    program_id = getattr(obj, "program_id", None)
    if obj is None or program_id is None or not program_roles(user, program_id):
        raise Http404
    if not has_program_perm(user, program_id, perm):
        raise PermissionDenied
    return obj


def has_program_perm(user: Any, program: Program | int, perm: str) -> bool:
    return perm in program_permissions(user, program)


def require_program_perm(user: Any, program: Program | int, perm: str) -> None:
    if not has_program_perm(user, program, perm):
        raise PermissionDenied


def programs_with_perm(user: Any, perm: str) -> QuerySet[Program]:
    """Programs in which ``user`` holds ``perm`` through one of their roles."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Program.objects.none()
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if perm in perms]
    return Program.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def programs_of(user: Any) -> QuerySet[Program]:
    """Every program the user has any role in."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Program.objects.none()
    return Program.objects.filter(memberships__user=user).distinct()


def seekers_visible_to(user: Any) -> QuerySet[Seeker]:
    """Seekers of the programs where the user may view seeker records."""
    return Seeker.objects.filter(program__in=programs_with_perm(user, "people.view_seeker"))
