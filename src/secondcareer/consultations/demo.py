"""Demo data for case management: the records (カルテ) of a year of consultations, the
cases they opened, support plans with their versions, and the plan reviews; and (a
second seeder, ``consultations.followup``, at the end) the inactivity follow-up's calls
and postcards.

Run by ``secondcareer seed-demo`` after the bookings (``booking.reservations``). Every
past booking that was attended or missed gets its record, as the consultant would have
written it after the session (the kind, method, place and consultant of the booking;
topics from the booking's category and the talk; a short note with no personal data).
The first attended consultation of a seeker opens their case, anchored on that day, with
the consultant who held it; a few cases change consultant later (the history keeps
both). A plan is approved at the second consultation; where the program reviews plans
(Saitama: 3 months by the consultant, then 6, 9, … months by a manager), each review
that fell due before the reference day was done a few days either side of its date —
most by revising the plan, some by a recorded outcome — except a few that are still
open and so overdue, which is what the staff home shows. Seekers who stopped coming
more than half a year ago have their case closed in some cases.

Everything goes in with ``bulk_create`` (a few statements for the whole year), from the
context's seeded generator and the reference day, so the same seed and day give the same
data whatever the hour it runs.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from secondcareer.booking.models import Reservation, ReservationStatus
from secondcareer.consultations.models import (
    Attendance,
    Case,
    CaseAssignment,
    Channel,
    CheckMethod,
    ConsultationRecord,
    ConsultationTopic,
    EmploymentStatus,
    InactivityCheck,
    PlanStatus,
    RecordTopic,
    ReferralOutcome,
    Review,
    SupportBody,
    SupportPlan,
    SupportReferral,
)
from secondcareer.consultations.reviews import ReviewKind, review_due
from secondcareer.consultations.selectors import RECHECK_DAYS, due_from, with_last_contact
from secondcareer.core.demodata import DemoContext, demo_seeder
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.people.models import Seeker, SeekerStatus, User
from secondcareer.programs.choices import SupportBodyKind
from secondcareer.programs.models import ConsultationKind, Program, Service

# The booking's category → the record's first topic (the preset's taxonomy codes).
TOPIC_OF_CATEGORY = {
    "life_career": "work_wishes",
    "job_search": "job_search",
    "documents": "application_documents",
    "interview": "interview_practice",
    "retention": "workplace_trouble",
    "pension_work": "income_pension",
    "other": "other",
}
SECOND_TOPICS = ("skills", "health", "family_care", "income_pension", "job_search")
HARDSHIP_SHARE = 0.03  # records that touch on living hardship (referral suggestions)
NOTES = {
    "work_wishes": (
        "定年後の働き方について希望を整理。週3〜4日、午前中心の勤務を希望。",
        "これまでの経験を生かせる仕事を希望。体力面を考え、短時間勤務から始めたい意向。",
    ),
    "job_search": (
        "求人票の見方を説明し、希望条件に合う求人を一緒に検索。次回までに2件検討。",
        "ハローワーク求人と当センター求人を比較。通勤時間30分以内で探すことに。",
    ),
    "application_documents": (
        "履歴書の志望動機を添削。職務経歴書は経験を3点に絞って書き直す。",
        "職務経歴書の初稿を確認。実績を数字で示すよう助言。",
    ),
    "interview_practice": (
        "模擬面接を実施。退職理由と体力面の質問への答え方を練習。",
        "面接での自己紹介を1分にまとめる練習。表情と声の大きさは良好。",
    ),
    "workplace_trouble": (
        "就職後の職場の人間関係について相談。次回、状況を再確認する。",
        "勤務時間の変更について職場と話し合う方法を整理。",
    ),
    "income_pension": (
        "在職老齢年金の仕組みを説明。働き方と収入の目安を試算。",
        "年金と給与の関係を確認。週20時間未満の勤務を希望。",
    ),
    "other": ("近況を確認。特に大きな変化なし。",),
}
HARDSHIP_NOTE = "生活費の不足について相談あり。公的な相談窓口の案内を検討。"
NEXT_ACTIONS = (
    "求人を3件紹介する",
    "履歴書の修正版を確認する",
    "模擬面接の2回目",
    "応募結果を確認する",
    "",
)
GOALS = (
    "週3日程度、経験を生かせる事務・受付の仕事に就く",
    "体力に合った短時間の軽作業で働き始める",
    "介護・福祉分野の補助的な仕事に就く",
    "これまでの営業経験を生かした仕事に再就職する",
    "地域の施設管理・清掃の仕事に就く",
)
STEPS = (
    ("希望条件の整理", "応募書類の作成", "求人への応募", "面接対策"),
    ("適性の確認", "職場見学", "求人への応募"),
    ("必要な資格の確認", "講座の受講", "求人への応募"),
)
REASSIGN_SHARE = 0.05
CLOSE_AFTER_DAYS = 180  # no contact for half a year …
CLOSE_SHARE = 0.4  # … closes this share of those cases
REVIEW_DONE_SHARE = 0.85  # reviews that fell due: done; the rest are overdue
REVISE_AT_REVIEW_SHARE = 0.6  # a done review: by a plan revision, else an outcome


@dataclass
class Session:
    reservation_id: int | None
    seeker_id: int
    start: dt.datetime
    minutes: int
    method: str
    channel: str
    consultant_id: int | None
    kind_id: int
    category: str
    attended: bool


@dataclass
class _CasePlan:
    seeker_id: int
    consultant_id: int | None
    anchor: dt.date
    sessions_start: dt.datetime
    sessions: list[Session] = field(default_factory=list)
    closed_on: dt.date | None = None
    reassigned: tuple[dt.date, int] | None = None


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, TOKYO).date()


def _sessions(program: Program) -> list[Session]:
    """The past attended and missed bookings of the program, oldest first."""
    kinds = list(
        ConsultationKind.objects.filter(program=program).order_by("id").values_list("id", flat=True)
    )
    session_minutes = dict(
        Service.objects.filter(program=program).values_list("id", "session_minutes")
    )
    rows = (
        Reservation.objects.filter(
            program=program,
            status__in=(ReservationStatus.ATTENDED, ReservationStatus.NO_SHOW),
        )
        .order_by("starts_at", "id")
        .values_list(
            "id",
            "seeker_id",
            "starts_at",
            "ends_at",
            "method",
            "venue_id",
            "consultant_id",
            "kind_id",
            "topic",
            "status",
            "service_id",
        )
    )
    sessions = []
    for rid, seeker, start, end, method, venue, consultant, kind, topic, status, service in rows:
        slot = int((end - start).total_seconds() // 60)
        sessions.append(
            Session(
                reservation_id=rid,
                seeker_id=seeker,
                start=start,
                minutes=session_minutes.get(service) or slot,
                method=method,
                channel=Channel.VENUE if venue else Channel.ONLINE,
                consultant_id=consultant,
                kind_id=kind or kinds[0],
                category=topic,
                attended=status == ReservationStatus.ATTENDED,
            )
        )
    return sessions


def plan_cases(
    sessions: Sequence[Session], *, today: dt.date, rng: random.Random, consultants: Sequence[int]
) -> list[_CasePlan]:
    """One case per seeker with an attended consultation (pure)."""
    by_seeker: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        by_seeker[session.seeker_id].append(session)
    cases = []
    for seeker_id in sorted(by_seeker):
        own = by_seeker[seeker_id]
        attended = [s for s in own if s.attended]
        if not attended:
            continue
        first = attended[0]
        case = _CasePlan(
            seeker_id=seeker_id,
            consultant_id=first.consultant_id,
            anchor=_day(first.start),
            sessions_start=first.start,
        )
        case.sessions = list(own)
        last = _day(attended[-1].start)
        if (today - last).days > CLOSE_AFTER_DAYS and rng.random() < CLOSE_SHARE:
            case.closed_on = last + dt.timedelta(days=rng.randint(90, CLOSE_AFTER_DAYS - 1))
        if len(attended) > 2 and consultants and rng.random() < REASSIGN_SHARE:
            on = _day(attended[len(attended) // 2].start)
            others = [c for c in consultants if c != case.consultant_id]
            if others:
                case.reassigned = (on, rng.choice(others))
        cases.append(case)
    return cases


def _topics_for(rng: random.Random, category: str) -> list[str]:
    codes = [TOPIC_OF_CATEGORY.get(category) or rng.choice(tuple(TOPIC_OF_CATEGORY.values()))]
    if rng.random() < 0.4:
        extra = rng.choice(SECOND_TOPICS)
        if extra not in codes:
            codes.append(extra)
    if rng.random() < HARDSHIP_SHARE:
        codes.append("living_hardship")
    return codes


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), TOKYO)


@demo_seeder(order=50, name="consultations.history")
def seed_consultations(ctx: DemoContext) -> None:
    """Records, cases, plans and reviews for the program's past consultations."""
    program: Program = ctx.program
    if ConsultationRecord.objects.filter(program=program).exists():
        ctx.log("consultations.history: the program already has records; nothing added")
        return
    today = ctx.shared.get("today")
    if not isinstance(today, dt.date):
        today = timezone.localdate(timezone=TOKYO)
    rng = ctx.rng("consultations.history")
    users = {
        u.username: u.pk
        for u in User.objects.filter(
            username__in=[*ctx.shared.get("consultants", []), *ctx.shared.get("managers", [])]
        )
    }
    sessions = _sessions(program)
    if not sessions:
        ctx.log("consultations.history: no past consultations; nothing added")
        return
    ctx.log(
        "consultations.history: "
        + store_history(
            program,
            sessions,
            today=today,
            rng=rng,
            consultants=[users[n] for n in ctx.shared.get("consultants", []) if n in users],
            managers=[users[n] for n in ctx.shared.get("managers", []) if n in users],
        )
    )


