"""Reads for the staff inquiry screens: the inbox rows in deadline order, a page at a
time, the counts a consultant needs before the first row (open, overdue, due today),
and who asked an inquiry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, IntegerField, Model, Q, QuerySet, Value, When

from secondcareer.core.jpcalendar import TOKYO
from secondcareer.messaging.channels import get_channel
from secondcareer.messaging.models import Inquiry, InquiryStatus
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
