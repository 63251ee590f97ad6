"""The matching screens (issue 13 points 6 and 7): a seeker's matching profile and
recommendations (pin, hide, undo), a posting's candidates, and the matching meeting's
agenda as a page, a print and an Excel file.

Thin views: the program and permission through ``people.access``, the seeker through
:func:`~secondcareer.matching.screens.seeker_or_404` (a consultant's caseload), then
one service or selector. Every page naming a seeker writes its audit entries: one view
entry for a seeker's page, one per seeker listed, one 出力 entry per seeker in the
Excel file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secondcareer.core.audit import audit_record_view, audit_records_listed, audit_records_shown
from secondcareer.core.errors import DomainError
from secondcareer.core.inputs import parse_iso_date
from secondcareer.core.models import AuditAction
from secondcareer.matching import agenda
from secondcareer.matching.forms import ProfileForm
from secondcareer.matching.screens import (
    CHANGE_PERMISSION,
    DECIDE_PERMISSION,
    PROFILE_PERMISSION,
    VIEW_PERMISSION,
    area_name,
    caseload_ids,
    percent,
    posting_or_404,
    seeker_or_404,
    today,
    wage_text,
)
from secondcareer.matching.selectors import posting_matches, profile_for, seeker_matches
from secondcareer.matching.services import match_decide, profile_save
from secondcareer.people.access import has_program_perm, program_or_404
from secondcareer.people.models import User

RECOMMENDATIONS = 20
CANDIDATES = 20
CHOICES = {"pin", "hide", "clear"}


# The service's names for what the form calls otherwise.
_FIELD_OF = {"min_hourly_wage": "min_wage"}


def _errors_onto(form: Any, error: DomainError) -> None:
    """A service's refusal, shown on the field it names (or above the form)."""
    placed = False
    for key, problems in (error.field_errors or {}).items():
        name = _FIELD_OF.get(key, key)
        for problem in problems:
            if name in form.fields:
                form.add_error(name, problem)
                placed = True
    if not placed:
        form.add_error(None, error.message)


def _posting_line(posting: Any) -> dict[str, str]:
    return {"wage": wage_text(posting), "area": area_name(posting)}


