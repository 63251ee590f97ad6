"""The case screens: the program's cases, one case (records, plan, reviews, history),
recording a consultation (opened from the day's schedule, pre-filled from the
reservation), a group session's attendance, the plan and the review.

Access (:mod:`secondcareer.consultations.access`): the case's consultant (and those it
is shared with) and managers see content; reception and job developers see that the
case exists and whom it is with, never notes, topics or plans; the municipality gets
403. Every opening of a case writes one audit entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secondcareer.booking.models import Reservation, ReservationStatus
from secondcareer.booking.selectors import program_consultants
from secondcareer.consultations.access import (
    CASE_PERMISSION,
    case_or_404,
    may_share_case,
    sees_case_content,
    sees_whole_program,
    visible_cases,
)
from secondcareer.consultations.forms import (
    AssignForm,
    GroupRecordForm,
    PlanForm,
    RecordForm,
    ReferralForm,
    ReferralOutcomeForm,
    ReviewForm,
    ShareForm,
)
from secondcareer.consultations.models import (
    Attendance,
    Case,
    CaseAssignment,
    Channel,
    ConsultationRecord,
    ConsultationTopic,
    PlanStatus,
    Review,
    SupportPlan,
)
from secondcareer.consultations.selectors import (
    REVIEW_DUE_SOON_DAYS,
    active_shares,
    referral_body_choices,
    referral_panel,
)
from secondcareer.consultations.services import (
    case_assign,
    consultation_group_record,
    consultation_record_create,
    plan_approve,
    plan_draft_save,
    plan_revise,
    review_complete,
)
from secondcareer.core.audit import audit_record_view, audit_records_listed
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO, format_date_ja, format_datetime_ja
from secondcareer.core.panels import case_panels
from secondcareer.people.access import has_program_perm, program_or_404
from secondcareer.people.cards import parse_card_number
from secondcareer.people.models import Seeker
from secondcareer.programs.choices import Method
from secondcareer.programs.models import ConsultationKind, Program

RECORD_PERMISSION = "consultations.add_consultationrecord"
PLAN_PERMISSION = "consultations.add_supportplan"
REVIEW_PERMISSION = "consultations.change_review"
ASSIGN_PERMISSION = "consultations.add_caseassignment"
SHARE_PERMISSION = "consultations.add_caseshare"
REFERRAL_PERMISSION = "consultations.add_supportreferral"
REFERRAL_CHANGE_PERMISSION = "consultations.change_supportreferral"
PAGE_SIZE = 50


def _user_label(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _kinds(program: Program) -> list[tuple[str, str]]:
    return [
        (k.code, k.name) for k in ConsultationKind.objects.filter(program=program).order_by("id")
    ]


def _topics(program: Program) -> list[tuple[str, str]]:
    return [
        (t.code, t.name) for t in ConsultationTopic.objects.filter(program=program).order_by("id")
    ]


def share_choices(program: Program, case: Case, shares: list[Any]) -> list[tuple[int, str]]:
    """The consultants ``case`` can be shared with: the program's, less its own and
    those it is shared with already."""
    taken = {case.consultant_id, *(s.shared_with_id for s in shares)}
    return [(pk, label) for pk, label in _consultants(program) if pk not in taken]


def _consultants(program: Program, also: Any = None) -> list[tuple[int, str]]:
    people = list(program_consultants(program))
    if also is not None and also.pk not in {u.pk for u in people}:
        people.append(also)
    return [(u.pk, _user_label(u)) for u in people]


def _errors_onto(form: Any, error: DomainError) -> None:
    """A service's refusal, shown on the field it names (or above the form)."""
    placed = False
    for name, problems in (error.field_errors or {}).items():
        for problem in problems:
            if name in form.fields:
                form.add_error(name, problem)
                placed = True
    if not placed:
        form.add_error(None, error.message)


# --- the list and one case ----------------------------------------------------------------