def store_history(
    program: Program,
    sessions: Sequence[Session],
    *,
    today: dt.date,
    rng: random.Random,
    consultants: Sequence[int],
    managers: Sequence[int],
) -> str:
    """Store the records, cases, plans and reviews of ``sessions`` in bulk (also used by
    ``bench/bench_casework.py`` for its 60,000 records); returns a one-line summary."""
    plans = plan_cases(sessions, today=today, rng=rng, consultants=consultants)
    topic_ids = dict(ConsultationTopic.objects.filter(program=program).values_list("code", "pk"))
    schedule = list(program.plan_review_months or [])

    cases = Case.objects.bulk_create(
        [
            Case(
                program=program,
                seeker_id=p.seeker_id,
                consultant_id=p.reassigned[1] if p.reassigned else p.consultant_id,
                opened_on=p.anchor,
                anchor_on=p.anchor,
                closed_on=p.closed_on,
                close_reason="3か月以上連絡がなく、ご本人の意向を確認のうえ終結"
                if p.closed_on
                else "",
            )
            for p in plans
        ]
    )
    assignments: list[CaseAssignment] = []
    records: list[ConsultationRecord] = []
    record_topics: list[list[str]] = []
    plan_rows: list[SupportPlan] = []
    review_rows: list[Review] = []
    for case, p in zip(cases, plans, strict=True):
        assignments.append(
            CaseAssignment(case=case, consultant_id=p.consultant_id, assigned_at=_at(p.anchor, 9))
        )
        if p.reassigned:
            manager = managers[0] if managers else None
            assignments.append(
                CaseAssignment(
                    case=case,
                    consultant_id=p.reassigned[1],
                    assigned_at=_at(p.reassigned[0], 18),
                    assigned_by_id=manager,
                    note="担当者の勤務日の変更による",
                )
            )
        attended_days: list[dt.date] = []
        for session in p.sessions:
            day = _day(session.start)
            # A no-show before the first consultation or after closing has no case.
            in_case = session.start >= p.sessions_start and not (p.closed_on and day > p.closed_on)
            topics = _topics_for(rng, session.category) if session.attended else []
            note = ""
            if session.attended:
                first_topic = topics[0]
                note = rng.choice(NOTES.get(first_topic, NOTES["other"]))
                if "living_hardship" in topics:
                    note += HARDSHIP_NOTE
                attended_days.append(day)
            records.append(
                ConsultationRecord(
                    program=program,
                    seeker_id=p.seeker_id,
                    case=case if in_case else None,
                    reservation_id=session.reservation_id,
                    kind_id=session.kind_id,
                    method=session.method,
                    channel=session.channel,
                    consultant_id=session.consultant_id,
                    started_at=session.start,
                    minutes=session.minutes if session.attended else 0,
                    attendance=Attendance.ATTENDED if session.attended else Attendance.NO_SHOW,
                    notes=note,
                    next_action=rng.choice(NEXT_ACTIONS) if session.attended else "",
                    next_contact_on=(
                        day + dt.timedelta(days=rng.randint(14, 28))
                        if session.attended and rng.random() < 0.5
                        else None
                    ),
                    created_by_id=session.consultant_id,
                )
            )
            record_topics.append(topics)
        plan_rows_case, review_rows_case = _plans_and_reviews(
            case,
            p,
            attended_days=attended_days,
            schedule=schedule,
            today=today,
            rng=rng,
            managers=managers,
        )
        plan_rows.extend(plan_rows_case)
        review_rows.extend(review_rows_case)

    with_case = {p.seeker_id for p in plans}
    for session in sessions:  # seekers who never came: their no-shows only
        if session.seeker_id not in with_case:
            records.append(
                ConsultationRecord(
                    program=program,
                    seeker_id=session.seeker_id,
                    reservation_id=session.reservation_id,
                    kind_id=session.kind_id,
                    method=session.method,
                    channel=session.channel,
                    consultant_id=session.consultant_id,
                    started_at=session.start,
                    minutes=0,
                    attendance=Attendance.NO_SHOW,
                    created_by_id=session.consultant_id,
                )
            )
            record_topics.append([])
    CaseAssignment.objects.bulk_create(assignments, batch_size=2000)
    ConsultationRecord.objects.bulk_create(records, batch_size=2000)
    RecordTopic.objects.bulk_create(
        [
            RecordTopic(record=record, topic_id=topic_ids[code])
            for record, codes in zip(records, record_topics, strict=True)
            for code in codes
            if code in topic_ids
        ],
        batch_size=4000,
    )
    # Each superseded version leaves "approved" before the next enters it: insert in
    # version order so the one-current-plan index holds after every row.
    SupportPlan.objects.bulk_create(plan_rows, batch_size=2000)
    Review.objects.bulk_create(review_rows, batch_size=2000)
    overdue = sum(1 for r in review_rows if r.done_on is None and r.due_on < today)
    return (
        f"{len(records)} records "
        f"({sum(1 for r in records if r.attendance == Attendance.NO_SHOW)} no-shows), "
        f"{len(cases)} cases ({sum(1 for c in cases if c.closed_on)} closed), "
        f"{len(plan_rows)} plan versions, {len(review_rows)} reviews ({overdue} overdue)"
    )


