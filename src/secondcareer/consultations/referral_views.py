"""Referrals to public support bodies from the case page (Kobe Ⅲ-2): record one, and
later what came of it (POST only; each goes back to the case page with a message).

Access: ``consultations.add_supportreferral`` / ``change_supportreferral`` in the
program and the notes permission (consultants and managers; 403 for reception, job
developers and the municipality), and the case visible to the user (404 otherwise).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secondcareer.consultations.forms import ReferralForm, ReferralOutcomeForm
from secondcareer.consultations.models import SupportBody, SupportReferral
from secondcareer.consultations.selectors import referral_body_choices, support_bodies_for
from secondcareer.consultations.services import referral_create, referral_outcome_record
from secondcareer.consultations.views import (
    REFERRAL_CHANGE_PERMISSION,
    REFERRAL_PERMISSION,
    _content_case,
)
from secondcareer.core.errors import DomainError


def _back(program: str, pk: int) -> HttpResponse:
    return redirect(reverse("consultations:case_detail", args=[program, pk]) + "#referrals")


def _form_errors(request: HttpRequest, form: ReferralForm | ReferralOutcomeForm) -> None:
    for problems in form.errors.values():
        for problem in problems:
            messages.error(request, str(problem))


@login_required
@require_POST
def referral_add(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    prog, case = _content_case(request, program, pk, REFERRAL_PERMISSION)
    area_id = case.seeker.area_id
    near = support_bodies_for(prog.pk, area_id)
    form = ReferralForm(request.POST, bodies=referral_body_choices(prog.pk, area_id, near))
    if not form.is_valid():
        _form_errors(request, form)
        return _back(prog.slug, case.pk)
    body = SupportBody.objects.filter(program=prog, pk=form.cleaned_data["body"]).first()
    try:
        referral_create(
            case=case,
            body=body,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["referred_on"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(body)sへの紹介を記録しました。") % {"body": body.name if body else ""}
        )
    return _back(prog.slug, case.pk)


@login_required
@require_POST
def referral_outcome(request: HttpRequest, program: str, pk: int, referral_pk: int) -> HttpResponse:
    prog, case = _content_case(request, program, pk, REFERRAL_CHANGE_PERMISSION)
    referral = get_object_or_404(SupportReferral, pk=referral_pk, case=case)
    form = ReferralOutcomeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(prog.slug, case.pk)
    try:
        referral_outcome_record(
            referral=referral,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            on=form.cleaned_data["outcome_on"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("紹介の結果を記録しました。"))
    return _back(prog.slug, case.pk)


__all__ = ["referral_add", "referral_outcome"]
