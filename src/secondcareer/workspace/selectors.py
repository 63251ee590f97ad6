"""What the staff home shows, per program and role: the day's work, each item with the
action that clears it (issue 12, item 6).

Every queue is one query over all of the user's programs (each program with its own
scope: a consultant's caseload, a manager's whole program), so the home costs the same
number of queries whether the user works in one program or four and whether a
consultant has 3 cases or 300 (``tests/test_home.py`` and
``tests/test_list_screens_query_counts.py`` count them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from secondcareer.booking.models import Reservation, ReservationStatus
from secondcareer.consultations.access import (
    CHECK_ADD_PERMISSION,
    caseload_filter,
    followup_scope,
    sees_whole_program,
)
from secondcareer.consultations.models import Case, ConsultationRecord, Review, ReviewKind
from secondcareer.consultations.selectors import REVIEW_DUE_SOON_DAYS, followup_overview
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.messaging.models import Inquiry, InquiryStatus
from secondcareer.messaging.selectors import unread_chats
from secondcareer.people.access import program_permissions
from secondcareer.people.models import Role, Seeker
from secondcareer.placements.access import FOLLOWUP_VIEW, seeker_scope
from secondcareer.placements.models import FollowUp
from secondcareer.programs.models import Program

LIST_LIMIT = 20  # rows shown per queue on the home; the count says how many there are
NOTES_PERM = "consultations.view_case_notes"
REVIEW_PERM = "consultations.view_review"
INQUIRY_PERM = "messaging.answer_inquiry"
BOOKING_VIEW_PERM = "booking.view_reservation"


@dataclass
class ProgramHome:
    program: Program
    roles: list[str]
    role_codes: frozenset[str]
    permissions: frozenset[str]
    sees_content: bool = False
    whole_program: bool = False
    today: list[Reservation] = field(default_factory=list)
    shows_today: bool = False
    reviews: list[Review] = field(default_factory=list)
    reviews_total: int = 0
    reviews_overdue: int = 0
    inquiries: list[Inquiry] = field(default_factory=list)
    inquiries_open: int = 0
    inquiries_overdue: int = 0
    inactive: list[Any] = field(default_factory=list)
    inactive_total: int = 0
    inactive_configured: bool = False
    checks_due: list[Any] = field(default_factory=list)
    checks_due_total: int = 0
    unread_chats: list[Any] = field(default_factory=list)
    unread_chats_total: int = 0
    followups_overdue: list[FollowUp] = field(default_factory=list)
    followups_overdue_total: int = 0
    shows_followups: bool = False

    def seekers_shown(self) -> list[Seeker]:
        """Every seeker the home names in this program's section (for the audit)."""
        shown: list[Seeker] = [r.seeker for r in self.today]
        shown += [r.case.seeker for r in self.reviews]
        shown += [row.seeker for row in self.inactive]
        shown += [row.seeker for row in self.checks_due if getattr(row, "seeker", None)]
        shown += [row.seeker for row in self.unread_chats]
        shown += [f.placement.seeker for f in self.followups_overdue]
        return shown


@dataclass(frozen=True)
class CheckRow:
    """A seeker whose employment status is to be checked, linking to the check form."""

    seeker: Seeker
    name: str
    last_contact: dt.date
    last_check_result: str | None
    url: str


@dataclass(frozen=True)
class ChatRow:
    seeker: Seeker
    name: str
    unread: int
    url: str


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(0), tzinfo=TOKYO)
    return start, start + dt.timedelta(days=1)


def todays_reservations(day: dt.date, scopes: Q) -> QuerySet[Reservation]:
    """The day's consultations that are not cancelled within ``scopes`` (program and,
    for a consultant, their own), in start order, each with ``recorded`` (a
    consultation record exists for it). One query."""
    start, end = _day_bounds(day)
    return (
        Reservation.objects.filter(scopes, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=ReservationStatus.CANCELLED)
        .annotate(recorded=Exists(ConsultationRecord.objects.filter(reservation_id=OuterRef("pk"))))
        .select_related("seeker", "kind", "service", "venue", "consultant", "program")
        .order_by("starts_at", "pk")
    )


