"""Demo data for booking: a year of consultation history and the next three weeks.

Run by ``secondcareer seed-demo`` after the roster (``scheduling.roster``). The
bookings are planned here (pure) and stored through
:func:`~secondcareer.booking.services.reservations_import`, which checks every one as
:func:`~secondcareer.booking.services.reservation_create` checks a booking made at that
moment (a few hours to a few weeks before the slot) — the slot and its roster, the
booking policy, the seat, no overlap for the seeker, a free consultant on duty — and
keeps the seat counters equal to the bookings, in a few statements for all of them.
Past bookings were attended (~85 %), missed (~5 %) or cancelled beforehand (~10 %).

Realism, all from the context's seeded generator:

- each day fills 40–70 % of its seats (the coming three weeks a little less the
  further out they are); early in the history fewer people are registered yet, so the
  first months are quieter, as in a programme's first year;
- channels follow the programme: where the LINE chatbot takes bookings day and night
  (Kobe) most come by LINE, some by phone, web or at the desk; elsewhere (Saitama)
  mostly by phone or at the venue, some on the web;
- a seeker comes back after one to four weeks, only after registering, and at Saitama's
  venues mostly the venue of their own municipality; a third stop coming at some point
  (so some have had no contact for three months and more);
- the reference moment is the start of ``ctx.shared["today"]`` (Asia/Tokyo), so the
  same seed and date give the same data whatever the hour it runs: every booking was
  made, cancelled or marked before it (so before the moment the demo runs, whatever
  its hour), bookings of slots before it have their outcome, and the bookings of the
  reference day and the three weeks after it are confirmed — today's as they are in
  the morning, before anyone has been marked, tomorrow's for the day-before reminders
  and reception's call list.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from django.db.models import Min
from django.utils import timezone

from secondcareer.booking.models import Channel, Reservation, Topic
from secondcareer.booking.services import ReservationImport, reservations_import
from secondcareer.core.demodata import DemoContext, demo_seeder
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.people.models import ConsentRecord, Seeker, User
from secondcareer.programs.models import ConsultationKind, Program, Service, Venue
from secondcareer.scheduling.selectors import program_calendar, roster_for
from secondcareer.scheduling.slots import Slot, generate_slots

HISTORY_DAYS = 365
FUTURE_DAYS = 21
FILL = (0.40, 0.70)
RETURN_AFTER_DAYS = (5, 28)
LOCAL_SHARE = 0.7  # at a venue, the share of seekers from the venue's own area
# A third of the people stop coming at some point after registering (a job found, or
# they lose touch): the inactivity follow-up's list. The rest come until today.
DROP_OUT_SHARE = 0.33

Weights = Sequence[tuple[str, float]]

# Where bookings come from. Kobe's chatbot books 24/7 (Ⅲ-1①); Saitama books through
# the reception phone line and at the venues (2(2)コ(イ)c).
CHAT_FIRST: Weights = (("line", 68), ("phone", 18), ("web", 9), ("walk_in", 5))
PHONE_FIRST: Weights = (("phone", 57), ("walk_in", 28), ("web", 15))
# Remote consultations are booked from home: no desk.
REMOTE_CHAT_FIRST: Weights = (("line", 72), ("phone", 19), ("web", 9))
REMOTE_PHONE_FIRST: Weights = (("phone", 75), ("web", 25))

REMOTE_METHODS: dict[str, Weights] = {
    "line": (("chat", 55), ("video", 25), ("phone", 20)),
    "web": (("video", 45), ("chat", 35), ("phone", 20)),
    "phone": (("phone", 70), ("video", 20), ("chat", 10)),
}
# How long before the slot a booking is made, by channel: (min, mean) days.
LEAD_DAYS: dict[str, tuple[float, float]] = {
    "line": (0.1, 4.0),
    "web": (0.2, 6.0),
    "phone": (0.5, 7.0),
    "walk_in": (7.0, 14.0),  # the next appointment, booked at the end of a visit
}
TOPICS: Weights = (
    (Topic.JOB_SEARCH, 40),
    (Topic.LIFE_CAREER, 20),
    (Topic.DOCUMENTS, 14),
    (Topic.INTERVIEW, 10),
    (Topic.PENSION_WORK, 8),
    (Topic.RETENTION, 5),
    (Topic.OTHER, 3),
)
KIND_WEIGHTS = {"life_career": 55, "job_referral": 35, "retention_followup": 10}
OUTCOMES: Weights = (("attended", 85), ("no_show", 5), ("cancelled", 10))


def _pick(rng: random.Random, weights: Weights) -> str:
    values = [v for v, _ in weights]
    return rng.choices(values, weights=[w for _, w in weights])[0]


@dataclass
class _Pool:
    """Seekers in registration order with a cumulative activity weight, so "someone
    registered by this date" is a prefix and a weighted pick is one bisect."""

    ids: list[int] = field(default_factory=list)
    registered: list[dt.date] = field(default_factory=list)
    cumulative: list[float] = field(default_factory=list)

    def pick(self, rng: random.Random, by: dt.date) -> int | None:
        n = bisect.bisect_right(self.registered, by)
        if n == 0:
            return None
        point = rng.random() * self.cumulative[n - 1]
        return self.ids[min(bisect.bisect_right(self.cumulative, point, 0, n), n - 1)]


