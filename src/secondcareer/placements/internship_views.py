"""The internship screens (docs/internships.md): the list with what each still lacks,
a new internship, the detail with the forms to record consents and insurance, the
plan PDF and the confirmation.

Access (``internship_access``): job developers and managers manage; a consultant reads
their caseload's internships (another's is a 404); reception and the municipality get
403; a program without a role is a 404. Every page that names a participant writes
audit entries (the list one per participant shown, the detail and the PDF one view).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secondcareer.core.api import record_id
from secondcareer.core.audit import audit_record_view, audit_records_listed
from secondcareer.core.errors import DomainError
from secondcareer.jobs.models import Employer
from secondcareer.people.access import has_program_perm, program_or_404
from secondcareer.people.cards import parse_card_number
from secondcareer.people.models import Seeker
from secondcareer.placements.internship_access import (
    ADD_INTERNSHIP,
    CHANGE_INTERNSHIP,
    VIEW_INTERNSHIP,
    visible_internships,
)
from secondcareer.placements.internship_forms import ConsentForm, InsuranceForm, InternshipForm
from secondcareer.placements.internship_models import (
    ConsentParty,
    Internship,
    InternshipConsent,
    InternshipStatus,
)
from secondcareer.placements.internship_pdf import internship_plan_pdf
from secondcareer.placements.internship_selectors import (
    internship_lacks,
    internship_plan_data,
    internships_for,
)
from secondcareer.placements.internships.services import (
    internship_confirm,
    internship_consent_record,
    internship_create,
    internship_insurance_record,
    internship_missing,
)
from secondcareer.programs.models import Program

PAGE_SIZE = 30
AUDIT_NOTE = "internships"


def _errors_onto(form: Any, error: DomainError) -> None:
    placed = False
    for name, problems in (error.field_errors or {}).items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def _internship(request: HttpRequest, program: Program, pk: int) -> Internship:
    qs = Internship.objects.select_related(
        "participant", "employer", "host_contact", "insurance", "confirmed_by"
    ).filter(pk=record_id(pk))
    internship = visible_internships(request.user, program.pk, qs).first()
    if internship is None:
        raise Http404
    internship.program = program
    return internship


@login_required
@require_GET
def internship_list(request: HttpRequest, program: str) -> HttpResponse:
    prog = program_or_404(request.user, program, VIEW_INTERNSHIP)
    status = request.GET.get("status", "")
    if status not in InternshipStatus.values:
        status = ""
    page = Paginator(internships_for(request.user, prog, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(item, internship_lacks(item)) for item in page]
    audit_records_listed(
        request,
        [item.participant for item, _lacks in rows],
        program_slug=prog.slug,
        note=AUDIT_NOTE,
    )
    return render(
        request,
        "placements/internship_list.html",
        {
            "program": prog,
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": InternshipStatus.choices,
            "may_add": has_program_perm(request.user, prog, ADD_INTERNSHIP),
        },
    )


def _employers(program: Program) -> list[tuple[int, str]]:
    return list(
        Employer.objects.filter(program=program).order_by("name", "id").values_list("id", "name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def internship_new(request: HttpRequest, program: str) -> HttpResponse:
    prog = program_or_404(request.user, program, ADD_INTERNSHIP)
    form = InternshipForm(request.POST or None, employers=_employers(prog))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        card = parse_card_number(data["card_number"])
        seeker = (
            Seeker.objects.filter(
                program=prog, card_number=card, anonymised_on__isnull=True
            ).first()
            if card
            else None
        )
        if seeker is None:
            form.add_error("card_number", _("この事業の利用者カード番号を入力してください。"))
        else:
            employer = Employer.objects.get(pk=data["employer"], program=prog)
            try:
                item = internship_create(
                    program=prog,
                    kind=data["kind"],
                    employer=employer,
                    participant=seeker,
                    start_on=data["start_on"],
                    end_on=data["end_on"],
                    by=request.user,
                    host_contact=employer.contacts.first(),
                    place=data["place"],
                    content=data["content"],
                    schedule=data["schedule"],
                    safety_notes=data["safety_notes"],
                    harassment_notes=data["harassment_notes"],
                    travel_paid_by_employer=data["travel_paid_by_employer"],
                )
            except DomainError as error:
                _errors_onto(form, error)
            else:
                messages.success(request, _("インターンシップを登録しました。"))
                return redirect("placements_internships:detail", prog.slug, item.pk)
    return render(
        request,
        "placements/internship_form.html",
        {"program": prog, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _detail_page(
    request: HttpRequest,
    program: Program,
    internship: Internship,
    *,
    consent_form: ConsentForm | None = None,
    insurance_form: InsuranceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    audit_record_view(request, internship.participant, program_slug=program.slug)
    may_change = has_program_perm(request.user, program, CHANGE_INTERNSHIP)
    consents = {
        c.party: c
        for c in InternshipConsent.objects.filter(internship=internship).select_related(
            "recorded_by"
        )
    }
    internship._prefetched_objects_cache = {"consents": list(consents.values())}  # type: ignore[attr-defined]
    open_ = internship.status == InternshipStatus.PLANNED
    insurance = getattr(internship, "insurance", None)
    if may_change and consent_form is None:
        consent_form = ConsentForm()
    if may_change and insurance_form is None:
        insurance_form = InsuranceForm(
            initial={
                "policy_name": insurance.policy_name,
                "insurer": insurance.insurer,
                "policy_number": insurance.policy_number,
                "coverage_start": insurance.coverage_start,
                "coverage_end": insurance.coverage_end,
            }
            if insurance
            else {"coverage_start": internship.start_on, "coverage_end": internship.end_on}
        )
    return render(
        request,
        "placements/internship_detail.html",
        {
            "program": program,
            "internship": internship,
            "participant_consent": consents.get(ConsentParty.PARTICIPANT),
            "employer_consent": consents.get(ConsentParty.EMPLOYER),
            "insurance": insurance,
            "missing": internship_missing(internship),
            "lacks": internship_lacks(internship),
            "may_change": may_change
            and internship.status in (InternshipStatus.PLANNED, InternshipStatus.CONFIRMED),
            "may_confirm": may_change and open_,
            "consent_form": consent_form,
            "insurance_form": insurance_form,
        },
        status=status,
    )


@login_required
@require_GET
def internship_detail(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    prog = program_or_404(request.user, program, VIEW_INTERNSHIP)
    return _detail_page(request, prog, _internship(request, prog, pk))


@login_required
@require_POST
def consent_record(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    prog = program_or_404(request.user, program, CHANGE_INTERNSHIP)
    internship = _internship(request, prog, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            internship_consent_record(internship=internship, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("同意を記録しました。"))
            return redirect("placements_internships:detail", prog.slug, internship.pk)
    return _detail_page(request, prog, internship, consent_form=form, status=400)


@login_required
@require_POST
def insurance_record(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    prog = program_or_404(request.user, program, CHANGE_INTERNSHIP)
    internship = _internship(request, prog, pk)
    form = InsuranceForm(request.POST)
    if form.is_valid():
        try:
            internship_insurance_record(internship=internship, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("保険の加入を記録しました。"))
            return redirect("placements_internships:detail", prog.slug, internship.pk)
    return _detail_page(request, prog, internship, insurance_form=form, status=400)


@login_required
@require_POST
def confirm(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    prog = program_or_404(request.user, program, CHANGE_INTERNSHIP)
    internship = _internship(request, prog, pk)
    try:
        internship_confirm(internship=internship, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("placements_internships:detail", prog.slug, internship.pk)
    messages.success(request, _("インターンシップを確定しました。"))
    return redirect("placements_internships:detail", prog.slug, internship.pk)


@login_required
@require_GET
def plan_pdf(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    """The インターンシップ実施計画書 as a PDF (it names the participant: one view entry)."""
    prog = program_or_404(request.user, program, VIEW_INTERNSHIP)
    internship = _internship(request, prog, pk)
    audit_record_view(request, internship.participant, program_slug=prog.slug)
    response = HttpResponse(
        internship_plan_pdf(internship_plan_data(internship)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="internship-plan-{internship.pk}.pdf"'
    return response
