"""Reads of case records with real query logic, always scoped by program.

- :func:`reviews_due` — the open reviews due on or before a day, with their assignee.
- :func:`inactive_seekers` — the seekers whose last contact is more than the preset's
  ``inactivity_followup_months`` before a day (Saitama 2(2)ケ), in one query.
- :func:`followup_queue` — the same seekers with their latest check (the staff queue).
- :func:`employment_checks_due` — those of them whose employment status is still to be
  checked (the staff home), two queries.
- :func:`count_check_results`, :func:`latest_found_status` — for the reports.
- :func:`support_bodies_for` — the public support bodies that serve an area.
- :func:`referral_panel` — the case page's referral section: the records that suggest a
  referral since the last one, the bodies of the seeker's area, the referrals made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Count,
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils.translation import gettext as _

from secondcareer.consultations.contacts import contact_sources
from secondcareer.consultations.hardship import hardship_words
from secondcareer.consultations.models import (
    Attendance,
    Case,
    CaseShare,
    ConsultationRecord,
    EmploymentStatus,
    InactivityCheck,
    Review,
    SupportBody,
    SupportReferral,
)
from secondcareer.consultations.reviews import ReviewKind
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.people.models import Seeker, SeekerStatus
from secondcareer.programs.choices import SupportBodyKind
from secondcareer.programs.models import Program

# Stands for "no contact of this kind" inside the query (before any real date).
_NEVER = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


REVIEW_DUE_SOON_DAYS = 14  # an open review due within two weeks shows as "due soon"


def reviews_due(program: Program, on: dt.date) -> QuerySet[Review]:
    """The open reviews of the program's open cases due on or before ``on``, earliest
    first, with case, seeker, consultant and assignee loaded (one query)."""
    return (
        Review.objects.filter(
            case__program=program,
            case__closed_on__isnull=True,
            done_on__isnull=True,
            due_on__lte=on,
        )
        .select_related("case__seeker", "case__consultant", "assignee")
        .order_by("due_on", "case_id", "id")
    )


def review_assignee(review: Review) -> Any:
    """Who does ``review``: its own assignee if one was set; otherwise the case's
    consultant for the consultant's review, and nobody in particular (any manager or
    deputy) for a manager's review."""
    if review.assignee_id is not None:
        return review.assignee
    if review.kind == ReviewKind.CONSULTANT:
        return review.case.consultant
    return None


@dataclass(frozen=True)
class InactiveSeeker:
    seeker: Seeker
    last_contact: dt.date


def inactivity_months(program: Program) -> int:
    months = program.inactivity_followup_months
    if not months:
        raise DomainError(
            _(
                "事業「%(program)s」には、利用が途絶えた利用者を確認するまでの月数"
                "（policies.inactivity_followup_months）が設定されていません。"
            )
            % {"program": program.name},
            code="not_configured",
            status=422,
        )
    return months


def inactive_seekers(
    program: Program,
    on: dt.date,
    months: int | None = None,
    *,
    seekers: QuerySet[Seeker] | None = None,
    limit: int | None = None,
) -> list[InactiveSeeker]:
    """Seekers of ``program`` whose last contact is more than ``months`` (default: the
    preset's ``inactivity_followup_months``) before ``on``: last contact exactly that
    many months before ``on`` is not inactive yet, one day earlier is.

    A contact is whatever a source in :mod:`secondcareer.consultations.contacts` gives:
    an attended consultation (its start), a reservation that was not cancelled and not
    missed (its start, future ones included: a seeker with a booking ahead is in touch),
    and what other apps register (chat, event attendance).
    ``seekers`` narrows the list (a consultant's caseload); ``limit`` keeps the oldest
    contacts only (the staff home's short list).
    Seekers with no contact at all, and withdrawn ones, are not listed. One query."""
    rows = _inactive_rows(program, on, months, seekers)
    if limit is not None:
        rows = rows[:limit]
    return [
        InactiveSeeker(seeker=s, last_contact=s.last_contact_at.astimezone(TOKYO).date())  # type: ignore[attr-defined]
        for s in rows
    ]