def _plans_and_reviews(
    case: Case,
    p: _CasePlan,
    *,
    attended_days: Sequence[dt.date],
    schedule: Sequence[int],
    today: dt.date,
    rng: random.Random,
    managers: Sequence[int],
) -> tuple[list[SupportPlan], list[Review]]:
    plans: list[SupportPlan] = []
    reviews: list[Review] = []
    consultant = case.consultant_id
    goals = rng.choice(GOALS)
    steps = list(rng.choice(STEPS))
    if len(attended_days) >= 2:
        approved = attended_days[1]
        plans.append(
            SupportPlan(
                case=case,
                version=1,
                status=PlanStatus.APPROVED,
                goals=goals,
                steps=steps,
                target_on=p.anchor + dt.timedelta(days=365),
                created_by_id=consultant,
                approved_by_id=consultant,
                approved_on=approved,
            )
        )
    if not schedule:
        return plans, reviews
    end = p.closed_on or today
    number = 1
    while True:
        due = review_due(schedule, p.anchor, number)
        if due is None:
            break
        review = Review(
            case=case, number=number, months=due.months, kind=due.kind, due_on=due.due_on
        )
        reviews.append(review)
        if due.due_on >= end or rng.random() > REVIEW_DONE_SHARE or not plans:
            break  # the next one, or one left overdue: the open review
        done = min(due.due_on + dt.timedelta(days=rng.randint(-10, 7)), end - dt.timedelta(days=1))
        reviewer = consultant
        if due.kind == ReviewKind.MANAGER and managers:
            reviewer = rng.choice(managers)
        review.done_on = max(done, plans[-1].approved_on or done)
        review.done_by_id = reviewer
        if rng.random() < REVISE_AT_REVIEW_SHARE:
            current = plans[-1]
            current.status = PlanStatus.SUPERSEDED
            current.superseded_on = review.done_on
            revised = SupportPlan(
                case=case,
                version=current.version + 1,
                status=PlanStatus.APPROVED,
                goals=current.goals,
                steps=[*current.steps[1:], "就職後の定着支援"] if current.steps else steps,
                target_on=current.target_on,
                created_by_id=consultant,
                approved_by_id=reviewer,
                approved_on=review.done_on,
            )
            plans.append(revised)
            review.outcome = f"支援計画を第{revised.version}版に改訂"
            review.plan = revised
        else:
            review.outcome = "計画どおり進んでいることを確認。計画は継続。"
        number += 1
    return plans, reviews


