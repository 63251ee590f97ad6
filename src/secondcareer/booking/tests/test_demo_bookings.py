"""``seed-demo``'s roster and booking history obey the same rules as real bookings."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction

from secondcareer.booking import demo as booking_demo
from secondcareer.booking.models import Reservation, ReservationStatus, SlotCounter
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.programs.models import Program, Venue
from secondcareer.programs.services import program_load_preset
from secondcareer.scheduling.models import ShiftPattern
from secondcareer.scheduling.selectors import program_calendar, roster_for
from secondcareer.scheduling.slots import Slot, generate_slots

TODAY = dt.date(2026, 6, 15)  # a Monday
REFERENCE = dt.datetime.combine(TODAY, dt.time(0), tzinfo=TOKYO)
HISTORY = 75  # days: every weekly pattern several times over, quick to seed
SEEKERS = 70
FINAL = {ReservationStatus.ATTENDED, ReservationStatus.NO_SHOW, ReservationStatus.CANCELLED}


def _seed(slug: str) -> str:
    out = io.StringIO()
    call_command(
        "seed-demo", program=slug, seekers=SEEKERS, seed=7, today=TODAY.isoformat(), stdout=out
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded_programs(django_db_setup: None, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Both presets seeded once for the whole module, inside a transaction that is rolled
    back at the end (each test runs in a savepoint inside it)."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(booking_demo, "HISTORY_DAYS", HISTORY)
        with transaction.atomic():
            for slug in ("saitama", "kobe"):
                program_load_preset(path_or_name=slug)
                _seed(slug)
            yield
            transaction.set_rollback(True)


@pytest.fixture(params=["saitama", "kobe"])
def seeded(request: pytest.FixtureRequest, seeded_programs: None, db: None) -> Program:
    return Program.objects.get(slug=request.param)


def _active(program: Program) -> list[Reservation]:
    return list(
        Reservation.objects.filter(program=program)
        .exclude(status=ReservationStatus.CANCELLED)
        .order_by("starts_at")
    )


def _overlaps(rows: list[tuple[dt.datetime, dt.datetime]]) -> bool:
    rows = sorted(rows)
    return any(later[0] < earlier[1] for earlier, later in itertools.pairwise(rows))


def test_there_is_a_history_and_a_future(seeded: Program) -> None:
    reservations = Reservation.objects.filter(program=seeded)
    assert reservations.filter(starts_at__lt=REFERENCE).count() > 200
    assert reservations.filter(starts_at__gte=REFERENCE).count() > 20
    assert reservations.filter(starts_at__lt=REFERENCE - dt.timedelta(days=HISTORY - 7)).exists()
    assert not reservations.filter(starts_at__gte=REFERENCE + dt.timedelta(days=22)).exists()


def test_consultants_are_never_double_booked(seeded: Program) -> None:
    by_consultant: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for r in _active(seeded):
        if r.consultant_id:
            by_consultant[r.consultant_id].append((r.starts_at, r.ends_at))
    assert by_consultant, "the roster should put consultants on the bookings"
    assert not [c for c, rows in by_consultant.items() if _overlaps(rows)]


def test_seekers_are_never_in_two_places_and_book_only_after_registering(seeded: Program) -> None:
    by_seeker: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for r in Reservation.objects.filter(program=seeded).select_related("seeker"):
        assert r.created_at < r.starts_at
        assert r.created_at.astimezone(TOKYO).date() >= r.seeker.registered_on
        if r.status != ReservationStatus.CANCELLED:
            by_seeker[r.seeker_id].append((r.starts_at, r.ends_at))
    assert not [s for s, rows in by_seeker.items() if _overlaps(rows)]


def test_slot_capacities_are_respected(seeded: Program) -> None:
    first, last = TODAY - dt.timedelta(days=HISTORY), TODAY + dt.timedelta(days=21)
    slots = {
        s.key: s
        for s in generate_slots(
            program_calendar(seeded), first, last, roster=roster_for(seeded, first, last)
        )
    }
    held = Counter((r.service_id, r.venue_id, r.starts_at) for r in _active(seeded))
    assert held
    for key, count in held.items():
        assert key in slots, "every booking is in a real slot"
        assert count <= slots[key].capacity
    for counter in SlotCounter.objects.filter(service__program=seeded):
        assert counter.held <= counter.capacity
        venue_id = int(counter.place[1:]) if counter.place != "remote" else None
        assert counter.held == held[(counter.service_id, venue_id, counter.starts_at)]


def test_past_bookings_have_final_statuses_and_future_ones_are_confirmed(seeded: Program) -> None:
    reservations = Reservation.objects.filter(program=seeded)
    past = Counter(reservations.filter(starts_at__lt=REFERENCE).values_list("status", flat=True))
    future = set(reservations.filter(starts_at__gte=REFERENCE).values_list("status", flat=True))
    assert set(past) <= FINAL
    assert future == {ReservationStatus.CONFIRMED}
    total = past.total()
    assert 0.75 <= past[ReservationStatus.ATTENDED] / total <= 0.93
    assert 0.01 <= past[ReservationStatus.NO_SHOW] / total <= 0.10
    assert 0.05 <= past[ReservationStatus.CANCELLED] / total <= 0.16


def test_channels_are_mixed_the_way_each_program_books(seeded: Program) -> None:
    channels = Counter(Reservation.objects.filter(program=seeded).values_list("channel", flat=True))
    assert len(channels) >= 3
    top = channels.most_common(1)[0][0]
    if seeded.slug == "kobe":
        assert top == "line" and channels["phone"] > 0 and channels["web"] > 0
    else:
        assert top == "phone" and channels["walk_in"] > 0 and channels["web"] > 0
        assert channels["line"] == 0  # Saitama's chatbot does not take bookings


def test_the_roster_never_puts_a_consultant_in_two_places(seeded: Program) -> None:
    shifts: dict[tuple[int, int], list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for p in ShiftPattern.objects.filter(program=seeded):
        assert p.valid_from == TODAY - dt.timedelta(days=365)
        shifts[(p.consultant_id, p.weekday)].append((p.start, p.end))
    assert shifts
    assert not [k for k, rows in shifts.items() if _overlaps(rows)]  # type: ignore[arg-type]
    days_a_week = Counter(consultant for consultant, _ in shifts)
    assert max(days_a_week.values()) <= 5


def test_saitama_covers_every_venue_day_and_every_area_with_two_consultants(
    seeded_programs: None, db: None
) -> None:
    program = Program.objects.get(slug="saitama")
    patterns = list(ShiftPattern.objects.filter(program=program).select_related("venue__area"))
    assert {(p.start, p.end) for p in patterns} == {(dt.time(9, 45), dt.time(16, 15))}
    covered = Counter((p.venue_id, p.weekday) for p in patterns)
    for venue in Venue.objects.filter(program=program, days__isnull=False).distinct():
        for day in venue.days.all():
            assert 1 <= covered[(venue.pk, day.weekday)] <= 2, (venue.code, day.weekday)
    per_area: dict[str, set[int]] = defaultdict(set)
    for p in patterns:
        assert p.venue is not None
        per_area[p.venue.area.code].add(p.consultant_id)
    assert all(len(people) >= 2 for area, people in per_area.items() if area != "chichibu")
    chichibu = [p for p in patterns if p.venue and p.venue.code.startswith("chichibu")]
    assert chichibu and all(p.nth == [1, 3] for p in chichibu)


def test_kobe_staffs_the_desk_on_weekdays_and_two_online_shifts_every_day(
    seeded_programs: None, db: None
) -> None:
    program = Program.objects.get(slug="kobe")
    patterns = list(ShiftPattern.objects.filter(program=program).select_related("service"))
    desk = Counter(p.weekday for p in patterns if p.venue_id)
    assert desk == Counter({0: 1, 1: 1, 2: 1, 3: 1, 4: 1})
    assert {(p.start, p.end) for p in patterns if p.venue_id} == {(dt.time(10), dt.time(17))}
    for weekday in range(7):
        online = [p for p in patterns if p.service_id and p.weekday == weekday]
        hours = sorted({(p.start, p.end) for p in online})
        closes = dt.time(21) if weekday < 5 else dt.time(18)
        assert len(hours) == 2, weekday
        assert hours[0][0] == dt.time(9) and hours[0][1] == hours[1][0] and hours[1][1] == closes
        assert 2 <= len({p.consultant_id for p in online}) <= 3


def test_seeding_again_adds_no_bookings(seeded: Program) -> None:
    before = Reservation.objects.filter(program=seeded).count()
    output = _seed(seeded.slug)
    assert Reservation.objects.filter(program=seeded).count() == before
    assert "already has bookings" in output


def test_the_plan_is_the_same_for_the_same_seed() -> None:
    day = dt.date(2026, 6, 1)
    seekers = [(i, day - dt.timedelta(days=i), None) for i in range(1, 40)]
    slots = [
        Slot(
            service_id=1,
            service_code="online",
            methods=("chat", "phone", "video"),
            venue_id=None,
            venue_name=None,
            start=dt.datetime.combine(day + dt.timedelta(days=d), dt.time(h), tzinfo=TOKYO),
            end=dt.datetime.combine(day + dt.timedelta(days=d), dt.time(h + 1), tzinfo=TOKYO),
            capacity=2,
        )
        for d in range(-30, 20)
        for h in range(9, 18)
    ]

    def plan(seed: int) -> list[tuple[int, str, str, str, dt.datetime]]:
        return [
            (p.seeker_id, p.channel, p.method, p.outcome, p.booked_at)
            for p in booking_demo.plan_bookings(
                slots,
                seekers,
                rng=random.Random(seed),
                today=day,
                chat_first=True,
                venue_areas={},
                kinds={},
            )
        ]

    first = plan(1)
    assert first and first == plan(1) and first != plan(2)
    assert all(
        booked_at < slot.start
        for slot, (*_, booked_at) in zip(
            [
                p.slot
                for p in booking_demo.plan_bookings(
                    slots,
                    seekers,
                    rng=random.Random(1),
                    today=day,
                    chat_first=True,
                    venue_areas={},
                    kinds={},
                )
            ],
            first,
            strict=True,
        )
    )