def due_from(last_contact: dt.date, months: int) -> dt.date:
    """The first day a seeker whose last contact was ``last_contact`` is on the list:
    the first day whose date ``months`` back is after it (month ends clamp: a contact on
    28 February is 3 months old until 31 May and listed from 1 June)."""
    day = last_contact + relativedelta(months=months) + dt.timedelta(days=1)
    while day - relativedelta(months=months) <= last_contact:
        day += dt.timedelta(days=1)
    return day


def _cutoff(program: Program, on: dt.date, months: int | None) -> dt.datetime:
    months = months if months is not None else inactivity_months(program)
    # Before the first moment of the cutoff day in Japan = a Japanese date before it.
    return dt.datetime.combine(on - relativedelta(months=months), dt.time(0), tzinfo=TOKYO)


def with_last_contact(seekers: QuerySet[Seeker]) -> Any:
    """``seekers`` (not withdrawn) annotated with ``last_contact_at``: the latest time any
    registered contact source gives, or ``_NEVER``."""
    never = Value(_NEVER, output_field=DateTimeField())
    latest: list[Any] = [
        Coalesce(Subquery(source(OuterRef("pk")), output_field=DateTimeField()), never)
        for source in contact_sources().values()
    ]
    if len(latest) == 1:  # Greatest needs two expressions
        latest.append(never)
    return seekers.exclude(status=SeekerStatus.WITHDRAWN).annotate(
        last_contact_at=Greatest(*latest, output_field=DateTimeField())
    )


def _inactive_rows(
    program: Program, on: dt.date, months: int | None, seekers: QuerySet[Seeker] | None
) -> Any:
    base = seekers if seekers is not None else Seeker.objects.all()
    return (
        with_last_contact(base.filter(program=program))
        .filter(last_contact_at__lt=_cutoff(program, on, months), last_contact_at__gt=_NEVER)
        .order_by("last_contact_at", "id")
    )


def inactive_in_programs(
    scopes: Sequence[tuple[Program, QuerySet[Seeker] | None]], on: dt.date, *, limit: int
) -> tuple[list[InactiveSeeker], dict[int, int]]:
    """:func:`inactive_seekers` for several programs at once (the staff home): each
    program with its own months and, optionally, its own narrowing (a caseload). Returns
    the ``limit`` oldest contacts over all of them and the count per program id. Two
    queries, whatever the number of programs."""
    if not scopes:
        return [], {}
    where = Q()
    for program, seekers in scopes:
        part = Q(program_id=program.pk, last_contact_at__lt=_cutoff(program, on, None))
        if seekers is not None:
            part &= Q(pk__in=seekers.values("pk"))
        where |= part
    rows = with_last_contact(Seeker.objects.all()).filter(where, last_contact_at__gt=_NEVER)
    counts = {
        row["program_id"]: row["n"]
        for row in rows.order_by().values("program_id").annotate(n=Count("pk"))
    }
    listed = [
        InactiveSeeker(seeker=s, last_contact=s.last_contact_at.astimezone(TOKYO).date())  # type: ignore[attr-defined]
        for s in rows.order_by("last_contact_at", "id")[:limit]
    ]
    return listed, counts


def inactive_count(
    program: Program, on: dt.date, *, seekers: QuerySet[Seeker] | None = None
) -> int:
    """How many seekers :func:`inactive_seekers` lists (one COUNT query)."""
    return _inactive_rows(program, on, None, seekers).order_by().count()


# --- the inactivity follow-up: checks ---------------------------------------------------------

# A call that did not get through (or a postcard with no reply) is tried again this many
# days later: until then the seeker is not "due" on the home, though still on the queue.
RECHECK_DAYS = 30


def _with_last_check(rows: Any) -> Any:
    """``rows`` annotated with their latest inactivity check: ``last_check_on``,
    ``last_check_method``, ``last_check_result`` (all None without one)."""
    latest = InactivityCheck.objects.filter(seeker=OuterRef("pk")).order_by("-done_on", "-id")
    return rows.annotate(
        last_check_on=Subquery(latest.values("done_on")[:1]),
        last_check_method=Subquery(latest.values("method")[:1]),
        last_check_result=Subquery(latest.values("result")[:1]),
    )


