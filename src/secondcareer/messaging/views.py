"""Staff inbox for inquiries: every open one reachable page by page, the soonest deadline
first, with the open / overdue / due-today counts on top; the answer form."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from secondcareer.core.audit import audit_record_view
from secondcareer.core.errors import DomainError
from secondcareer.messaging.models import Inquiry
from secondcareer.messaging.selectors import inbox_counts, inbox_page, inquiry_asker
from secondcareer.messaging.services import inquiry_answer
from secondcareer.people.access import (
    has_program_perm,
    program_object_or_404,
    programs_with_perm,
)

PERM = "messaging.answer_inquiry"
SEEKER_PERM = "people.view_seeker"


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("回答"), widget=forms.Textarea(attrs={"rows": 6}), max_length=4000
    )
    personal = forms.BooleanField(
        label=_(
            "個人に関わる内容を含む（LINEでは送らず、本人確認後に読めるページのリンクを送ります）"
        ),
        required=False,
        initial=True,
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    programs = programs_with_perm(request.user, PERM)
    if not programs.exists():
        raise PermissionDenied
    show_all = request.GET.get("show") == "all"
    now = timezone.now()
    page = inbox_page(programs=programs, show_all=show_all, page=request.GET.get("page"))
    return render(
        request,
        "messaging/inbox.html",
        {
            "page": page,
            "inquiries": page.object_list,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
            "counts": inbox_counts(programs=programs, now=now),
            "now": now,
            "show": "all" if show_all else "open",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = program_object_or_404(
        request.user,
        Inquiry.objects.select_related("program", "seeker").filter(pk=pk),
        PERM,
    )
    form = AnswerForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            inquiry_answer(
                inquiry=inquiry,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                personal=form.cleaned_data["personal"],
            )
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("messaging:inbox")
    asker = inquiry_asker(inquiry)
    may_see_seeker = has_program_perm(request.user, inquiry.program_id, SEEKER_PERM)
    if may_see_seeker and asker.seeker is not None:
        audit_record_view(request, asker.seeker, program_slug=inquiry.program.slug)
    elif asker.record is not None:
        audit_record_view(request, asker.record, program_slug=inquiry.program.slug)
    return render(
        request,
        "messaging/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "asker": asker,
            "may_see_seeker": may_see_seeker,
            "form": form,
            "error": error,
            "now": timezone.now(),
        },
    )
