"""The secure chat's pages (issue 12 item 4).

Staff (``/staff/chat/<program>/<thread>/``): consultants of the seeker's case and
managers read and write; reception, job developers and the municipality may not (403;
a thread outside a consultant's caseload is a 404). Each opening is audited and marks
the seeker's messages read.

Seeker (``/chat/<signed token>/``): the link from LINE's notice. The token carries the
thread and expires; the page then asks for proof that the reader is the seeker — LINE's
ID token, or a one-time code staff gave them — and remembers it in the session for
that thread only. An expired or altered link gets a page saying to ask for a new one.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from secondcareer.consultations.access import CASE_PERMISSION, case_or_404, sees_case_content
from secondcareer.consultations.models import Case
from secondcareer.core.audit import audit_record_view
from secondcareer.core.errors import DomainError
from secondcareer.core.sql import storable_id
from secondcareer.messaging.channels import chat_carriers
from secondcareer.messaging.chat_links import (
    ChatLinkError,
    ChatLinkExpired,
    chat_url,
    max_age,
    thread_id_from_token,
)
from secondcareer.messaging.models import ChatThread
from secondcareer.messaging.selectors import chat_messages, chat_thread_for_staff
from secondcareer.messaging.services import (
    chat_code_issue,
    chat_code_redeem,
    chat_mark_read,
    chat_message_post_seeker,
    chat_message_post_staff,
    chat_thread_open,
)
from secondcareer.people.access import program_or_404

SESSION_KEY = "chat_threads"


class ChatForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("メッセージ"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy("メッセージを入力してください。"),
            "max_length": gettext_lazy("メッセージは4000文字以内で入力してください。"),
        },
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("確認コード（6けた）"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": gettext_lazy("確認コードを入力してください。")},
    )


class LineProofForm(forms.Form):
    id_token = forms.CharField(widget=forms.HiddenInput, required=False)


def _staff_program(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    prog = program_or_404(request.user, slug, CASE_PERMISSION)
    if not sees_case_content(request.user, prog.pk):
        raise PermissionDenied
    return prog


@login_required
@require_POST
def staff_open_for_case(request: HttpRequest, program: str, case_pk: int) -> HttpResponse:
    """From the case page: the seeker's chat, made on first use."""
    prog = _staff_program(request, program)
    if not storable_id(case_pk):
        raise Http404
    case = get_object_or_404(Case.objects.select_related("program"), pk=case_pk, program=prog)
    case_or_404(request.user, case)
    thread = chat_thread_open(case=case, actor=request.user)
    return redirect("chat:thread", program=prog.slug, thread_id=thread.pk)


@login_required
@require_http_methods(["GET", "POST"])
def staff_thread(request: HttpRequest, program: str, thread_id: int) -> HttpResponse:
    prog = _staff_program(request, program)
    if not storable_id(thread_id):
        raise Http404
    thread = chat_thread_for_staff(request.user, prog, thread_id)
    form = ChatForm()
    code = None
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "code":
            code = chat_code_issue(thread=thread, actor=request.user)
        else:
            form = ChatForm(request.POST)
            if form.is_valid():
                try:
                    chat_message_post_staff(
                        thread=thread, user=request.user, body=form.cleaned_data["body"]
                    )
                except DomainError as error:
                    form.add_error("body", error.message)
                else:
                    messages.success(
                        request,
                        _(
                            "メッセージを送りました。LINEには新しいメッセージがあることだけを知らせます。"
                        ),
                    )
                    return redirect("chat:thread", program=prog.slug, thread_id=thread.pk)
            status = 422
    chat_mark_read(thread=thread, reader="staff")
    audit_record_view(request, thread.seeker, program_slug=prog.slug)
    return render(
        request,
        "messaging/chat_staff.html",
        {
            "program": prog,
            "thread": thread,
            "seeker": thread.seeker,
            "chat_messages": chat_messages(thread),
            "form": form,
            "code": code,
            "link": chat_url(thread.pk),
            "link_hours": int(max_age().total_seconds() // 3600),
            "nav_section": "cases",
        },
        status=status,
    )


def _link_gone(request: HttpRequest, *, expired: bool) -> HttpResponse:
    return render(
        request,
        "messaging/chat_link_gone.html",
        {"expired": expired},
        status=410 if expired else 404,
    )


def _granted(request: HttpRequest, thread: ChatThread) -> bool:
    return thread.pk in request.session.get(SESSION_KEY, [])


def _grant(request: HttpRequest, thread: ChatThread) -> None:
    granted = [pk for pk in request.session.get(SESSION_KEY, []) if pk != thread.pk]
    request.session.cycle_key()
    request.session[SESSION_KEY] = [*granted, thread.pk][-20:]


def _line_proves(thread: ChatThread, id_token: str) -> bool:
    if not id_token:
        return False
    for carrier in chat_carriers().values():
        if carrier.verified_seeker_id(thread.program, id_token) == thread.seeker_id:
            return True
    return False


@require_http_methods(["GET", "POST"])
def seeker_chat(request: HttpRequest, token: str) -> HttpResponse:
    try:
        thread_id = thread_id_from_token(token)
    except ChatLinkExpired:
        return _link_gone(request, expired=True)
    except ChatLinkError:
        return _link_gone(request, expired=False)
    thread = (
        ChatThread.objects.select_related("program").filter(pk=thread_id).first()
        if storable_id(thread_id)
        else None
    )
    if thread is None:
        return _link_gone(request, expired=False)
    program = thread.program
    action = request.POST.get("action", "") if request.method == "POST" else ""
    code_form = CodeForm(request.POST if action == "code" else None)
    line_form = LineProofForm(request.POST if action == "line" else None)
    form = ChatForm(request.POST if action == "send" else None)
    error = ""
    status = 200
    if action == "line" and line_form.is_valid():
        if _line_proves(thread, line_form.cleaned_data["id_token"]):
            _grant(request, thread)
            return redirect(request.path)
        error = _(
            "LINEでの本人確認ができませんでした。LINEのトーク画面からもう一度このページを"
            "開くか、担当者から確認コードを受け取って入力してください。"
        )
        status = 403
    elif action == "code" and code_form.is_valid():
        if chat_code_redeem(thread=thread, code=code_form.cleaned_data["code"]):
            _grant(request, thread)
            return redirect(request.path)
        code_form.add_error(
            "code",
            _(
                "確認コードが正しくないか、有効期限が切れています。"
                "担当者に新しいコードを発行してもらってください。"
            ),
        )
        status = 403
    elif action == "code":
        status = 422
    if not _granted(request, thread):
        if action == "send":
            error = _("本人確認が済んでいません。もう一度確認してからお送りください。")
            status = 403
        return render(
            request,
            "messaging/chat_verify.html",
            {"program": program, "line_form": line_form, "code_form": code_form, "error": error},
            status=status,
        )
    if action == "send":
        if form.is_valid():
            try:
                chat_message_post_seeker(thread=thread, body=form.cleaned_data["body"])
            except DomainError as exc:
                form.add_error("body", exc.message)
            else:
                return redirect(request.path)
        status = 422
    chat_mark_read(thread=thread, reader="seeker")
    return render(
        request,
        "messaging/chat_seeker.html",
        {
            "program": program,
            "chat_messages": chat_messages(thread),
            "form": form,
        },
        status=status,
    )