def _due_filter(on: dt.date) -> Q:
    """The status is still to be checked: no check that did not reach the seeker (a
    postcard, an unanswered call) since the day of the last contact, or the latest was
    unreachable and is more than :data:`RECHECK_DAYS` old. A call that reached them is
    a contact itself, so it never counts as a check *since* the last contact."""
    return (
        Q(open_check_on__isnull=True)
        | Q(open_check_on__lt=F("last_contact_day"))
        | Q(
            open_check_result=EmploymentStatus.UNREACHABLE,
            open_check_on__lte=on - dt.timedelta(days=RECHECK_DAYS),
        )
    )


def _with_due(rows: Any) -> Any:
    """``rows`` (with ``last_contact_at``) annotated with their latest check
    (``last_check_*``), their latest check that was no contact (``open_check_on``,
    ``open_check_result``) and the Japanese day of the last contact."""
    latest = InactivityCheck.objects.filter(
        seeker=OuterRef("pk"), reached_at__isnull=True
    ).order_by("-done_on", "-id")
    return _with_last_check(rows).annotate(
        open_check_on=Subquery(latest.values("done_on")[:1]),
        open_check_result=Subquery(latest.values("result")[:1]),
        last_contact_day=TruncDate("last_contact_at", tzinfo=TOKYO),
    )


def followup_queue(
    program: Program,
    on: dt.date,
    *,
    seekers: QuerySet[Seeker] | None = None,
    only_due: bool = False,
) -> Any:
    """The staff follow-up queue: :func:`inactive_seekers` as a queryset (oldest
    contact first, for paging), each seeker with ``last_contact_at`` and
    ``last_check_on``/``_method``/``_result``; :func:`is_check_due` tells a row whose
    status is still to be checked (``only_due`` keeps only those). One query per page."""
    rows = _with_due(_inactive_rows(program, on, None, seekers))
    return rows.filter(_due_filter(on)) if only_due else rows


def is_check_due(row: Any, on: dt.date) -> bool:
    """:func:`_due_filter` for one row of :func:`followup_queue` (in Python)."""
    last = row.last_contact_at.astimezone(TOKYO).date()
    return _due(row.open_check_on, row.open_check_result, last, on)


@dataclass(frozen=True)
class CheckDue:
    """A seeker due for a check, with their latest check that did not reach them."""

    seeker: Seeker
    last_contact: dt.date
    last_check_on: dt.date | None
    last_check_result: str | None


def _due(
    open_check_on: dt.date | None, open_result: str | None, last: dt.date, on: dt.date
) -> bool:
    """:func:`_due_filter` in Python, for one seeker."""
    if open_check_on is None or open_check_on < last:
        return True
    return open_result == EmploymentStatus.UNREACHABLE and open_check_on <= on - dt.timedelta(
        days=RECHECK_DAYS
    )


@dataclass
class FollowupOverview:
    """The staff home's two follow-up queues at once (:func:`followup_overview`)."""

    inactive: list[InactiveSeeker]
    inactive_counts: dict[int, int]
    due: list[CheckDue]
    due_counts: dict[int, int]


