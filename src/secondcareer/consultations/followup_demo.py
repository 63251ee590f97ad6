"""Demo data for the inactivity follow-up (Saitama 2(2)ケ): a year of phone calls and
postcards to seekers who had been out of contact for the preset's months at the time,
with the employment status each found.

Run by ``secondcareer seed-demo`` after the case records and chats (every contact
source is in by then), for programs whose preset sets ``inactivity_followup_months``
(Kobe sets none: no checks). For each seeker the contacts (attended consultations,
kept bookings, chat messages) are walked in order; whenever a gap reached the months,
someone from reception, the seeker's consultant or a manager called within two weeks of
the seeker falling due (a postcard for those without a phone). A call that got through
is a contact and starts the next gap; one that did not is followed, some weeks later,
by a postcard, whose reply sometimes gives the status. The most recent gaps are left
partly unchecked, so the staff home has checks due.

Bulk inserts, from the context's seeded generator and the reference day: the same seed
and day give the same data, whatever the hour it runs.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from secondcareer.booking.models import Reservation, ReservationStatus
from secondcareer.consultations.models import (
    Attendance,
    Case,
    CheckMethod,
    ConsultationRecord,
    EmploymentStatus,
    InactivityCheck,
)
from secondcareer.consultations.selectors import RECHECK_DAYS, due_from, with_last_contact
from secondcareer.core.demodata import DemoContext, demo_seeder
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.people.models import Seeker, SeekerStatus, User

NO_CONTACT = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)  # what with_last_contact gives for none
CALLED_WITHIN_DAYS = 14  # a seeker falling due is called within two weeks …
MISSED_SHARE = 0.15  # … except these, who wait for the next round (or are still due)
PHONE_RESULTS = (  # what a call finds
    (EmploymentStatus.UNREACHABLE, 35),
    (EmploymentStatus.WORKING, 28),
    (EmploymentStatus.SEARCHING, 27),
    (EmploymentStatus.STOPPED, 10),
)
POSTCARD_REPLY_SHARE = 0.4  # postcards whose reply came back with a status
REPLY_RESULTS = (
    (EmploymentStatus.WORKING, 45),
    (EmploymentStatus.SEARCHING, 35),
    (EmploymentStatus.STOPPED, 20),
)
EMPLOYERS = (
    "市内のスーパー（品出し、週3日）",
    "マンション管理会社（管理員）",
    "介護施設（送迎補助）",
    "学童保育（補助員、午後のみ）",
    "清掃会社（オフィス清掃、早朝）",
)
NEXT_ACTIONS = {
    EmploymentStatus.WORKING: ("就職確認として記録。困りごとがあれば連絡するよう案内",),
    EmploymentStatus.SEARCHING: (
        "面接会の案内を郵送する",
        "セミナーの日程を案内。予約は電話で受ける",
        "次回相談の予約を勧めた",
    ),
    EmploymentStatus.STOPPED: ("家族の介護のため休止中。落ち着いたら連絡をもらう",),
    EmploymentStatus.UNREACHABLE: ("はがきで状況を確認する", ""),
}


@dataclass(frozen=True)
class PlannedCheck:
    seeker_id: int
    method: str
    result: str
    done_on: dt.date
    due_on: dt.date
    last_contact_on: dt.date


def _weighted(rng: random.Random, table: Sequence[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def plan_checks(
    contacts: Sequence[dt.date],
    *,
    seeker_id: int,
    has_phone: bool,
    months: int,
    today: dt.date,
    rng: random.Random,
) -> list[PlannedCheck]:
    """The calls and postcards to one seeker whose contacts (Japanese days) are
    ``contacts``: only in the gaps where they were out of contact, never on or after
    ``today``. A call that got through is a contact (it starts the next gap). Pure."""
    days = sorted(set(contacts))
    if not days:
        return []
    planned: list[PlannedCheck] = []
    last = days[0]
    while True:
        later = [d for d in days if d > last]
        end = min(later[0], today) if later else today  # out of contact until then
        due = due_from(last, months)
        call_on = due + dt.timedelta(days=rng.randint(0, CALLED_WITHIN_DAYS))
        if due >= end or call_on >= end or rng.random() < MISSED_SHARE:
            if not later or later[0] >= today:
                break
            last = later[0]
            continue
        method = CheckMethod.PHONE if has_phone else CheckMethod.POSTCARD
        if method == CheckMethod.PHONE:
            result = _weighted(rng, PHONE_RESULTS)
        else:
            result = (
                _weighted(rng, REPLY_RESULTS)
                if rng.random() < POSTCARD_REPLY_SHARE
                else EmploymentStatus.UNREACHABLE
            )
        planned.append(PlannedCheck(seeker_id, method, result, call_on, due, last))
        if method == CheckMethod.PHONE and result != EmploymentStatus.UNREACHABLE:
            last = call_on  # reached: a contact on that day
            continue
        if method == CheckMethod.PHONE:  # no answer: a postcard some weeks later
            card_on = call_on + dt.timedelta(days=rng.randint(7, RECHECK_DAYS))
            if card_on < end:
                reply = rng.random() < POSTCARD_REPLY_SHARE
                planned.append(
                    PlannedCheck(
                        seeker_id,
                        CheckMethod.POSTCARD,
                        _weighted(rng, REPLY_RESULTS) if reply else EmploymentStatus.UNREACHABLE,
                        card_on,
                        due,
                        last,
                    )
                )
        if not later or later[0] >= today:
            break
        last = later[0]
    return planned


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, TOKYO).date()


def _contacts(program_id: int, today: dt.date) -> dict[int, list[dt.date]]:
    """Each seeker's contact days before ``today`` (three queries): every attended
    consultation and kept booking, and the latest contact of any source (the chat's
    messages come after a seeker's last consultation in the demo)."""
    before = dt.datetime.combine(today, dt.time(0), TOKYO)
    days: dict[int, list[dt.date]] = defaultdict(list)
    records = ConsultationRecord.objects.filter(
        program_id=program_id, attendance=Attendance.ATTENDED, started_at__lt=before
    ).values_list("seeker_id", "started_at")
    bookings = (
        Reservation.objects.filter(program_id=program_id, starts_at__lt=before)
        .exclude(status__in=[ReservationStatus.CANCELLED, ReservationStatus.NO_SHOW])
        .values_list("seeker_id", "starts_at")
    )
    # Other apps' contacts (the chat, above this app) through the registry of contact
    # sources: each seeker's latest contact of any kind (one query).
    latest = (
        with_last_contact(Seeker.objects.filter(program_id=program_id))
        .filter(last_contact_at__lt=before, last_contact_at__gt=NO_CONTACT)
        .values_list("pk", "last_contact_at")
    )
    sources = [records, bookings, latest]
    for rows in sources:
        for seeker_id, moment in rows:
            days[seeker_id].append(_local_day(moment))
    return days


@demo_seeder(order=80, name="consultations.followup")
def seed_followup(ctx: DemoContext) -> None:
    program = ctx.program
    months = program.inactivity_followup_months
    if not months:
        ctx.log("consultations.followup: the program has no inactivity follow-up; nothing added")
        return
    if InactivityCheck.objects.filter(program=program).exists():
        ctx.log("consultations.followup: the program already has checks; nothing added")
        return
    today = ctx.shared.get("today")
    if not isinstance(today, dt.date):
        today = timezone.localdate(timezone=TOKYO)
    rng = ctx.rng("consultations.followup")
    names = [*ctx.shared.get("receptionists", []), *ctx.shared.get("managers", [])]
    callers = list(
        User.objects.filter(username__in=names).order_by("pk").values_list("pk", flat=True)
    )
    phones = dict(
        Seeker.objects.filter(program=program)
        .exclude(status=SeekerStatus.WITHDRAWN)
        .values_list("pk", "phone")
    )
    cases: dict[int, list[tuple[int, dt.date, dt.date | None, int | None]]] = defaultdict(list)
    for pk, seeker_id, opened, closed, consultant in Case.objects.filter(
        program=program
    ).values_list("pk", "seeker_id", "opened_on", "closed_on", "consultant_id"):
        cases[seeker_id].append((pk, opened, closed, consultant))
    rows: list[InactivityCheck] = []
    for seeker_id, days in sorted(_contacts(program.pk, today).items()):
        if seeker_id not in phones:
            continue  # withdrawn
        for plan in plan_checks(
            days,
            seeker_id=seeker_id,
            has_phone=bool(phones[seeker_id].strip()),
            months=months,
            today=today,
            rng=rng,
        ):
            case = next(
                (
                    c
                    for c in cases[seeker_id]
                    if c[1] <= plan.done_on and (c[2] is None or c[2] >= plan.done_on)
                ),
                None,
            )
            pool = [*callers, *([case[3]] if case and case[3] else [])]
            reached = (
                plan.method == CheckMethod.PHONE and plan.result != EmploymentStatus.UNREACHABLE
            )
            rows.append(
                InactivityCheck(
                    program=program,
                    seeker_id=seeker_id,
                    case_id=case[0] if case else None,
                    method=plan.method,
                    result=plan.result,
                    done_on=plan.done_on,
                    due_on=plan.due_on,
                    last_contact_on=plan.last_contact_on,
                    reached_at=dt.datetime.combine(plan.done_on, dt.time(0), TOKYO)
                    if reached
                    else None,
                    employer_note=rng.choice(EMPLOYERS)
                    if plan.result == EmploymentStatus.WORKING
                    else "",
                    next_action=rng.choice(NEXT_ACTIONS[EmploymentStatus(plan.result)]),
                    checked_by_id=rng.choice(pool) if pool else None,
                )
            )
    InactivityCheck.objects.bulk_create(rows, batch_size=2000)
    found = sum(1 for r in rows if r.result != EmploymentStatus.UNREACHABLE)
    ctx.log(
        f"consultations.followup: {len(rows)} calls and postcards "
        f"({sum(1 for r in rows if r.method == CheckMethod.POSTCARD)} postcards, "
        f"{found} found the employment status)"
    )