def _pools(
    rows: Sequence[tuple[int, dt.date, int | None]], rng: random.Random
) -> tuple[_Pool, dict[int, _Pool]]:
    """All seekers and seekers per area. Some people come often, most a few times."""
    rows = sorted(rows, key=lambda r: (r[1], r[0]))
    weight = {pk: rng.lognormvariate(0, 0.8) for pk, _, _ in rows}
    everyone = _Pool()
    by_area: dict[int, _Pool] = defaultdict(_Pool)
    for pk, registered_on, area_id in rows:
        pools = [everyone] + ([by_area[area_id]] if area_id is not None else [])
        for pool in pools:
            pool.ids.append(pk)
            pool.registered.append(registered_on)
    for pool in [everyone, *by_area.values()]:
        pool.cumulative = list(accumulate(weight[pk] for pk in pool.ids))
    return everyone, dict(by_area)


@dataclass
class _Plan:
    """One booking to make: who, which slot, how, and what became of it."""

    slot: Slot
    seeker_id: int
    channel: str
    method: str
    booked_at: dt.datetime
    outcome: str  # confirmed | attended | no_show | cancelled
    cancelled_at: dt.datetime | None = None
    marked_at: dt.datetime | None = None  # attended / no_show: recorded after the slot
    topic: str = ""
    kind_code: str | None = None


def _booked_at(
    rng: random.Random,
    slot: Slot,
    channel: str,
    registered_at: dt.datetime,
    latest: dt.datetime,
) -> dt.datetime | None:
    """When the booking was made: before the slot (two hours at least), after the
    registration, never after ``latest``; desk and phone in office hours."""
    low, mean = LEAD_DAYS[channel]
    lead = dt.timedelta(days=low + rng.expovariate(1 / max(mean - low, 0.1)))
    moment = (slot.start - lead).astimezone(TOKYO)
    if channel in ("phone", "walk_in"):
        moment = moment.replace(hour=rng.randint(9, 16), minute=rng.choice((0, 15, 30, 45)))
    elif moment.hour < 7:
        moment = moment.replace(hour=rng.randint(7, 23))
    moment = min(max(moment, registered_at), latest, slot.start - dt.timedelta(hours=2))
    if moment < registered_at or slot.start - moment > dt.timedelta(days=59):
        return None
    return moment


