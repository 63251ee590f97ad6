"""Sharing a case with another consultant of the program, and ending the share, from
the case page (POST only; each goes back to the case page with a message).

Access: ``consultations.add_caseshare`` in the program (consultants and managers; 403
for reception, job developers and the municipality), the case visible to the user (404
otherwise), and — checked by the service — a manager or the case's own consultant
(403 with a Japanese message for a consultant the case is only shared with).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secondcareer.booking.selectors import program_consultants
from secondcareer.consultations.forms import ShareForm
from secondcareer.consultations.models import CaseShare
from secondcareer.consultations.selectors import active_shares
from secondcareer.consultations.services import case_share, case_share_revoke
from secondcareer.consultations.views import SHARE_PERMISSION, _case, _user_label, share_choices
from secondcareer.core.errors import DomainError
from secondcareer.people.access import program_or_404


def _back(program: str, pk: int) -> HttpResponse:
    return redirect(reverse("consultations:case_detail", args=[program, pk]) + "#sharing")


@login_required
@require_POST
def share_add(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    prog = program_or_404(request.user, program, SHARE_PERMISSION)
    case = _case(request, prog, pk)
    form = ShareForm(request.POST, consultants=share_choices(prog, case, active_shares(case)))
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
        return _back(prog.slug, case.pk)
    consultant = program_consultants(prog).filter(pk=form.cleaned_data["consultant"]).first()
    try:
        case_share(
            case=case,
            shared_with=consultant,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("このケースを%(name)sさんと共有しました。") % {"name": _user_label(consultant)},
        )
    return _back(prog.slug, case.pk)


@login_required
@require_POST
def share_revoke(request: HttpRequest, program: str, pk: int, share_pk: int) -> HttpResponse:
    prog = program_or_404(request.user, program, SHARE_PERMISSION)
    case = _case(request, prog, pk)
    share = get_object_or_404(
        CaseShare.objects.select_related("shared_with"), pk=share_pk, case=case
    )
    try:
        case_share_revoke(share=share, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)sさんとの共有を終了しました。") % {"name": _user_label(share.shared_with)},
        )
    return _back(prog.slug, case.pk)


__all__ = ["share_add", "share_revoke"]