def _review_scope(user: Any, home: ProgramHome, today: dt.date) -> Q:
    """A manager: the manager reviews of the program, every overdue one and their own.
    A consultant: the consultant reviews of their caseload (and any assigned to them)."""
    where = Q(case__program_id=home.program.pk)
    if home.whole_program:
        return where & (Q(kind=ReviewKind.MANAGER) | Q(due_on__lt=today) | Q(assignee=user))
    caseload = Case.objects.filter(caseload_filter(user), program_id=home.program.pk)
    return where & Q(case__in=caseload) & (Q(kind=ReviewKind.CONSULTANT) | Q(assignee=user))


def _fill_today(user: Any, homes: list[ProgramHome], today: dt.date) -> None:
    scopes = Q(pk__in=[])
    for home in homes:
        roles = home.role_codes
        casework = bool(roles & {Role.CONSULTANT, Role.MANAGER})
        if BOOKING_VIEW_PERM not in home.permissions and not casework:
            continue
        home.shows_today = True
        scope = Q(program_id=home.program.pk)
        if Role.CONSULTANT in roles and not roles & {Role.MANAGER, Role.RECEPTION}:
            scope &= Q(consultant=user)
        scopes |= scope
    if not any(h.shows_today for h in homes):
        return
    by_program: dict[int, list[Reservation]] = defaultdict(list)
    for reservation in todays_reservations(today, scopes):
        by_program[reservation.program_id].append(reservation)
    for home in homes:
        home.today = by_program.get(home.program.pk, [])


def _fill_reviews(user: Any, homes: list[ProgramHome], today: dt.date) -> None:
    """Open reviews due within two weeks or overdue: the counts of each program in one
    query, and the first ``LIST_LIMIT`` (overdue first) in one query per program — a
    manager's home lists 20 of a prefecture's 1,700 overdue reviews, not all of them,
    and links the case list filtered to the rest."""
    wanted = [h for h in homes if REVIEW_PERM in h.permissions and h.sees_content]
    if not wanted:
        return
    where = Q(pk__in=[])
    for home in wanted:
        where |= _review_scope(user, home, today)
    horizon = today + dt.timedelta(days=REVIEW_DUE_SOON_DAYS)
    rows = Review.objects.filter(
        where, case__closed_on__isnull=True, done_on__isnull=True, due_on__lte=horizon
    )
    counts = (
        rows.order_by()
        .values("case__program_id")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    by_id = {h.program.pk: h for h in wanted}
    for row in counts:
        home = by_id[row["case__program_id"]]
        home.reviews_total, home.reviews_overdue = row["n"], row["overdue"]
    listed = rows.select_related("case__seeker", "case__consultant", "assignee").order_by(
        "due_on", "case_id", "id"
    )
    for home in wanted:
        if home.reviews_total:
            home.reviews = list(listed.filter(case__program_id=home.program.pk)[:LIST_LIMIT])


def _fill_inquiries(homes: list[ProgramHome], now: dt.datetime) -> None:
    wanted = {h.program.pk: h for h in homes if INQUIRY_PERM in h.permissions}
    if not wanted:
        return
    open_rows = Inquiry.objects.filter(program_id__in=wanted, status=InquiryStatus.OPEN)
    counts = open_rows.values("program_id").annotate(
        n=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now))
    )
    for row in counts.order_by():
        home = wanted[row["program_id"]]
        home.inquiries_open, home.inquiries_overdue = row["n"], row["overdue"]
    for inquiry in open_rows.order_by("due_at", "id")[:LIST_LIMIT]:
        wanted[inquiry.program_id].inquiries.append(inquiry)