def plan_bookings(
    slots: Sequence[Slot],
    seekers: Sequence[tuple[int, dt.date, int | None]],
    *,
    registered_at: dict[int, dt.datetime] | None = None,
    rng: random.Random,
    today: dt.date,
    chat_first: bool,
    venue_areas: dict[int, int | None],
    kinds: dict[int, list[str]],
) -> list[_Plan]:
    """Which seats are taken, by whom, through which channel, and what happened (pure).
    ``registered_at``: when each seeker registered (default: 10:00 on the day).

    Time rule: every booking is made, cancelled or marked before the reference moment
    (the start of ``today`` in Asia/Tokyo); slots before it have their outcome, the
    others are confirmed."""
    if not seekers:
        return []
    everyone, by_area = _pools(seekers, rng)
    last_day = {
        pk: registered_on + dt.timedelta(days=rng.randint(0, max((today - registered_on).days, 0)))
        if rng.random() < DROP_OUT_SHARE
        else dt.date.max
        for pk, registered_on, _ in sorted(seekers)
    }
    reference = dt.datetime.combine(today, dt.time(0), tzinfo=TOKYO)
    registered = {
        pk: (registered_at or {}).get(pk) or dt.datetime.combine(day, dt.time(10), tzinfo=TOKYO)
        for pk, day, _ in seekers
    }
    next_ok: dict[int, dt.date] = {}
    by_day: dict[dt.date, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_day[slot.start.astimezone(TOKYO).date()].append(slot)
    plans: list[_Plan] = []
    for day in sorted(by_day):
        fill = rng.uniform(*FILL)
        if day >= today:
            fill *= 1 - 0.4 * (day - today).days / FUTURE_DAYS
        for slot in by_day[day]:
            for _seat in range(slot.capacity):
                if rng.random() >= fill:
                    continue
                remote = slot.venue_id is None
                weights = (
                    (REMOTE_CHAT_FIRST if chat_first else REMOTE_PHONE_FIRST)
                    if remote
                    else (CHAT_FIRST if chat_first else PHONE_FIRST)
                )
                channel = _pick(rng, weights)
                area = venue_areas.get(slot.venue_id) if slot.venue_id else None
                pool = by_area.get(area) if area is not None else None
                seeker_id = None
                for _attempt in range(12):
                    source = pool if pool and rng.random() < LOCAL_SHARE else everyone
                    candidate = source.pick(rng, day)
                    if (
                        candidate is not None
                        and next_ok.get(candidate, day) <= day
                        and day <= last_day[candidate]
                    ):
                        seeker_id = candidate
                        break
                if seeker_id is None:
                    continue
                booked_at = _booked_at(
                    rng, slot, channel, registered[seeker_id], reference - dt.timedelta(minutes=5)
                )
                if booked_at is None:
                    continue
                next_ok[seeker_id] = day + dt.timedelta(days=rng.randint(*RETURN_AFTER_DAYS))
                outcome = "confirmed" if slot.start >= reference else _pick(rng, OUTCOMES)
                cancelled_at = None
                if outcome == "cancelled":
                    room = max((slot.start - dt.timedelta(hours=3) - booked_at).total_seconds(), 60)
                    cancelled_at = min(
                        booked_at + dt.timedelta(seconds=rng.uniform(30, room)),
                        reference - dt.timedelta(minutes=1),
                    )
                method = (
                    _pick(rng, REMOTE_METHODS[channel])
                    if remote
                    else (slot.methods[0] if slot.methods else "in_person")
                )
                service_kinds = kinds.get(slot.service_id, [])
                kind_code = (
                    _pick(rng, [(k, KIND_WEIGHTS.get(k, 10)) for k in service_kinds])
                    if service_kinds
                    else None
                )
                marked_at = None
                if outcome in ("attended", "no_show"):
                    # Ten minutes after the slot, and before the reference moment.
                    marked_at = min(
                        slot.end + dt.timedelta(minutes=10),
                        max(slot.start, reference - dt.timedelta(minutes=1)),
                    )
                plans.append(
                    _Plan(
                        slot=slot,
                        seeker_id=seeker_id,
                        channel=channel,
                        method=method if method in slot.methods else slot.methods[0],
                        booked_at=booked_at,
                        outcome=outcome,
                        cancelled_at=cancelled_at,
                        marked_at=marked_at,
                        topic=_pick(rng, TOPICS) if rng.random() < 0.8 else "",
                        kind_code=kind_code,
                    )
                )
    return plans


def _users(usernames: Sequence[str]) -> list[User]:
    found = {u.username: u for u in User.objects.filter(username__in=usernames)}
    return [found[name] for name in usernames if name in found]


@demo_seeder(order=40, name="booking.reservations")
def seed_reservations(ctx: DemoContext) -> None:
    """A year of bookings and the coming three weeks (once per program)."""
    program: Program = ctx.program
    if Reservation.objects.filter(program=program).exists():
        ctx.log("booking.reservations: the program already has bookings; nothing added")
        return
    today = ctx.shared.get("today")
    if not isinstance(today, dt.date):
        today = timezone.localdate(timezone=TOKYO)
    first, last = today - dt.timedelta(days=HISTORY_DAYS), today + dt.timedelta(days=FUTURE_DAYS)
    slots = generate_slots(
        program_calendar(program), first, last, roster=roster_for(program, first, last)
    )
    seekers = list(
        Seeker.objects.filter(program=program).values_list("id", "registered_on", "area_id")
    )
    if not slots or not seekers:
        ctx.log("booking.reservations: no slots or no seekers; nothing added")
        return
    kinds: dict[int, list[str]] = defaultdict(list)
    for service_id, code in Service.kinds.through.objects.filter(
        service__program=program
    ).values_list("service_id", "consultationkind__code"):
        kinds[service_id].append(code)
    registered_at = dict(
        ConsentRecord.objects.filter(seeker__program=program)
        .values("seeker_id")
        .annotate(first=Min("at"))
        .values_list("seeker_id", "first")
    )
    plans = plan_bookings(
        slots,
        seekers,
        registered_at=registered_at,
        rng=ctx.rng("booking.reservations"),
        today=today,
        chat_first=program.chatbot_booking_always_open,
        venue_areas=dict(Venue.objects.filter(program=program).values_list("id", "area_id")),
        kinds=kinds,
    )
    kind_ids = dict(ConsultationKind.objects.filter(program=program).values_list("code", "pk"))
    reception = _users(ctx.shared.get("receptionists", []))
    rows = []
    for index, plan in enumerate(plans):
        desk = reception[index % len(reception)] if reception else None
        staffed = plan.channel in (Channel.PHONE, Channel.WALK_IN)
        closed_at = plan.cancelled_at if plan.outcome == "cancelled" else plan.marked_at
        rows.append(
            ReservationImport(
                seeker_id=plan.seeker_id,
                service_id=plan.slot.service_id,
                venue_id=plan.slot.venue_id,
                start=plan.slot.start,
                method=plan.method,
                channel=plan.channel,
                booked_at=plan.booked_at,
                booked_by=desk if staffed else None,
                kind_id=kind_ids.get(plan.kind_code) if plan.kind_code else None,
                topic=plan.topic,
                status=plan.outcome,
                closed_at=closed_at if plan.outcome != "confirmed" else None,
                # A cancellation is taken by phone at the desk; attendance and no-shows
                # are recorded by the booking's consultant.
                closed_by=desk if plan.outcome == "cancelled" else None,
            )
        )
    result = reservations_import(program=program, rows=rows)
    created = result.created
    outcomes: Counter[str] = Counter(r.status for r in created)
    refused: Counter[str] = Counter(error.code for _, error in result.refused)

    seats = sum(s.capacity for s in slots)
    channels = Counter(r.channel for r in created)
    ctx.log(
        f"booking.reservations: {len(created)} bookings in {seats} seats "
        f"({len(created) / max(seats, 1):.0%} booked) from {first.isoformat()} to {last.isoformat()}; "
        + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
        + "; channels "
        + ", ".join(f"{k} {v}" for k, v in channels.most_common())
        + (
            "; refused " + ", ".join(f"{k} {v}" for k, v in sorted(refused.items()))
            if refused
            else ""
        )
    )
