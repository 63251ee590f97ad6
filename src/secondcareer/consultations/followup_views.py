"""The inactivity follow-up screens (Saitama 2(2)ケ): the queue of seekers out of
contact, the form that logs a call or postcard with the employment status found, and
the postcard label sheet.

Who (:func:`secondcareer.consultations.access.followup_scope`): a consultant follows up
their own caseload; managers and reception (who make most of the calls) the whole
program. Reception sees name, card number, phone, address and the result of the last
check, never the notes of a check (``consultations.view_case_notes``). Job developers
and the municipality get 403. Every opening of the queue writes one view entry per
seeker shown; the form one per opening; the label sheet one 出力 entry per label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from secondcareer.consultations.access import (
    CHECK_ADD_PERMISSION,
    CHECK_VIEW_PERMISSION,
    followup_scope,
    may_follow_up,
    sees_case_content,
    sees_whole_program,
)
from secondcareer.consultations.forms import InactivityCheckForm
from secondcareer.consultations.models import CheckMethod, EmploymentStatus
from secondcareer.consultations.selectors import (
    RECHECK_DAYS,
    followup_queue,
    is_check_due,
    seeker_checks,
    with_last_contact,
)
from secondcareer.consultations.services import inactivity_check_record
from secondcareer.core.audit import audit_record_view, audit_records_listed, audit_records_shown
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditAction
from secondcareer.core.pdf import AddressLabel, address_labels
from secondcareer.people.access import has_program_perm, program_or_404
from secondcareer.people.models import Seeker
from secondcareer.programs.models import Program

PAGE_SIZE = 50
LABEL_LIMIT = 2000  # one sheet run; the `inactive --format labels` command has no limit


def _today() -> Any:
    return timezone.localtime(timezone.now(), TOKYO).date()


@dataclass(frozen=True)
class QueueRow:
    seeker: Seeker
    last_contact: Any
    has_address: bool
    last_check_on: Any
    last_check: str
    due: bool


def _configured(request: HttpRequest, prog: Program) -> HttpResponse | None:
    if prog.inactivity_followup_months:
        return None
    return render(
        request,
        "consultations/followup_queue.html",
        {"program": prog, "configured": False, "nav_section": "followup"},
    )


def _check_label(method: str | None, result: str | None) -> str:
    if not method or not result:
        return ""
    methods, results = dict(CheckMethod.choices), dict(EmploymentStatus.choices)
    return _("%(result)s（%(method)s）") % {
        "result": results.get(result, result),
        "method": methods.get(method, method),
    }


@login_required
@require_GET
def queue(request: HttpRequest, program: str) -> HttpResponse:
    """The seekers out of contact the user follows up, oldest contact first; ``?due=1``
    only those whose employment status is still to be checked."""
    prog = program_or_404(request.user, program, CHECK_VIEW_PERMISSION)
    unconfigured = _configured(request, prog)
    if unconfigured is not None:
        return unconfigured
    today = _today()
    only_due = request.GET.get("due") == "1"
    rows = followup_queue(
        prog, today, seekers=followup_scope(request.user, prog.pk), only_due=only_due
    )
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    lines = [
        QueueRow(
            seeker=s,
            last_contact=s.last_contact_at.astimezone(TOKYO).date(),
            has_address=bool(s.address.strip()),
            last_check_on=s.last_check_on,
            last_check=_check_label(s.last_check_method, s.last_check_result),
            due=is_check_due(s, today),
        )
        for s in page
    ]
    audit_records_listed(
        request, [line.seeker for line in lines], program_slug=prog.slug, note="followup"
    )
    return render(
        request,
        "consultations/followup_queue.html",
        {
            "program": prog,
            "configured": True,
            "page": page,
            "lines": lines,
            "only_due": only_due,
            "months": prog.inactivity_followup_months,
            "recheck_days": RECHECK_DAYS,
            "whole_program": sees_whole_program(request.user, prog.pk),
            "may_check": has_program_perm(request.user, prog, CHECK_ADD_PERMISSION),
            "nav_section": "followup",
        },
    )


def _seeker(request: HttpRequest, prog: Program, pk: int) -> Seeker:
    seeker = get_object_or_404(Seeker, pk=pk, program=prog)
    if not may_follow_up(request.user, prog.pk, seeker.pk):
        raise Http404  # another consultant's caseload does not exist for them
    return seeker


def _errors_onto(form: InactivityCheckForm, error: DomainError) -> None:
    placed = False
    for name, problems in (error.field_errors or {}).items():
        for problem in problems:
            if name in form.fields:
                form.add_error(name, problem)
                placed = True
    if not placed:
        form.add_error(None, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, program: str, seeker: int) -> HttpResponse:
    """Log a call or postcard to one seeker, with what it found."""
    prog = program_or_404(request.user, program, CHECK_ADD_PERMISSION)
    unconfigured = _configured(request, prog)
    if unconfigured is not None:
        return unconfigured
    person = _seeker(request, prog, seeker)
    if request.method == "POST":
        form = InactivityCheckForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = inactivity_check_record(
                    program=prog,
                    seeker=person,
                    actor=request.user,
                    method=data["method"],
                    result=data["result"],
                    done_on=data["done_on"],
                    employer_note=data["employer_note"],
                    next_action=data["next_action"],
                )
            except DomainError as error:
                _errors_onto(form, error)
            else:
                if done.reached:
                    messages.success(
                        request,
                        _("%(name)sさんと連絡がつき、「%(result)s」と記録しました。")
                        % {"name": person.full_name, "result": done.get_result_display()},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "%(name)sさんへの%(method)sを記録しました"
                            "（連絡がつくまで一覧に残ります）。"
                        )
                        % {"name": person.full_name, "method": done.get_method_display()},
                    )
                return redirect("consultations_followup:queue", prog.slug)
    else:
        default = CheckMethod.PHONE if person.phone.strip() else CheckMethod.POSTCARD
        form = InactivityCheckForm(initial={"method": default, "done_on": _today()})
    facts = with_last_contact(Seeker.objects.filter(pk=person.pk)).values_list(
        "last_contact_at", flat=True
    )
    last = facts.first()
    audit_record_view(request, person, program_slug=prog.slug)
    return render(
        request,
        "consultations/followup_check.html",
        {
            "program": prog,
            "seeker": person,
            "form": form,
            "last_contact": last.astimezone(TOKYO).date() if last and last.year > 1900 else None,
            "checks": list(seeker_checks(prog, person)[:20]),
            "content": sees_case_content(request.user, prog.pk),
            "nav_section": "followup",
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def labels(request: HttpRequest, program: str) -> HttpResponse:
    """An A4 sheet of postcard labels for the seekers of the queue who get a postcard:
    those with no phone number on record, and those whose last call did not get
    through; each with an address. One 出力 audit entry per label."""
    prog = program_or_404(request.user, program, CHECK_ADD_PERMISSION)
    unconfigured = _configured(request, prog)
    if unconfigured is not None:
        return unconfigured
    rows = followup_queue(prog, _today(), seekers=followup_scope(request.user, prog.pk))
    wanted = [
        s
        for s in rows[:LABEL_LIMIT]
        if s.address.strip()
        and (
            not s.phone.strip()
            or (
                s.last_check_method == CheckMethod.PHONE
                and s.last_check_result == EmploymentStatus.UNREACHABLE
            )
        )
    ]
    if not wanted:
        messages.info(
            request, _("はがきを送る相手（住所があり、電話がない・つながらない人）はいません。")
        )
        return redirect("consultations_followup:queue", prog.slug)
    audit_records_shown(
        actor=request.user,
        objs=wanted,
        program_slug=prog.slug,
        note="followup labels",
        action=AuditAction.EXPORT,
        request=request,
    )
    pdf = address_labels(
        [AddressLabel(s.postal_code, s.address, s.full_name) for s in wanted],
        title=_("利用状況確認はがき 宛名ラベル"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="followup-labels-{prog.slug}.pdf"'
    return response


__all__ = ["check", "labels", "queue"]
