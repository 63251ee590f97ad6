"""The platform's own pages opened from LINE (LIFF-style): registration, linking with
reception's code, and reading a personal answer. Personal data is typed and shown
here, never in the chat."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from secondcareer.core.audit import audit_log
from secondcareer.core.errors import DomainError
from secondcareer.core.inputs import validate_date_in_range
from secondcareer.core.models import AuditAction
from secondcareer.messaging.line.linking import line_user_link, link_with_code, verified_line_user
from secondcareer.messaging.models import AnswerDelivery, Inquiry
from secondcareer.people.models import HeardFrom
from secondcareer.people.services import ConsentInput, seeker_register
from secondcareer.programs.models import Area, Program

YEARS = range(timezone.localdate().year - 100, timezone.localdate().year - 14)


class RegisterForm(forms.Form):
    id_token = forms.CharField(widget=forms.HiddenInput, required=False)
    family_name = forms.CharField(label="姓", max_length=50)
    given_name = forms.CharField(label="名", max_length=50)
    family_name_kana = forms.CharField(label="姓（フリガナ）", max_length=80)
    given_name_kana = forms.CharField(label="名（フリガナ）", max_length=80)
    birth_date = forms.DateField(
        label="生年月日",
        widget=forms.SelectDateWidget(years=YEARS),
        help_text="例: 1958年4月2日",
        validators=[validate_date_in_range],
    )
    phone = forms.CharField(label="電話番号", max_length=20, help_text="例: 090-1234-5678")
    area = forms.ModelChoiceField(
        label="お住まいの地域", queryset=Area.objects.none(), required=False
    )
    heard_from = forms.ChoiceField(
        label="この窓口を何で知りましたか",
        choices=[("", "選んでください"), *HeardFrom.choices],
        required=False,
    )
    privacy = forms.BooleanField(label="個人情報の取扱いに同意します")
    line_notices = forms.BooleanField(
        label="LINEでお知らせ（セミナー・求人など）を受け取る", required=False
    )

    def __init__(self, *args: object, program: Program, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["area"].queryset = Area.objects.filter(program=program)  # type: ignore[attr-defined]


class LinkForm(forms.Form):
    id_token = forms.CharField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(label="連携コード（8けた）", max_length=20)
    birth_date = forms.DateField(
        label="生年月日",
        widget=forms.SelectDateWidget(years=YEARS),
        validators=[validate_date_in_range],
    )


class VerifyForm(forms.Form):
    id_token = forms.CharField(widget=forms.HiddenInput, required=False)


def _program(slug: str) -> Program:
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise Http404
    return program


def _apply_errors(form: forms.Form, error: DomainError) -> None:
    for field, messages in error.field_errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    if not error.field_errors:
        form.add_error(None, error.message)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = _program(program_slug)
    form = RegisterForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            line_user = verified_line_user(program=program, id_token=data["id_token"])
            if line_user.seeker_id:
                return render(
                    request, "line/registered.html", {"program": program, "already": True}
                )
            consents = [ConsentInput(kind="privacy", version="1", method="line_form")]
            if data["line_notices"]:
                consents.append(ConsentInput(kind="line_notices", version="1", method="line_form"))
            seeker = seeker_register(
                program=program,
                actor=None,
                channel="line",
                family_name=data["family_name"],
                given_name=data["given_name"],
                family_name_kana=data["family_name_kana"],
                given_name_kana=data["given_name_kana"],
                birth_date=data["birth_date"],
                phone=data["phone"],
                area=data["area"],
                heard_from=data["heard_from"],
                consents=consents,
            )
            line_user_link(line_user=line_user, seeker=seeker)
        except DomainError as error:
            _apply_errors(form, error)
        else:
            return render(request, "line/registered.html", {"program": program, "already": False})
    return render(request, "line/register.html", {"program": program, "form": form})


@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = _program(program_slug)
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            line_user = verified_line_user(program=program, id_token=form.cleaned_data["id_token"])
            link_with_code(
                line_user=line_user,
                code=form.cleaned_data["code"],
                birth_date=form.cleaned_data["birth_date"],
            )
        except DomainError as error:
            _apply_errors(form, error)
        else:
            return render(request, "line/registered.html", {"program": program, "already": False})
    return render(request, "line/link.html", {"program": program, "form": form})


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, program_slug: str, token: str) -> HttpResponse:
    program = _program(program_slug)
    inquiry = (
        Inquiry.objects.filter(program=program, answer_token=token, delivery=AnswerDelivery.LINK)
        .select_related("line_user")
        .first()
    )
    if inquiry is None or inquiry.line_user is None:
        raise Http404
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            line_user = verified_line_user(program=program, id_token=form.cleaned_data["id_token"])
        except DomainError as error:
            _apply_errors(form, error)
        else:
            if line_user.pk != inquiry.line_user_id:
                raise Http404  # someone else's answer: it does not exist for them
            if inquiry.answer_read_at is None:
                Inquiry.objects.filter(pk=inquiry.pk).update(answer_read_at=timezone.now())
            audit_log(
                actor=None,
                action=AuditAction.VIEW,
                obj=inquiry,
                program_slug=program.slug,
                note="answer read by the asker",
            )
            return render(request, "line/answer.html", {"program": program, "inquiry": inquiry})
    return render(request, "line/verify.html", {"program": program, "form": form})
