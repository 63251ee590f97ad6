"""The staff navigation bar on every staff page (``core/base.html`` draws it).

The bar is for the program the page is about (the URL's ``program`` slug, else
``?program=``, else the user's first program) and shows only what the user's roles there
may open. It is lazy: pages that draw no bar (the LINE pages, the sign-in) cost no query;
staff pages cost two (the user's programs and roles), cached for the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from secondcareer.people.access import program_permissions, programs_of, roles_in_every_program


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    section: str


def _url(name: str, *args: Any, query: str = "") -> str | None:
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:  # an app that is not installed in this deployment
        return None


@dataclass(frozen=True)
class StaffNav:
    program: Any
    entries: list[NavItem]
    others: list[Any]


def staff_programs(request: HttpRequest) -> tuple[dict[int, frozenset[str]], list[Any]]:
    """The user's roles per program and their programs by slug, read once per request
    (two queries) and shared by the view and the navigation bar."""
    cached = getattr(request, "_staff_programs", None)
    if cached is None:
        roles = roles_in_every_program(request.user)
        programs = [p for p in programs_of(request.user).order_by("slug") if p.pk in roles]
        cached = (roles, programs)
        request._staff_programs = cached  # type: ignore[attr-defined]
    return cached


def _items(request: HttpRequest) -> StaffNav:
    user = request.user
    _roles, programs = staff_programs(request)
    if not programs:
        return StaffNav(
            program=None,
            entries=[NavItem(_("ホーム"), reverse("workspace:home"), "home")],
            others=[],
        )
    match = getattr(request, "resolver_match", None)
    slug = (match.kwargs.get("program") if match else None) or ""
    wanted = request.GET.get("program", "")
    current = next(
        (p for p in programs if p.slug == slug or str(p.pk) == wanted or p.slug == wanted),
        programs[0],
    )
    perms = program_permissions(user, current)
    candidates: list[tuple[str, str, str | None, str]] = [
        ("home", _("ホーム"), _url("workspace:home"), ""),
        (
            "cases",
            _("支援ケース"),
            _url("consultations:case_list", current.slug),
            "consultations.view_case",
        ),
        (
            "seekers",
            _("利用者"),
            _url("people:seeker_list", query=f"?program={current.pk}"),
            "people.view_seeker",
        ),
        (
            "calendar",
            _("予約カレンダー"),
            _url("booking_staff:calendar", current.slug),
            "booking.add_reservation",
        ),
        (
            "phone",
            _("電話予約"),
            _url("booking_staff:phone_find", current.slug),
            "booking.add_reservation",
        ),
        (
            "calls",
            _("電話相談の発信リスト"),
            _url("booking_staff:call_list", current.slug),
            "booking.add_reservation",
        ),
        (
            "followup",
            _("連絡が途絶えた利用者"),
            # Only where the preset sets the months (Saitama; Kobe has no such follow-up).
            _url("consultations_followup:queue", current.slug)
            if current.inactivity_followup_months
            else None,
            "consultations.view_inactivitycheck",
        ),
        (
            "postings",
            _("求人検索"),
            _url("jobs:posting_list", current.slug),
            "jobs.view_jobposting",
        ),
        (
            "employers",
            _("事業所"),
            _url("jobs:employer_list", current.slug),
            "jobs.view_employer",
        ),
        (
            "matching",
            _("マッチング会議"),
            _url("matching:meeting", current.slug),
            "matching.view_matches",
        ),
        ("inquiries", _("問い合わせ"), _url("messaging:inbox"), "messaging.answer_inquiry"),
    ]
    items = [
        NavItem(label=label, url=url, section=section)
        for section, label, url, perm in candidates
        if url is not None and (not perm or perm in perms)
    ]
    return StaffNav(program=current, entries=items, others=[p for p in programs if p != current])


def staff_nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/staff/"):
        return {}
    return {"staff_nav": SimpleLazyObject(lambda: _items(request))}
