"""The jobs screens (``/staff/jobs/<program>/``): employers (search, one employer with
its contacts, postings and development log, create and edit) and postings (search with
Japanese free text, one posting, create and edit the centre's own, close).

Access (:mod:`secondcareer.people.access`): a program where the user holds no role is a
404; a role without the permission a 403. Job developers and managers keep employers,
contacts, the log and postings; consultants read employers and postings; reception reads
postings; the municipality none. No page here shows a seeker, so none is audited; the
contacts at employers are people, so nothing here logs them.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secondcareer.core.api import record_id
from secondcareer.core.errors import DomainError
from secondcareer.core.panels import posting_panels
from secondcareer.jobs.display import employer_facts, fiscal_year_text, posting_rows, wage_text
from secondcareer.jobs.forms import (
    ActivityForm,
    ContactForm,
    EmployerForm,
    EmployerSearchForm,
    PostingForm,
    PostingSearchForm,
)
from secondcareer.jobs.models import (
    DevelopmentActivity,
    Employer,
    EmployerContact,
    JobPosting,
    PostingSource,
)
from secondcareer.jobs.selectors import (
    PostingFilters,
    employer_search,
    employment_types,
    posting_is_open,
    posting_search,
)
from secondcareer.jobs.services import (
    development_activity_record,
    employer_contact_add,
    employer_contact_update,
    employer_create,
    employer_update,
    posting_close,
    posting_create,
    posting_update,
)
from secondcareer.people.access import has_program_perm, program_or_404
from secondcareer.people.models import Membership, Role, User
from secondcareer.programs.models import Area, Program

VIEW_EMPLOYER = "jobs.view_employer"
ADD_EMPLOYER = "jobs.add_employer"
CHANGE_EMPLOYER = "jobs.change_employer"
VIEW_CONTACT = "jobs.view_employercontact"
ADD_CONTACT = "jobs.add_employercontact"
CHANGE_CONTACT = "jobs.change_employercontact"
VIEW_ACTIVITY = "jobs.view_developmentactivity"
ADD_ACTIVITY = "jobs.add_developmentactivity"
VIEW_POSTING = "jobs.view_jobposting"
ADD_POSTING = "jobs.add_jobposting"
CHANGE_POSTING = "jobs.change_jobposting"
PAGE_SIZE = 30
DETAIL_ROWS = 100  # postings and activities shown on an employer's page


def _errors_onto(form: Any, error: DomainError) -> None:
    """A service's refusal, shown on the field it names (or above the form)."""
    placed = False
    for name, problems in (error.field_errors or {}).items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def _areas(program: Program) -> list[tuple[str, str]]:
    return list(Area.objects.filter(program=program).order_by("id").values_list("code", "name"))


def _page(request: HttpRequest, rows: QuerySet[Any]) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _shown(postings: Iterable[Any], today: dt.date) -> None:
    """What a list shows of each posting besides its fields: open or not, the wage."""
    for posting in postings:
        posting.is_open = posting_is_open(posting, today)
        posting.wage = wage_text(posting.wage_type, posting.wage_from, posting.wage_to)


def _employer(program: Program, pk: int) -> Employer:
    return get_object_or_404(
        Employer.objects.select_related("area"), pk=record_id(pk), program=program
    )


def _posting(program: Program, pk: int) -> JobPosting:
    return get_object_or_404(
        JobPosting.objects.select_related("employer", "workplace_area"),
        pk=record_id(pk),
        program=program,
    )


# --- employers ------------------------------------------------------------------------------


@login_required
@require_GET
def employer_list(request: HttpRequest, program: str) -> HttpResponse:
    """The program's employers, newest first, searched by name or furigana (any width
    and kana), 法人番号, area and industry, with the fiscal year each was newly developed."""
    prog = program_or_404(request.user, program, VIEW_EMPLOYER)
    form = EmployerSearchForm(request.GET or None, areas=_areas(prog))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    employers = employer_search(
        prog,
        q=data.get("q", ""),
        corporate_number=data.get("corporate_number", ""),
        area=data.get("area", ""),
        industry=data.get("industry", ""),
    )
    page = _page(request, employers)
    for employer in page:
        employer.developed_in = fiscal_year_text(employer.first_activity)
    return render(
        request,
        "jobs/employer_list.html",
        {
            "program": prog,
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "may_add": has_program_perm(request.user, prog, ADD_EMPLOYER),
            "nav_section": "employers",
        },
    )


def _developers(program: Program, also: Any) -> list[tuple[int, str]]:
    members = (
        Membership.objects.filter(program=program, role__in=[Role.JOB_DEVELOPER, Role.MANAGER])
        .select_related("user")
        .order_by("user__username")
    )
    people = {m.user.pk: m.user for m in members if m.user.is_active}
    people.setdefault(also.pk, also)
    return [(u.pk, str(u.get_full_name() or u.get_username())) for u in people.values()]


