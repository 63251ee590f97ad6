"""Reads for the staff inquiry screens: the inbox rows in deadline order, a page at a
time, the counts a consultant needs before the first row (open, overdue, due today),
and who asked an inquiry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404

from secondcareer.consultations import access as case_access
from secondcareer.consultations.models import Case as SupportCase
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.messaging.channels import get_channel
from secondcareer.messaging.models import (
    ChatMessage,
    ChatSender,
    ChatThread,
    Inquiry,
    InquiryStatus,
)
from secondcareer.people.models import Seeker
from secondcareer.programs.models import Program

INBOX_PAGE_SIZE = 50


@dataclass(frozen=True)
class InboxCounts:
    """Open inquiries of the programs, and how many of them are overdue or fall due
    before midnight (Asia/Tokyo) without being overdue yet."""

    open: int
    overdue: int
    due_today: int
    answered: int


def _end_of_today(now: dt.datetime) -> dt.datetime:
    local = now.astimezone(TOKYO)
    return dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=TOKYO)


def inbox_counts(*, programs: QuerySet[Program], now: dt.datetime) -> InboxCounts:
    """One aggregate query, whatever the number of inquiries."""
    is_open = Q(status=InquiryStatus.OPEN)
    row = Inquiry.objects.filter(program__in=programs).aggregate(
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=is_open & Q(due_at__lt=now)),
        due_today=Count("pk", filter=is_open & Q(due_at__gte=now, due_at__lt=_end_of_today(now))),
        answered=Count("pk", filter=~is_open),
    )
    return InboxCounts(
        open=row["open"] or 0,
        overdue=row["overdue"] or 0,
        due_today=row["due_today"] or 0,
        answered=row["answered"] or 0,
    )


def inbox_inquiries(*, programs: QuerySet[Program], show_all: bool = False) -> QuerySet[Inquiry]:
    """The inbox's rows: open ones first, the soonest deadline (so every overdue one)
    at the top; with ``show_all`` the answered and closed ones follow, latest first."""
    rows = Inquiry.objects.filter(program__in=programs).select_related("program")
    if not show_all:
        rows = rows.filter(status=InquiryStatus.OPEN)
    open_first = Case(
        When(status=InquiryStatus.OPEN, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    open_deadline = Case(When(status=InquiryStatus.OPEN, then=F("due_at")), default=None)
    return rows.order_by(open_first, open_deadline.asc(nulls_last=True), F("due_at").desc(), "id")


def inbox_page(
    *, programs: QuerySet[Program], show_all: bool, page: str | int | None
) -> Page[Inquiry]:
    """One page of :func:`inbox_inquiries` (a page number out of range or not a number
    gives the nearest page, never an error)."""
    paginator = Paginator(inbox_inquiries(programs=programs, show_all=show_all), INBOX_PAGE_SIZE)
    return paginator.get_page(page)


@dataclass(frozen=True)
class Asker:
    """Who asked an inquiry, as far as the staff page shows it: the registered seeker
    (linked when the question came, or since), else the channel's own words for the
    account (a LINE user who never registered, with LINE's display name when known)
    and the channel's record those words show."""

    seeker: Seeker | None = None
    label: str = ""
    record: Model | None = None


def inquiry_asker(inquiry: Inquiry) -> Asker:
    """The asker of ``inquiry``, from the inquiry's seeker or else its channel."""
    if inquiry.seeker is not None:
        return Asker(seeker=inquiry.seeker)
    contact = get_channel(inquiry.channel).contact(inquiry)
    if contact.seeker is not None:
        return Asker(seeker=contact.seeker)
    return Asker(label=contact.label, record=contact.record)


# --- Secure chat ----------------------------------------------------------------------


def _chat_scope(user: Any, programs: Iterable[Program]) -> Q | None:
    """The threads ``user`` may read in ``programs``, as one condition: those of a
    program where they see case content (consultants, managers), all of the program for
    a manager, else those whose seeker has a case in their caseload. None: no thread."""
    scope: Q | None = None
    for program in programs:
        if not case_access.sees_case_content(user, program.pk):
            continue
        if case_access.sees_whole_program(user, program.pk):
            part = Q(program_id=program.pk)
        else:
            mine = SupportCase.objects.filter(
                program_id=program.pk, seeker_id=OuterRef("seeker_id")
            ).filter(case_access.caseload_filter(user))
            part = Q(program_id=program.pk) & Q(Exists(mine))
        scope = part if scope is None else scope | part
    return scope


def chat_threads_visible(user: Any, program: Program) -> QuerySet[ChatThread]:
    scope = _chat_scope(user, [program])
    if scope is None:
        return ChatThread.objects.none()
    return ChatThread.objects.filter(scope)


def chat_thread_for_staff(user: Any, program: Program, thread_id: int) -> ChatThread:
    """The thread for the staff page; 404 when it is not one ``user`` may read (the
    caller has checked the program and the content permission)."""
    thread = (
        chat_threads_visible(user, program)
        .select_related("seeker", "program", "case")
        .filter(pk=thread_id)
        .first()
    )
    if thread is None:
        raise Http404
    return thread


def chat_messages(thread: ChatThread) -> list[ChatMessage]:
    return list(
        ChatMessage.objects.filter(thread=thread)
        .select_related("staff_user")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class UnreadChat:
    thread: ChatThread
    unread: int
    latest_at: dt.datetime


def unread_chats(user: Any, programs: Iterable[Program]) -> list[UnreadChat]:
    """Threads with seeker messages no staff member has read yet, among those ``user``
    may read in ``programs``, newest first, with the unread count of each. One query
    for the threads (plus the role look-ups, one per program at most), however many
    threads there are. The rows name seekers: a page that shows them audits them."""
    scope = _chat_scope(user, list(programs))
    if scope is None:
        return []
    unread = Q(messages__sender_kind=ChatSender.SEEKER, messages__read_by_staff_at__isnull=True)
    rows = (
        ChatThread.objects.filter(scope)
        .annotate(
            unread=Count("messages", filter=unread),
            latest_at=Max("messages__created_at", filter=unread),
        )
        .filter(unread__gt=0)
        .select_related("seeker", "program")
        .order_by("-latest_at", "-id")
    )
    return [UnreadChat(thread=t, unread=t.unread, latest_at=t.latest_at) for t in rows]  # type: ignore[attr-defined]