def followup_overview(
    programs: Sequence[tuple[Program, QuerySet[Seeker] | None]], on: dt.date, *, limit: int
) -> FollowupOverview:
    """:func:`inactive_in_programs` and :func:`employment_checks_due` together, for the
    staff home: the seekers out of contact and those of them due for a check, the
    ``limit`` oldest contacts of each and the counts per program id. Two queries,
    whatever the number of programs and seekers: one reads every out-of-contact seeker
    in scope as a few values (its last contact is worked out once, not once per
    condition), the other loads the seekers listed."""
    scopes = [(p, s) for p, s in programs if p.inactivity_followup_months]
    if not scopes:
        return FollowupOverview([], {}, [], {})
    where = Q()
    for program, seekers in scopes:
        part = Q(program_id=program.pk, last_contact_at__lt=_cutoff(program, on, None))
        if seekers is not None:
            part &= Q(pk__in=seekers.values("pk"))
        where |= part
    open_checks = InactivityCheck.objects.filter(
        seeker=OuterRef("pk"), reached_at__isnull=True
    ).order_by("-done_on", "-id")
    facts = (
        with_last_contact(Seeker.objects.all())
        .filter(where, last_contact_at__gt=_NEVER)
        .annotate(
            open_check_on=Subquery(open_checks.values("done_on")[:1]),
            open_check_result=Subquery(open_checks.values("result")[:1]),
        )
        .order_by("last_contact_at", "id")
        .values_list("pk", "program_id", "last_contact_at", "open_check_on", "open_check_result")
    )
    inactive: list[tuple[int, dt.date]] = []
    due: list[tuple[int, dt.date, dt.date | None, str | None]] = []
    inactive_counts: dict[int, int] = {}
    due_counts: dict[int, int] = {}
    for pk, program_id, last_at, check_on, check_result in facts:
        last = last_at.astimezone(TOKYO).date()
        inactive_counts[program_id] = inactive_counts.get(program_id, 0) + 1
        if len(inactive) < limit:
            inactive.append((pk, last))
        if _due(check_on, check_result, last, on):
            due_counts[program_id] = due_counts.get(program_id, 0) + 1
            if len(due) < limit:
                due.append((pk, last, check_on, check_result))
    wanted = {pk for pk, _ in inactive} | {row[0] for row in due}
    # Asked even when nobody is listed (id 0 is never used), so that the home's query
    # count is the same for an empty caseload as for a full one.
    loaded = {s.pk: s for s in Seeker.objects.filter(pk__in=sorted(wanted) or [0])}
    return FollowupOverview(
        inactive=[InactiveSeeker(seeker=loaded[pk], last_contact=last) for pk, last in inactive],
        inactive_counts=inactive_counts,
        due=[
            CheckDue(seeker=loaded[pk], last_contact=last, last_check_on=c_on, last_check_result=c)
            for pk, last, c_on, c in due
        ],
        due_counts=due_counts,
    )


def employment_checks_due(
    programs: Sequence[tuple[Program, QuerySet[Seeker] | None]], on: dt.date, *, limit: int
) -> tuple[list[CheckDue], dict[int, int]]:
    """Seekers out of contact (as :func:`inactive_seekers`) whose employment status is
    still to be checked, over several programs at once (the staff home): no postcard or
    unanswered call has been logged since the day of their last contact, or the latest
    was ``unreachable`` more than :data:`RECHECK_DAYS` days before ``on``. A postcard
    whose reply gave a status (working, searching, stopped) takes the seeker off this
    list until their next contact; a call that reached them is that contact.

    ``programs`` are (program, narrowing) pairs like :func:`inactive_in_programs`'s.
    Returns the ``limit`` oldest contacts and the count per program id: two queries,
    whatever the number of programs and seekers (:func:`followup_overview`)."""
    overview = followup_overview(programs, on, limit=limit)
    return overview.due, overview.due_counts


def seeker_checks(program: Program, seeker: Seeker) -> QuerySet[InactivityCheck]:
    """One seeker's checks, newest first, with who made them."""
    return (
        InactivityCheck.objects.filter(program=program, seeker=seeker)
        .select_related("checked_by")
        .order_by("-done_on", "-id")
    )