def _employer_page(
    request: HttpRequest,
    prog: Program,
    employer: Employer,
    activity_form: ActivityForm | None = None,
    contact_form: ContactForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    sees_contacts = has_program_perm(user, prog, VIEW_CONTACT)
    sees_log = has_program_perm(user, prog, VIEW_ACTIVITY)
    may_log = has_program_perm(user, prog, ADD_ACTIVITY)
    today = timezone.localdate()
    postings = list(
        JobPosting.objects.filter(employer=employer)
        .select_related("workplace_area")
        .order_by("-referral_deadline", "-id")[:DETAIL_ROWS]
    )
    _shown(postings, today)
    activities = (
        list(
            DevelopmentActivity.objects.filter(employer=employer)
            .select_related("by")
            .order_by("-on", "-id")[:DETAIL_ROWS]
        )
        if sees_log
        else []
    )
    first = (
        DevelopmentActivity.objects.filter(employer=employer).order_by("on").values("on").first()
    )
    if may_log and activity_form is None:
        activity_form = ActivityForm(
            staff=_developers(prog, user), initial={"on": today, "by": user.pk}
        )
    may_contact = has_program_perm(user, prog, ADD_CONTACT)
    if may_contact and contact_form is None:
        contact_form = ContactForm(prefix="contact")
    return render(
        request,
        "jobs/employer_detail.html",
        {
            "program": prog,
            "employer": employer,
            "facts": employer_facts(employer),
            "developed_in": fiscal_year_text(first["on"] if first else None),
            "contacts": list(employer.contacts.order_by("id")) if sees_contacts else None,
            "may_edit_contacts": has_program_perm(user, prog, CHANGE_CONTACT),
            "contact_form": contact_form if may_contact else None,
            "postings": postings,
            "activities": activities if sees_log else None,
            "activity_form": activity_form if may_log else None,
            "may_edit": has_program_perm(user, prog, CHANGE_EMPLOYER),
            "may_add_posting": has_program_perm(user, prog, ADD_POSTING),
            "nav_section": "employers",
        },
        status=status,
    )


@login_required
@require_GET
def employer_detail(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    prog = program_or_404(request.user, program, VIEW_EMPLOYER)
    return _employer_page(request, prog, _employer(prog, pk))


@login_required
@require_POST
def activity_add(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    """Record one contact with the employer (visit, call, mail, fair)."""
    prog = program_or_404(request.user, program, ADD_ACTIVITY)
    employer = _employer(prog, pk)
    form = ActivityForm(request.POST, staff=_developers(prog, request.user))
    if form.is_valid():
        data = form.cleaned_data
        # One of the form's choices: the program's job developers and managers.
        by = User.objects.filter(pk=data["by"], is_active=True).first()
        try:
            development_activity_record(
                employer=employer,
                kind=data["kind"],
                on=data["on"],
                by=by,
                appeal=data["appeal"],
                outcome=data["outcome"],
            )
        except DomainError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("求人開拓の記録を追加しました。"))
            return redirect("jobs:employer_detail", prog.slug, employer.pk)
    return _employer_page(request, prog, employer, activity_form=form, status=400)


@login_required
@require_POST
def contact_add(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    prog = program_or_404(request.user, program, ADD_CONTACT)
    employer = _employer(prog, pk)
    form = ContactForm(request.POST, prefix="contact")
    if form.is_valid():
        try:
            employer_contact_add(employer=employer, **form.cleaned_data)
        except DomainError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("担当者を追加しました。"))
            return redirect("jobs:employer_detail", prog.slug, employer.pk)
    return _employer_page(request, prog, employer, contact_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, program: str, pk: int, contact_pk: int) -> HttpResponse:
    prog = program_or_404(request.user, program, CHANGE_CONTACT)
    employer = _employer(prog, pk)
    contact = get_object_or_404(EmployerContact, pk=record_id(contact_pk), employer=employer)
    form = ContactForm(request.POST or None, instance=copy.copy(contact))
    if request.method == "POST" and form.is_valid():
        try:
            employer_contact_update(contact=contact, **form.cleaned_data)
        except DomainError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("担当者を変更しました。"))
            return redirect("jobs:employer_detail", prog.slug, employer.pk)
    return render(
        request,
        "jobs/contact_form.html",
        {"program": prog, "employer": employer, "form": form, "nav_section": "employers"},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def employer_edit(request: HttpRequest, program: str, pk: int | None = None) -> HttpResponse:
    """Register an employer (without ``pk``) or change one."""
    prog = program_or_404(request.user, program, CHANGE_EMPLOYER if pk else ADD_EMPLOYER)
    employer = _employer(prog, pk) if pk is not None else None
    form = EmployerForm(
        request.POST or None,
        program=prog,
        instance=copy.copy(employer) if employer else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if employer is None:
                data = dict(form.cleaned_data)
                employer = employer_create(program=prog, name=data.pop("name"), **data)
                messages.success(request, _("事業所を登録しました。"))
            else:
                employer_update(employer=employer, **form.cleaned_data)
                messages.success(request, _("事業所の情報を変更しました。"))
        except DomainError as error:
            _errors_onto(form, error)
        else:
            return redirect("jobs:employer_detail", prog.slug, employer.pk)
    return render(
        request,
        "jobs/employer_form.html",
        {"program": prog, "employer": employer, "form": form, "nav_section": "employers"},
        status=400 if form.errors else 200,
    )


# --- postings -------------------------------------------------------------------------------


@login_required
@require_GET
def posting_list(request: HttpRequest, program: str) -> HttpResponse:
    """The posting search: filters and Japanese free text, newest first, paged."""
    prog = program_or_404(request.user, program, VIEW_POSTING)
    form = PostingSearchForm(
        request.GET or None, areas=_areas(prog), employment_types=employment_types(prog)
    )
    valid = not form.is_bound or form.is_valid()
    data = form.cleaned_data if form.is_bound and valid else {}
    employer_param = request.GET.get("employer", "")
    employer_id = (
        int(employer_param) if employer_param.isdigit() and len(employer_param) < 19 else None
    )
    employer = (
        Employer.objects.filter(program=prog, pk=employer_id).first() if employer_id else None
    )
    filters = PostingFilters(
        q=data.get("q", ""),
        area=data.get("area", ""),
        occupation=data.get("occupation", ""),
        employment_type=data.get("employment_type", ""),
        wage_type=data.get("wage_type", ""),
        wage_min=data.get("wage_min"),
        days_max=data.get("days_max"),
        source=data.get("source", ""),
        state=data.get("state") or "open",
        employer_id=employer.pk if employer else None,
    )
    today = timezone.localdate()
    page = _page(request, posting_search(prog, filters, today)) if valid else None
    _shown(page or [], today)
    return render(
        request,
        "jobs/posting_list.html",
        {
            "program": prog,
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "employer": employer,
            "may_add": has_program_perm(request.user, prog, ADD_POSTING),
            "nav_section": "postings",
        },
        status=200 if valid else 400,
    )


@login_required
@require_GET
def posting_detail(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    prog = program_or_404(request.user, program, VIEW_POSTING)
    posting = _posting(prog, pk)
    may_change = has_program_perm(request.user, prog, CHANGE_POSTING)
    return render(
        request,
        "jobs/posting_detail.html",
        {
            "program": prog,
            "posting": posting,
            "rows": posting_rows(posting),
            "is_open": posting_is_open(posting, timezone.localdate()),
            "may_edit": may_change and posting.source == PostingSource.OWN,
            "may_close": may_change,
            "sees_employer": has_program_perm(request.user, prog, VIEW_EMPLOYER),
            "nav_section": "postings",
            # what apps above jobs add (matching: the posting's candidates), through
            # core.panels, so that jobs imports none of them
            "panels": posting_panels(request, posting),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def posting_edit(request: HttpRequest, program: str, pk: int | None = None) -> HttpResponse:
    """Register one of the centre's own postings (without ``pk``) or change one; an
    imported Hello Work posting is read-only (the service says so)."""
    prog = program_or_404(request.user, program, CHANGE_POSTING if pk else ADD_POSTING)
    posting = _posting(prog, pk) if pk is not None else None
    if posting is not None and posting.source != PostingSource.OWN:
        messages.error(
            request, _("ハローワークなど外部から取り込んだ求人は、ここでは変更できません。")
        )
        return redirect("jobs:posting_detail", prog.slug, posting.pk)
    initial: dict[str, Any] = {}
    employer_param = request.GET.get("employer", "")
    if posting is None and employer_param.isdigit() and len(employer_param) < 19:
        initial["employer"] = int(employer_param)
    form = PostingForm(
        request.POST or None,
        program=prog,
        editing=posting is not None,
        instance=copy.copy(posting) if posting else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if posting is None:
                posting = posting_create(program=prog, **data)
                messages.success(request, _("求人を登録しました。"))
            else:
                posting_update(posting=posting, **data)
                messages.success(request, _("求人を変更しました。"))
        except DomainError as error:
            _errors_onto(form, error)
        else:
            return redirect("jobs:posting_detail", prog.slug, posting.pk)
    return render(
        request,
        "jobs/posting_form.html",
        {"program": prog, "posting": posting, "form": form, "nav_section": "postings"},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def posting_close_view(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    prog = program_or_404(request.user, program, CHANGE_POSTING)
    posting = _posting(prog, pk)
    try:
        posting_close(posting=posting)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("求人の募集を終了しました。"))
    return redirect("jobs:posting_detail", prog.slug, posting.pk)