@login_required
@require_GET
def case_list(request: HttpRequest, program: str) -> HttpResponse:
    """The cases the user may see, open ones first, newest first; ``?status=closed`` or
    ``all``; ``?mine=1`` for a manager's own caseload; ``?review=due`` the open cases
    with a review due within two weeks or overdue, the earliest first (the staff
    home's review queue lists 20 of them and links here for the rest)."""
    prog = program_or_404(request.user, program, CASE_PERMISSION)
    status = request.GET.get("status", "open")
    if status not in {"open", "closed", "all"}:
        status = "open"
    cases: Any = Case.objects.with_status_facts().select_related("seeker", "consultant")
    if status == "open":
        cases = cases.filter(closed_on__isnull=True)
    elif status == "closed":
        cases = cases.filter(closed_on__isnull=False)
    cases = visible_cases(request.user, prog.pk, cases)
    mine = request.GET.get("mine") == "1"
    if mine:
        cases = cases.filter(consultant_id=request.user.pk)
    review_due = request.GET.get("review") == "due"
    order: tuple[str, ...] = ("-opened_on", "-id")
    if review_due:
        today = timezone.localtime(timezone.now(), TOKYO).date()
        horizon = today + dt.timedelta(days=REVIEW_DUE_SOON_DAYS)
        next_review = (
            Review.objects.filter(case=OuterRef("pk"), done_on__isnull=True)
            .order_by("due_on")
            .values("due_on")[:1]
        )
        cases = cases.filter(closed_on__isnull=True).annotate(next_review_on=Subquery(next_review))
        cases = cases.filter(next_review_on__lte=horizon)
        order = ("next_review_on", "id")
    paginator = Paginator(cases.order_by(*order), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    audit_records_listed(request, [c.seeker for c in page], program_slug=prog.slug, note="cases")
    return render(
        request,
        "consultations/case_list.html",
        {
            "program": prog,
            "page": page,
            "status": status,
            "mine": mine,
            "review_due": review_due,
            "whole_program": sees_whole_program(request.user, prog.pk),
            "nav_section": "cases",
        },
    )


def _case(request: HttpRequest, program: Program, pk: int) -> Case:
    case = get_object_or_404(
        Case.objects.with_status_facts().select_related("seeker", "seeker__area", "consultant"),
        pk=pk,
        program=program,
    )
    case.program = program
    return case_or_404(request.user, case)


@login_required
@require_GET
def case_detail(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    prog = program_or_404(request.user, program, CASE_PERMISSION)
    case = _case(request, prog, pk)
    content = sees_case_content(request.user, prog.pk)
    records: Any = (
        # Every record of the case is the seeker's: filtering on the seeker first lets
        # the (seeker, started_at) index find them among a program's 60,000 records.
        ConsultationRecord.objects.filter(seeker_id=case.seeker_id)
        .filter(Q(case=case) | Q(case__isnull=True, program=prog))
        .select_related("kind", "consultant")
        .order_by("-started_at", "-id")
    )
    if content:
        records = list(
            records.prefetch_related(
                Prefetch("topics", queryset=ConsultationTopic.objects.order_by("id"))
            )
        )
    plans: list[SupportPlan] = []
    reviews: list[Review] = []
    if content:
        plans = list(
            SupportPlan.objects.filter(case=case)
            .select_related("approved_by", "created_by")
            .order_by("-version")
        )
        reviews = list(
            Review.objects.filter(case=case)
            .select_related("assignee", "done_by")
            .order_by("number")
        )
    assignments = list(
        CaseAssignment.objects.filter(case=case)
        .select_related("consultant", "assigned_by")
        .order_by("-assigned_at", "-id")
    )
    audit_record_view(request, case, program_slug=prog.slug)
    today = timezone.localtime(timezone.now(), TOKYO).date()
    current = next((p for p in plans if p.status == PlanStatus.APPROVED), None)
    draft = next((p for p in plans if p.status == PlanStatus.DRAFT), None)
    open_review = next((r for r in reviews if r.done_on is None), None)
    may_assign = has_program_perm(request.user, prog, ASSIGN_PERMISSION)
    return render(
        request,
        "consultations/case_detail.html",
        {
            **(_sharing_and_referrals(request, prog, case, records) if content else {}),
            "program": prog,
            "case": case,
            "seeker": case.seeker,
            "content": content,
            "records": _record_lines(records, content=content),
            "plans": plans,
            "current_plan": current,
            "draft_plan": draft,
            "reviews": reviews,
            "open_review": open_review,
            "review_form": ReviewForm(),
            "assignments": assignments,
            "assign_form": AssignForm(consultants=_consultants(prog)) if may_assign else None,
            "may_record": has_program_perm(request.user, prog, RECORD_PERMISSION),
            "may_plan": content and has_program_perm(request.user, prog, PLAN_PERMISSION),
            "today": today,
            # What the apps above consultations add (matching's recommendations):
            # core.panels, so that consultations imports none of them.
            "panels": case_panels(request, case),
            "nav_section": "cases",
        },
    )


def _sharing_and_referrals(
    request: HttpRequest, program: Program, case: Case, records: Any
) -> dict[str, Any]:
    """The case page's sharing and referral sections (case content: consultants and
    managers only)."""
    shares = active_shares(case)
    may_share = (
        case.is_open
        and has_program_perm(request.user, program, SHARE_PERMISSION)
        and may_share_case(request.user, case)
    )
    panel = referral_panel(case, records)
    may_refer = case.is_open and has_program_perm(request.user, program, REFERRAL_PERMISSION)
    may_change_referrals = has_program_perm(request.user, program, REFERRAL_CHANGE_PERMISSION)
    referral_form = None
    if may_refer and panel.bodies:
        referral_form = ReferralForm(
            bodies=referral_body_choices(program.pk, case.seeker.area_id, panel.bodies)
        )
    return {
        "shares": shares,
        "may_share": may_share,
        "share_form": ShareForm(consultants=share_choices(program, case, shares))
        if may_share
        else None,
        "referral": panel,
        "referral_form": referral_form,
        "referral_rows": [
            (
                r,
                ReferralOutcomeForm(initial={"outcome": r.outcome}, auto_id=f"outcome{r.pk}_%s")
                if may_change_referrals
                else None,
            )
            for r in panel.referrals
        ],
    }


@dataclass(frozen=True)
class RecordLine:
    """One record as the case page shows it, its words prepared here: a page of 50
    records otherwise spends most of its time in template lookups."""

    started: str
    summary: str
    no_show: str
    consultant: str
    topics: str
    notes: str
    next_action: str
    next_contact: str


def _record_lines(records: Any, *, content: bool) -> list[RecordLine]:
    methods, channels = dict(Method.choices), dict(Channel.choices)
    no_show = str(Attendance.NO_SHOW.label)
    lines = []
    for rec in records:
        consultant = rec.consultant
        lines.append(
            RecordLine(
                started=format_datetime_ja(timezone.localtime(rec.started_at, TOKYO)),
                summary="・".join(
                    (
                        rec.kind.name,
                        str(methods.get(rec.method, rec.method)),
                        str(channels.get(rec.channel, rec.channel)),
                        _("%(m)s分") % {"m": rec.minutes},
                    )
                ),
                no_show=no_show if rec.attendance == Attendance.NO_SHOW else "",
                consultant=(consultant.get_full_name() or consultant.get_username())
                if consultant
                else "",
                topics="、".join(t.name for t in rec.topics.all()) if content else "",
                notes=rec.notes if content else "",
                next_action=rec.next_action if content else "",
                next_contact=format_date_ja(rec.next_contact_on)
                if content and rec.next_contact_on
                else "",
            )
        )
    return lines


# --- recording a consultation --------------------------------------------------------------


def _reservation_for(program: Program, raw: str | None) -> Reservation | None:
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    return get_object_or_404(
        Reservation.objects.select_related("seeker", "kind", "service", "venue", "consultant"),
        pk=int(raw),
        program=program,
    )


def _seeker_for(program: Program, raw: str | None) -> Seeker | None:
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    return get_object_or_404(Seeker, pk=int(raw), program=program)


def _record_initial(program: Program, reservation: Reservation | None, user: Any) -> dict[str, Any]:
    now = timezone.localtime(timezone.now(), TOKYO).replace(second=0, microsecond=0)
    initial: dict[str, Any] = {
        "attendance": Attendance.ATTENDED,
        "start": now,
        "minutes": 45,
        "consultant": user.pk,
        "channel": Channel.VENUE,
    }
    if reservation is None:
        return initial
    minutes = reservation.service.session_minutes or int(
        (reservation.ends_at - reservation.starts_at).total_seconds() // 60
    )
    initial = {
        **initial,
        "start": timezone.localtime(reservation.starts_at, TOKYO),
        "minutes": minutes,
        "method": reservation.method,
        "channel": Channel.VENUE if reservation.venue_id else Channel.ONLINE,
        "consultant": reservation.consultant_id or user.pk,
    }
    if reservation.kind is not None:
        initial["kind"] = reservation.kind.code
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest, program: str) -> HttpResponse:
    """Record a consultation: ``?reservation=<id>`` (from the day's schedule) fills in
    seeker, kind, method, place, consultant, start and minutes; ``?seeker=<id>`` for a
    session without a booking. One submit records it; the case opens on the first."""
    prog = program_or_404(request.user, program, RECORD_PERMISSION)
    source = request.POST if request.method == "POST" else request.GET
    reservation = _reservation_for(prog, source.get("reservation"))
    seeker = reservation.seeker if reservation else _seeker_for(prog, source.get("seeker"))
    if seeker is None:
        return render(
            request,
            "consultations/record_pick.html",
            {"program": prog, "nav_section": "cases"},
            status=200,
        )
    existing = (
        ConsultationRecord.objects.filter(reservation=reservation).select_related("case").first()
        if reservation is not None
        else None
    )
    if existing is not None:
        messages.info(request, _("この予約の相談記録はすでにあります。"))
        if existing.case_id:
            return redirect("consultations:case_detail", prog.slug, existing.case_id)
        return redirect("workspace:home")
    reservation_cancelled = (
        reservation is not None and reservation.status == ReservationStatus.CANCELLED
    )
    form_args: dict[str, Any] = {
        "kinds": _kinds(prog),
        "topics": _topics(prog),
        "consultants": _consultants(prog, also=request.user),
    }
    if request.method == "POST" and not reservation_cancelled:
        form = RecordForm(request.POST, **form_args)
        if form.is_valid():
            data = form.cleaned_data
            consultant = next(
                (u for u in program_consultants(prog) if u.pk == data["consultant"]),
                request.user if data["consultant"] == request.user.pk else None,
            )
            try:
                record = consultation_record_create(
                    program=prog,
                    seeker=seeker,
                    actor=request.user,
                    reservation=reservation,
                    kind=data["kind"],
                    method=data["method"],
                    channel=data["channel"],
                    consultant=consultant,
                    start=data["start"],
                    minutes=data["minutes"],
                    topics=data["topics"],
                    notes=data["notes"],
                    next_action=data["next_action"],
                    next_contact_on=data["next_contact_on"],
                    attendance=data["attendance"],
                )
            except DomainError as error:
                _errors_onto(form, error)
            else:
                if record.attendance == Attendance.NO_SHOW:
                    messages.success(
                        request,
                        _("%(name)sさんの欠席を記録しました。") % {"name": seeker.full_name},
                    )
                else:
                    messages.success(
                        request,
                        _("%(name)sさんの相談を記録しました。") % {"name": seeker.full_name},
                    )
                if record.case_id:
                    return redirect("consultations:case_detail", prog.slug, record.case_id)
                return redirect("workspace:home")
    else:
        initial = _record_initial(prog, reservation, request.user)
        if "kind" not in initial and form_args["kinds"]:
            initial["kind"] = form_args["kinds"][0][0]  # the program's first kind
        form = RecordForm(initial=initial, **form_args)
    return render(
        request,
        "consultations/record_form.html",
        {
            "program": prog,
            "form": form,
            "seeker": seeker,
            "reservation": reservation,
            "reservation_cancelled": reservation_cancelled,
            "nav_section": "cases",
        },
        status=422 if request.method == "POST" else 200,
    )


def _seekers_from_lines(
    program: Program, text: str, field: str, form: GroupRecordForm
) -> list[Seeker]:
    """Seekers named one per line by card number (利用者カード番号) or id."""
    wanted: list[tuple[str, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        card = parse_card_number(line)
        if card:
            wanted.append(("card", card))
        elif line.isdigit() and len(line) <= 18:
            wanted.append(("id", line))
        else:
            form.add_error(
                field,
                _("「%(line)s」は利用者カード番号でも利用者番号でもありません。")
                % {"line": line[:40]},
            )
    cards = [v for k, v in wanted if k == "card"]
    ids = [int(v) for k, v in wanted if k == "id"]
    found = Seeker.objects.filter(program=program).filter(Q(card_number__in=cards) | Q(pk__in=ids))
    by_card = {s.card_number: s for s in found}
    by_id = {s.pk: s for s in found}
    seekers = []
    for kind, value in wanted:
        seeker = by_card.get(value) if kind == "card" else by_id.get(int(value))
        if seeker is None:
            form.add_error(field, _("「%(value)s」の利用者は見つかりません。") % {"value": value})
        else:
            seekers.append(seeker)
    return seekers


@login_required
@require_http_methods(["GET", "POST"])
def group_record(request: HttpRequest, program: str) -> HttpResponse:
    """Attendance of a group session (巡回相談) for many seekers at once."""
    prog = program_or_404(request.user, program, RECORD_PERMISSION)
    form_args: dict[str, Any] = {"kinds": _kinds(prog), "topics": _topics(prog)}
    if request.method == "POST":
        form = GroupRecordForm(request.POST, **form_args)
        if form.is_valid():
            data = form.cleaned_data
            attended = _seekers_from_lines(prog, data["attended"], "attended", form)
            no_show = _seekers_from_lines(prog, data["no_show"], "no_show", form)
            if not form.errors:
                try:
                    records = consultation_group_record(
                        program=prog,
                        actor=request.user,
                        attended=attended,
                        no_show=no_show,
                        start=data["start"],
                        minutes=data["minutes"],
                        kind=data["kind"],
                        topics=data["topics"],
                    )
                except DomainError as error:
                    _errors_onto(form, error)
                else:
                    messages.success(
                        request,
                        _("%(n)s人の出欠を記録しました（出席%(a)s人・欠席%(b)s人）。")
                        % {"n": len(records), "a": len(attended), "b": len(no_show)},
                    )
                    return redirect("consultations:case_list", prog.slug)
    else:
        now = timezone.localtime(timezone.now(), TOKYO).replace(second=0, microsecond=0)
        form = GroupRecordForm(initial={"start": now, "minutes": 120}, **form_args)
    return render(
        request,
        "consultations/group_form.html",
        {"program": prog, "form": form, "nav_section": "cases"},
        status=422 if request.method == "POST" else 200,
    )


# --- plan, review, assignment ---------------------------------------------------------------


def _content_case(request: HttpRequest, program: str, pk: int, perm: str) -> tuple[Program, Case]:
    prog = program_or_404(request.user, program, perm)
    case = _case(request, prog, pk)
    if not sees_case_content(request.user, prog.pk):
        raise PermissionDenied
    return prog, case


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    """Write the next version of the support plan: save it as a draft, or save and
    approve it at once (it becomes current and the old one is superseded; a review that
    is due is completed by it — from 6 months only by a manager)."""
    prog, case = _content_case(request, program, pk, PLAN_PERMISSION)
    plans = SupportPlan.objects.filter(case=case)
    draft = plans.filter(status=PlanStatus.DRAFT).first()
    base = draft or plans.filter(status=PlanStatus.APPROVED).first()
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if request.POST.get("action") == "approve":
                    plan = plan_revise(
                        case=case,
                        actor=request.user,
                        goals=data["goals"],
                        steps=form.step_list(),
                        target_on=data["target_on"],
                    )
                    messages.success(
                        request,
                        _("支援計画の第%(v)s版を承認しました。") % {"v": plan.version},
                    )
                else:
                    plan = plan_draft_save(
                        case=case,
                        actor=request.user,
                        goals=data["goals"],
                        steps=form.step_list(),
                        target_on=data["target_on"],
                    )
                    messages.success(
                        request,
                        _("支援計画の第%(v)s版を下書きとして保存しました。") % {"v": plan.version},
                    )
            except DomainError as error:
                _errors_onto(form, error)
            else:
                return redirect(
                    reverse("consultations:case_detail", args=[prog.slug, case.pk]) + "#plan"
                )
    else:
        initial: dict[str, Any] = {}
        if base is not None:
            initial = {
                "goals": base.goals,
                "steps": "\n".join(base.steps or []),
                "target_on": base.target_on,
            }
        form = PlanForm(initial=initial)
    audit_record_view(request, case, program_slug=prog.slug)
    return render(
        request,
        "consultations/plan_form.html",
        {"program": prog, "case": case, "form": form, "draft": draft, "nav_section": "cases"},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def plan_approve_view(request: HttpRequest, program: str, pk: int, plan_pk: int) -> HttpResponse:
    prog, case = _content_case(request, program, pk, PLAN_PERMISSION)
    plan = get_object_or_404(SupportPlan, pk=plan_pk, case=case)
    try:
        plan_approve(plan=plan, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("支援計画の第%(v)s版を承認しました。") % {"v": plan.version})
    return redirect(reverse("consultations:case_detail", args=[prog.slug, case.pk]) + "#plan")


@login_required
@require_POST
def review_done(request: HttpRequest, program: str, pk: int, review_pk: int) -> HttpResponse:
    prog, case = _content_case(request, program, pk, REVIEW_PERMISSION)
    review = get_object_or_404(Review, pk=review_pk, case=case)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            review_complete(
                review=review,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                on=form.cleaned_data["on"] or None,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("見直しの結果を記録しました。"))
    else:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
    return redirect(reverse("consultations:case_detail", args=[prog.slug, case.pk]) + "#reviews")


@login_required
@require_POST
def case_reassign(request: HttpRequest, program: str, pk: int) -> HttpResponse:
    prog = program_or_404(request.user, program, ASSIGN_PERMISSION)
    case = _case(request, prog, pk)
    form = AssignForm(request.POST, consultants=_consultants(prog))
    if form.is_valid():
        consultant = program_consultants(prog).filter(pk=form.cleaned_data["consultant"]).first()
        try:
            case_assign(
                case=case,
                consultant=consultant,
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("担当を%(name)sに変更しました。") % {"name": _user_label(consultant)},
            )
    else:
        messages.error(request, _("新しい担当を選んでください。"))
    return redirect("consultations:case_detail", prog.slug, case.pk)


__all__ = [
    "case_detail",
    "case_list",
    "case_reassign",
    "group_record",
    "plan_approve_view",
    "plan_edit",
    "record_create",
    "review_done",
]