# --- the inactivity follow-up --------------------------------------------------------------
# ``consultations.followup`` (Saitama 2(2)ケ): a year of phone calls and
# postcards to seekers who had been out of contact for the preset's months at the time,
# with the employment status each found.
#
# Run by ``secondcareer seed-demo`` after the case records and chats (every contact
# source is in by then), for programs whose preset sets ``inactivity_followup_months``
# (Kobe sets none: no checks). For each seeker the contacts (attended consultations,
# kept bookings, chat messages) are walked in order; whenever a gap reached the months,
# someone from reception, the seeker's consultant or a manager called within two weeks of
# the seeker falling due (a postcard for those without a phone). A call that got through
# is a contact and starts the next gap; one that did not is followed, some weeks later,
# by a postcard, whose reply sometimes gives the status. The most recent gaps are left
# partly unchecked, so the staff home has checks due.
#
# Bulk inserts, from the context's seeded generator and the reference day: the same seed
# and day give the same data, whatever the hour it runs.

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
CHECK_NEXT_ACTIONS = {
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
                    next_action=rng.choice(CHECK_NEXT_ACTIONS[EmploymentStatus(plan.result)]),
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


# --- referrals to public support bodies (Kobe Ⅲ-2) ----------------------------------------------

REFERRAL_SHARE = 0.6  # cases with a hardship record that were referred; the rest are suggestions
REFERRAL_OUTCOMES = (  # outcome → weight, for referrals old enough to have one
    (ReferralOutcome.CONNECTED, 55),
    (ReferralOutcome.DECLINED, 15),
    (ReferralOutcome.UNREACHABLE, 15),
    (ReferralOutcome.PENDING, 15),
)
REFERRAL_REASONS: dict[str, str] = {
    SupportBodyKind.SELF_RELIANCE: "生活費の不足と家賃の支払いについて相談あり。家計と住まいの相談のため紹介。",
    SupportBodyKind.COMMUNITY_CARE: "家族の介護の負担が大きく、働き方と両立できる支援の相談のため紹介。",
    SupportBodyKind.SOCIAL_WELFARE: "当面の生活資金について相談あり。生活福祉資金の相談のため紹介。",
}
REFERRAL_OUTCOME_NOTES: dict[str, str] = {
    ReferralOutcome.CONNECTED: "窓口で相談を受け、支援が始まったことを本人に確認。",
    ReferralOutcome.DECLINED: "本人が当面は自分で対応したいとのこと。次回の面談で様子を確認。",
    ReferralOutcome.UNREACHABLE: "紹介後、電話がつながらない。次回の面談で確認する。",
    ReferralOutcome.PENDING: "",
}


@demo_seeder(order=51, name="consultations.referrals")
def seed_referrals(ctx: DemoContext) -> None:
    """Referrals of the cases whose records touched on living hardship (a topic the
    preset marks ``suggests_referral``): most were referred to a body of the seeker's
    area a few days after that consultation, with mixed outcomes; the others are left
    as suggestions on the case page."""
    program: Program = ctx.program
    if SupportReferral.objects.filter(case__program=program).exists():
        ctx.log("consultations.referrals: the program already has referrals; nothing added")
        return
    today = ctx.shared.get("today")
    if not isinstance(today, dt.date):
        today = timezone.localdate(timezone=TOKYO)
    made = store_referrals(program, today=today, rng=ctx.rng("consultations.referrals"))
    ctx.log(f"consultations.referrals: {made} referrals")


def store_referrals(program: Program, *, today: dt.date, rng: random.Random) -> int:
    """Bulk-insert the demo referrals of ``program`` (four queries); returns how many."""
    first: dict[int, tuple[dt.datetime, int | None]] = {}
    for case_id, started, held_by in (
        RecordTopic.objects.filter(
            topic__program=program, topic__suggests_referral=True, record__case__isnull=False
        )
        .order_by("record__started_at", "record_id")
        .values_list("record__case_id", "record__started_at", "record__consultant_id")
    ):
        first.setdefault(case_id, (started, held_by))
    if not first:
        return 0
    bodies = list(SupportBody.objects.filter(program=program).prefetch_related("areas"))
    if not bodies:
        return 0
    served: dict[int | None, list[SupportBody]] = defaultdict(list)
    everywhere = [b for b in bodies if not b.areas.all()]
    for body in bodies:
        for area in body.areas.all():
            served[area.pk].append(body)
    cases = (
        Case.objects.filter(pk__in=first)
        .order_by("pk")
        .values_list("pk", "seeker__area_id", "closed_on")
    )
    rows = []
    for case_id, area_id, closed_on in cases:
        if rng.random() >= REFERRAL_SHARE:
            continue
        start, consultant = first[case_id]
        candidates = [
            b for b in served.get(area_id, []) + everywhere if b.kind in REFERRAL_REASONS
        ] or bodies
        body = rng.choice(candidates)
        last = min(today - dt.timedelta(days=1), closed_on or today)
        referred = min(_day(start) + dt.timedelta(days=rng.randint(0, 7)), last)
        if referred < _day(start):
            continue
        outcome, outcome_on = ReferralOutcome.PENDING, None
        if (today - referred).days > 14:
            outcome = rng.choices(
                [o for o, _w in REFERRAL_OUTCOMES], weights=[w for _o, w in REFERRAL_OUTCOMES]
            )[0]
            if outcome != ReferralOutcome.PENDING:
                outcome_on = min(referred + dt.timedelta(days=rng.randint(3, 30)), last)
                outcome_on = max(outcome_on, referred)
        rows.append(
            SupportReferral(
                case_id=case_id,
                body=body,
                reason=REFERRAL_REASONS.get(
                    body.kind, REFERRAL_REASONS[SupportBodyKind.SELF_RELIANCE]
                ),
                referred_on=referred,
                referred_by_id=consultant,
                outcome=outcome,
                outcome_on=outcome_on,
                outcome_note=REFERRAL_OUTCOME_NOTES[outcome],
                outcome_by_id=consultant if outcome_on else None,
            )
        )
    SupportReferral.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