def count_check_results(
    programs: Sequence[Program], start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """For the reports: how many checks done from ``start`` to ``end`` (both included)
    found each status, per program id — ``{program_id: {"working": 3, ...}}``, every
    status present (0 when none). One query."""
    counts: dict[int, dict[str, int]] = {
        p.pk: dict.fromkeys(EmploymentStatus.values, 0) for p in programs
    }
    rows = (
        InactivityCheck.objects.filter(
            program_id__in=list(counts), done_on__gte=start, done_on__lte=end
        )
        .order_by()
        .values("program_id", "result")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["program_id"]][row["result"]] = row["n"]
    return counts


@dataclass(frozen=True)
class FoundStatus:
    result: str
    method: str
    done_on: dt.date


def latest_found_status(
    program: Program, *, on: dt.date | None = None, seekers: QuerySet[Seeker] | None = None
) -> dict[int, FoundStatus]:
    """For 就職確認 and the reports: each seeker's latest employment status found by a
    check done on or before ``on`` (default: any), ``unreachable`` results skipped —
    ``{seeker_id: FoundStatus}``. One query."""
    checks = InactivityCheck.objects.filter(program=program).exclude(
        result=EmploymentStatus.UNREACHABLE
    )
    if on is not None:
        checks = checks.filter(done_on__lte=on)
    if seekers is not None:
        checks = checks.filter(seeker__in=seekers)
    found: dict[int, FoundStatus] = {}
    rows = checks.order_by("seeker_id", "-done_on", "-id").values_list(
        "seeker_id", "result", "method", "done_on"
    )
    for seeker_id, result, method, done_on in rows:
        if seeker_id not in found:
            found[seeker_id] = FoundStatus(result=result, method=method, done_on=done_on)
    return found


# --- sharing and referrals (the case page) ----------------------------------------------------


def active_shares(case: Case) -> list[CaseShare]:
    """The case's shares not ended, oldest first, with who shares and with whom."""
    return list(
        CaseShare.objects.filter(case=case, ended_at__isnull=True)
        .select_related("shared_with", "shared_by")
        .order_by("created_at", "id")
    )


_KIND_ORDER = {kind: index for index, kind in enumerate(SupportBodyKind.values)}


def support_bodies_for(program_id: int, area_id: int | None) -> list[SupportBody]:
    """The program's public support bodies that serve ``area_id`` (those for every area
    included), by kind in :class:`SupportBodyKind` order, then preset order. Without an
    area (the seeker gave none): every body of the program. One query."""
    bodies = SupportBody.objects.filter(program_id=program_id)
    if area_id is not None:
        bodies = bodies.filter(Q(areas=area_id) | Q(areas__isnull=True)).distinct()
    return sorted(bodies, key=lambda b: (_KIND_ORDER.get(b.kind, 99), b.pk))


@dataclass(frozen=True)
class ReferralHint:
    """A record that suggests a referral: its start and why (topics, words)."""

    started_at: dt.datetime
    topics: tuple[str, ...]
    words: tuple[str, ...]


@dataclass(frozen=True)
class ReferralPanel:
    hints: list[ReferralHint]
    bodies: list[SupportBody]
    referrals: list[SupportReferral]

    @property
    def suggested(self) -> bool:
        return bool(self.hints)


def record_hint(record: ConsultationRecord) -> ReferralHint | None:
    """Why ``record`` suggests a referral (a topic marked ``suggests_referral`` in the
    preset, or hardship words in its notes or next action), or None. The record's topics
    should be prefetched."""
    if record.attendance != Attendance.ATTENDED:
        return None
    topics = tuple(t.name for t in record.topics.all() if t.suggests_referral)
    words = tuple(hardship_words(record.notes, record.next_action))
    if not topics and not words:
        return None
    return ReferralHint(started_at=record.started_at, topics=topics, words=words)


def referral_panel(case: Case, records: Sequence[ConsultationRecord]) -> ReferralPanel:
    """The case page's referral section. ``records`` are the case's records as the page
    shows them (topics prefetched). A record suggests a referral until a referral is
    recorded on or after its (Japanese) day. Two queries (referrals, bodies)."""
    referrals = list(
        SupportReferral.objects.filter(case=case)
        .select_related("body", "referred_by", "outcome_by")
        .order_by("-referred_on", "-id")
    )
    last = max((r.referred_on for r in referrals), default=None)
    hints = []
    for record in records:
        if last is not None and record.started_at.astimezone(TOKYO).date() <= last:
            continue
        hint = record_hint(record)
        if hint is not None:
            hints.append(hint)
    bodies = support_bodies_for(case.program_id, case.seeker.area_id)
    return ReferralPanel(hints=hints, bodies=bodies, referrals=referrals)


def _body_label(body: SupportBody) -> str:
    return f"{body.name}（{body.get_kind_display()}）"


def referral_body_choices(
    program_id: int, area_id: int | None, near: Sequence[SupportBody]
) -> list[tuple[str, list[tuple[int, str]]]]:
    """The referral form's bodies: ``near`` (those of the seeker's area, from
    :func:`support_bodies_for`) first, then the rest of the program's, each labelled
    with its kind. One query."""
    if area_id is None:
        return [(_("この事業の公的支援機関"), [(b.pk, _body_label(b)) for b in near])]
    near_ids = {b.pk for b in near}
    rest = [
        b
        for b in SupportBody.objects.filter(program_id=program_id).order_by("id")
        if b.pk not in near_ids
    ]
    groups = [(_("お住まいの地域の機関"), [(b.pk, _body_label(b)) for b in near])]
    if rest:
        groups.append((_("その他の地域の機関"), [(b.pk, _body_label(b)) for b in rest]))
    return groups