def _fill_followup(user: Any, homes: list[ProgramHome], today: dt.date) -> None:
    """Seekers with no contact for the preset's months (consultants and managers: the
    home shows no person's contact history to reception) and employment-status checks
    due (phone or postcard: whoever may log one — a consultant's caseload, the whole
    program for managers and reception, who make the calls). Both from one pass over
    the seekers out of contact: two queries (``followup_overview``)."""
    configured = [h for h in homes if h.program.inactivity_followup_months]
    inactive = [h for h in configured if h.sees_content]
    checks = [h for h in configured if CHECK_ADD_PERMISSION in h.permissions]
    wanted = {h.program.pk: h for h in [*inactive, *checks]}
    if not wanted:
        return
    scopes = [(h.program, followup_scope(user, h.program.pk)) for h in wanted.values()]
    overview = followup_overview(scopes, today, limit=LIST_LIMIT)
    for home in inactive:
        home.inactive_configured = True
        home.inactive_total = overview.inactive_counts.get(home.program.pk, 0)
        home.inactive = [r for r in overview.inactive if r.seeker.program_id == home.program.pk]
    for home in checks:
        home.checks_due_total = overview.due_counts.get(home.program.pk, 0)
        home.checks_due = [
            CheckRow(
                seeker=row.seeker,
                name=row.seeker.full_name,
                last_contact=row.last_contact,
                last_check_result=row.last_check_result,
                url=reverse(
                    "consultations_followup:check", args=[home.program.slug, row.seeker.pk]
                ),
            )
            for row in overview.due
            if row.seeker.program_id == home.program.pk
        ]


def _fill_retention(user: Any, homes: list[ProgramHome], today: dt.date) -> None:
    """Overdue retention follow-ups (定着支援: not done, due before today) of a
    consultant's caseload or a manager's whole program: the counts of every program in
    one query and, when there are any, the first ``LIST_LIMIT`` in one more."""
    wanted = {h.program.pk: h for h in homes if FOLLOWUP_VIEW in h.permissions and h.sees_content}
    if not wanted:
        return
    where = Q(pk__in=[])
    for program_id, home in wanted.items():
        home.shows_followups = True
        scope = seeker_scope(user, program_id)
        mine = Q(placement__program_id=program_id)
        if scope is not None:
            mine &= Q(placement__seeker_id__in=scope)
        where |= mine
    rows = FollowUp.objects.filter(where, done_on__isnull=True, due_on__lt=today)
    counts = rows.order_by().values("placement__program_id").annotate(n=Count("pk"))
    total = 0
    for row in counts:
        wanted[row["placement__program_id"]].followups_overdue_total = row["n"]
        total += row["n"]
    if not total:
        return
    listed = rows.select_related("placement__seeker").order_by("due_on", "placement_id", "id")
    for followup in listed[:LIST_LIMIT]:
        wanted[followup.placement.program_id].followups_overdue.append(followup)


def _fill_chats(user: Any, homes: list[ProgramHome]) -> None:
    wanted = {h.program.pk: h for h in homes if h.sees_content}
    if not wanted:
        return
    for row in unread_chats(user, [h.program for h in wanted.values()]):
        home = wanted[row.thread.program_id]
        home.unread_chats_total += 1
        if len(home.unread_chats) < LIST_LIMIT:
            home.unread_chats.append(
                ChatRow(
                    seeker=row.thread.seeker,
                    name=row.thread.seeker.full_name,
                    unread=row.unread,
                    url=reverse("chat:thread", args=[home.program.slug, row.thread.pk]),
                )
            )


def staff_home(
    user: Any, programs: list[Program], roles: dict[int, frozenset[str]], *, now: dt.datetime
) -> list[ProgramHome]:
    """The home's sections, one per program the user holds a role in."""
    today = now.astimezone(TOKYO).date()
    homes = []
    for program in programs:
        held = roles.get(program.pk, frozenset())
        permissions = program_permissions(user, program)
        home = ProgramHome(
            program=program,
            roles=[str(label) for value, label in Role.choices if value in held],
            role_codes=held,
            permissions=permissions,
            sees_content=NOTES_PERM in permissions,
            whole_program=sees_whole_program(user, program.pk),
        )
        homes.append(home)
    _fill_today(user, homes, today)
    _fill_reviews(user, homes, today)
    _fill_inquiries(homes, now)
    _fill_followup(user, homes, today)
    _fill_chats(user, homes)
    _fill_retention(user, homes, today)
    return homes