# --- one seeker -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, program: str, seeker_id: int) -> HttpResponse:
    """The seeker's matching profile, kept by the consultant with the seeker."""
    prog = program_or_404(request.user, program, PROFILE_PERMISSION)
    seeker = seeker_or_404(request, prog, seeker_id)
    may_change = has_program_perm(request.user, prog, CHANGE_PERMISSION)
    profile = profile_for(prog, seeker)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = ProfileForm(request.POST, program=prog)
        if form.is_valid():
            try:
                profile_save(
                    program=prog,
                    seeker=seeker,
                    by=cast(User, request.user),
                    **form.service_fields(),
                )
            except DomainError as error:
                _errors_onto(form, error)
            else:
                messages.success(request, _("希望条件を保存しました。"))
                return redirect("matching:recommendations", prog.slug, seeker.pk)
    else:
        form = ProfileForm(program=prog, profile=profile)
    if not may_change:  # shown, not editable
        for field in form.fields.values():
            field.disabled = True
    audit_record_view(request, seeker, program_slug=prog.slug)
    return render(
        request,
        "matching/profile_form.html",
        {
            "program": prog,
            "seeker": seeker,
            "profile": profile,
            "form": form,
            "may_change": may_change,
            "nav_section": "matching",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def recommendations(request: HttpRequest, program: str, seeker_id: int) -> HttpResponse:
    """The seeker's postings, best first, pinned first; ``?hidden=1`` shows the hidden
    ones too (last, marked)."""
    prog = program_or_404(request.user, program, VIEW_PERMISSION)
    seeker = seeker_or_404(request, prog, seeker_id)
    show_hidden = request.GET.get("hidden") == "1"
    matches = seeker_matches(
        program=prog, seeker=seeker, top=RECOMMENDATIONS, include_hidden=show_hidden, on=today()
    )
    # Matches come only from a profile: ask for it only when there are none.
    profile = bool(matches) or profile_for(prog, seeker) is not None
    audit_record_view(request, seeker, program_slug=prog.slug)
    return render(
        request,
        "matching/recommendations.html",
        {
            "program": prog,
            "seeker": seeker,
            "profile": profile,
            "rows": [(m, percent(m.score), _posting_line(m.posting)) for m in matches],
            "show_hidden": show_hidden,
            "may_decide": has_program_perm(request.user, prog, DECIDE_PERMISSION),
            "may_change": has_program_perm(request.user, prog, CHANGE_PERMISSION),
            "nav_section": "matching",
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, program: str, seeker_id: int, posting_id: int) -> HttpResponse:
    """Pin, hide or clear one posting for the seeker; back to the recommendations."""
    prog = program_or_404(request.user, program, DECIDE_PERMISSION)
    seeker = seeker_or_404(request, prog, seeker_id)
    posting = posting_or_404(prog, posting_id)
    choice = request.POST.get("choice", "")
    back = reverse("matching:recommendations", args=[prog.slug, seeker.pk])
    if request.POST.get("hidden") == "1":
        back += "?hidden=1"
    if choice not in CHOICES:
        messages.error(request, _("操作を選んでください（固定・非表示・元に戻す）。"))
        return redirect(back)
    match_decide(
        program=prog, seeker=seeker, posting=posting, choice=choice, by=cast(User, request.user)
    )
    done = {
        "pin": _("「%(job)s」を上に固定しました。"),
        "hide": _("「%(job)s」を非表示にしました。"),
        "clear": _("「%(job)s」を元に戻しました。"),
    }[choice]
    messages.success(request, done % {"job": posting.occupation})
    return redirect(back)


# --- one posting --------------------------------------------------------------------------


@login_required
@require_GET
def candidates(request: HttpRequest, program: str, posting_id: int) -> HttpResponse:
    """The seekers for a posting, best first (job developers, consultants, managers):
    a consultant sees the candidates of their own caseload."""
    prog = program_or_404(request.user, program, VIEW_PERMISSION)
    posting = posting_or_404(prog, posting_id)
    shown = posting_matches(
        program=prog,
        posting=posting,
        top=CANDIDATES,
        on=today(),
        among=caseload_ids(request.user, prog),
    )
    audit_records_listed(
        request, [m.seeker for m in shown], program_slug=prog.slug, note="matching"
    )
    return render(
        request,
        "matching/candidates.html",
        {
            "program": prog,
            "posting": posting,
            "posting_line": _posting_line(posting),
            "rows": [(m, percent(m.score)) for m in shown],
            "nav_section": "matching",
        },
    )


# --- the matching meeting --------------------------------------------------------------------


def _meeting_day(request: HttpRequest) -> tuple[dt.date, str]:
    """``?date=`` (default today), and the Japanese reason when it could not be read
    (then today)."""
    raw = request.GET.get("date", "").strip()
    if not raw:
        return today(), ""
    try:
        return parse_iso_date(raw, field="date"), ""
    except (ValueError, DomainError):
        return today(), _(
            "日付は 2026-12-03 のように、年-月-日で指定してください。今日の会議資料を表示しています。"
        )


@login_required
@require_GET
def meeting(request: HttpRequest, program: str) -> HttpResponse:
    """The agenda of the matching meeting on ``?date=`` (default today): seekers, then
    postings, each paged (``?spage=``, ``?ppage=``), printable."""
    prog = program_or_404(request.user, program, VIEW_PERMISSION)
    on, date_error = _meeting_day(request)
    seeker_page = Paginator(
        agenda.seekers_to_discuss(prog, request.user), agenda.PAGE_SIZE
    ).get_page(request.GET.get("spage"))
    posting_page = Paginator(agenda.postings_to_discuss(prog, on), agenda.PAGE_SIZE).get_page(
        request.GET.get("ppage")
    )
    seekers = agenda.seeker_items(prog, list(seeker_page), on)
    postings = agenda.posting_items(prog, list(posting_page), on, request.user)
    audit_records_listed(
        request, agenda.seekers_shown(seekers, postings), program_slug=prog.slug, note="meeting"
    )
    return render(
        request,
        "matching/meeting.html",
        {
            "program": prog,
            "on": on,
            "date_error": date_error,
            "seeker_page": seeker_page,
            "posting_page": posting_page,
            "seekers": [
                (item, [(m, percent(m.score), _posting_line(m.posting)) for m in item.matches])
                for item in seekers
            ],
            "postings": [
                (item, _posting_line(item.posting), [(m, percent(m.score)) for m in item.matches])
                for item in postings
            ],
            "nav_section": "matching",
        },
    )


@login_required
@require_GET
def meeting_xlsx(request: HttpRequest, program: str) -> HttpResponse:
    """The same agenda as an Excel file (up to ``agenda.EXPORT_LIMIT`` of each list);
    one 出力 audit entry per seeker in the file."""
    prog = program_or_404(request.user, program, VIEW_PERMISSION)
    on, date_error = _meeting_day(request)
    if date_error:
        raise DomainError(
            _("日付は 2026-12-03 のように、年-月-日で指定してください。"),
            field_errors={"date": [_("日付は 2026-12-03 のように、年-月-日で指定してください。")]},
        )
    seekers = agenda.seeker_items(
        prog, list(agenda.seekers_to_discuss(prog, request.user)[: agenda.EXPORT_LIMIT]), on
    )
    postings = agenda.posting_items(
        prog, list(agenda.postings_to_discuss(prog, on)[: agenda.EXPORT_LIMIT]), on, request.user
    )
    audit_records_shown(
        actor=request.user,
        objs=agenda.seekers_shown(seekers, postings),
        program_slug=prog.slug,
        note="matching meeting",
        action=AuditAction.EXPORT,
        request=request,
    )
    data = agenda.meeting_xlsx(prog, on, seekers, postings)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="matching-meeting-{prog.slug}-{on.isoformat()}.xlsx"'
    )
    return response
