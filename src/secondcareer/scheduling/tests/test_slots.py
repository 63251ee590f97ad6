"""The pure slot generator, on hand-built rules (no database)."""

import datetime as dt

from secondcareer.scheduling.slots import (
    ClosureRule,
    ProgramCalendar,
    Roster,
    ServiceRule,
    Shift,
    Substitution,
    VenueRule,
    generate_slots,
    venue_dates,
)

T = dt.time
D = dt.date
SAITAMA_HOURS = {
    "weekday": ((T(10), T(12)), (T(13), T(16))),
    "saturday": ((T(10), T(12)), (T(13), T(16))),
}
TOKOROZAWA = VenueRule(
    id=1, code="tokorozawa", name="所沢地方庁舎", booths=1, days=((0, None), (1, None))
)
CHICHIBU = VenueRule(
    id=2, code="chichibu", name="秩父勤労者福祉センター", booths=1, days=((2, (1, 3)),)
)
LARK = VenueRule(
    id=3, code="lark", name="ラーク所沢", booths=2, days=((3, None), (4, None), (5, None))
)
CONSULTATION = ServiceRule(
    id=10,
    code="consultation",
    name="就職相談",
    methods=("in_person",),
    remote=False,
    slot_minutes=60,
    hours=SAITAMA_HOURS,
    venues=(TOKOROZAWA, CHICHIBU, LARK),
)
ONLINE = ServiceRule(
    id=20,
    code="online",
    name="オンライン相談",
    methods=("chat", "phone", "video"),
    remote=True,
    slot_minutes=60,
    hours={
        "weekday": ((T(9), T(21)),),
        "saturday": ((T(9), T(18)),),
        "sunday_holiday": ((T(9), T(18)),),
    },
)
HOLIDAYS = ClosureRule(kind="national_holidays")
YEAR_END = ClosureRule(kind="recurring", start_md=(12, 29), end_md=(1, 3))


def _calendar(*services, closures=(HOLIDAYS, YEAR_END), substitutions=()):
    return ProgramCalendar(services=services, closures=closures, substitutions=substitutions)


def _starts(slots, venue_id=None):
    return [s.start for s in slots if venue_id is None or s.venue_id == venue_id]


def test_first_and_third_wednesdays_come_from_rrule():
    assert sorted(venue_dates(CHICHIBU, D(2027, 1, 1), D(2027, 3, 31))) == [
        D(2027, 1, 6),
        D(2027, 1, 20),
        D(2027, 2, 3),
        D(2027, 2, 17),
        D(2027, 3, 3),
        D(2027, 3, 17),
    ]


def test_a_saitama_day_has_five_one_hour_slots_around_the_lunch_break():
    slots = generate_slots(_calendar(CONSULTATION), D(2027, 1, 6), D(2027, 1, 6))
    chichibu = [s for s in slots if s.venue_id == CHICHIBU.id]
    assert [s.start.strftime("%H:%M") for s in chichibu] == [
        "10:00",
        "11:00",
        "13:00",
        "14:00",
        "15:00",
    ]
    assert all(s.end - s.start == dt.timedelta(hours=1) for s in chichibu)
    assert chichibu[0].start.isoformat() == "2027-01-06T10:00:00+09:00"


def test_year_end_closes_every_venue():
    slots = generate_slots(_calendar(CONSULTATION, ONLINE), D(2026, 12, 29), D(2027, 1, 3))
    assert slots == []


def test_a_national_holiday_closes_the_venue_unless_a_substitute_day_is_configured():
    # 2027-01-11 is 成人の日 (Monday): 所沢地方庁舎 is used on Mondays.
    plain = generate_slots(_calendar(CONSULTATION), D(2027, 1, 11), D(2027, 1, 16))
    assert not [s for s in plain if s.start.date() == D(2027, 1, 11)]
    assert not [
        s for s in plain if s.venue_id == TOKOROZAWA.id and s.start.date() == D(2027, 1, 15)
    ]
    moved = generate_slots(
        _calendar(
            CONSULTATION,
            substitutions=(Substitution(D(2027, 1, 11), D(2027, 1, 15), TOKOROZAWA.id),),
        ),
        D(2027, 1, 11),
        D(2027, 1, 16),
    )
    friday = [s for s in moved if s.venue_id == TOKOROZAWA.id and s.start.date() == D(2027, 1, 15)]
    assert len(friday) == 5  # held on Friday with weekday hours
    assert not [s for s in moved if s.start.date() == D(2027, 1, 11)]


def test_online_hours_follow_the_day_type_and_holidays_use_weekend_hours():
    slots = generate_slots(
        _calendar(ONLINE, closures=(YEAR_END,)), D(2026, 11, 23), D(2026, 11, 24)
    )
    holiday = [s for s in slots if s.start.date() == D(2026, 11, 23)]  # 勤労感謝の日
    weekday = [s for s in slots if s.start.date() == D(2026, 11, 24)]
    assert (holiday[0].start.hour, holiday[-1].end.hour, len(holiday)) == (9, 18, 9)
    assert (weekday[0].start.hour, weekday[-1].end.hour, len(weekday)) == (9, 21, 12)
    assert all(s.venue_id is None for s in slots)


def test_capacity_is_the_consultants_on_shift_capped_by_booths():
    day = D(2027, 1, 7)  # Thursday: ラーク所沢 (2 booths)
    shifts = tuple(
        Shift(consultant_id=c, day=day, start=T(9, 45), end=T(16, 15), venue_id=LARK.id)
        for c in (1, 2, 3)
    )
    slots = generate_slots(_calendar(CONSULTATION), day, day, roster=Roster(shifts=shifts))
    lark = [s for s in slots if s.venue_id == LARK.id]
    assert {s.capacity for s in lark} == {2}
    assert lark[0].consultant_ids == (1, 2, 3)


def test_a_shift_must_cover_the_whole_slot():
    day = D(2027, 1, 7)
    shifts = (Shift(consultant_id=1, day=day, start=T(10), end=T(12), venue_id=LARK.id),)
    slots = generate_slots(_calendar(CONSULTATION), day, day, roster=Roster(shifts=shifts))
    assert [s.capacity for s in slots if s.venue_id == LARK.id] == [1, 1, 0, 0, 0]


def test_a_planned_day_with_everyone_absent_has_no_capacity_but_an_unplanned_day_has_the_minimum():
    day = D(2027, 1, 7)
    planned = Roster(shifts=(), planned=frozenset({("venue", LARK.id, day)}))
    slots = generate_slots(_calendar(CONSULTATION), day, day, roster=planned)
    assert {s.capacity for s in slots if s.venue_id == LARK.id} == {0}
    unplanned = generate_slots(_calendar(CONSULTATION), day, day)
    assert {s.capacity for s in unplanned if s.venue_id == LARK.id} == {1}


def test_a_closure_scoped_to_one_venue_leaves_the_others_open():
    day = D(2027, 1, 7)
    closure = ClosureRule(kind="one_off", start_date=day, end_date=day, venue_id=LARK.id)
    slots = generate_slots(_calendar(CONSULTATION, ONLINE, closures=(closure,)), day, day)
    assert not [s for s in slots if s.venue_id == LARK.id]
    assert [s for s in slots if s.service_code == "online"]


def test_filters_by_service_and_venue():
    day = D(2027, 1, 6)
    slots = generate_slots(
        _calendar(CONSULTATION, ONLINE),
        day,
        day,
        service_codes=["consultation"],
        venue_ids=[CHICHIBU.id],
    )
    assert {(s.service_code, s.venue_id) for s in slots} == {("consultation", CHICHIBU.id)}


def test_an_empty_or_reversed_range_gives_no_slots():
    assert generate_slots(_calendar(CONSULTATION), D(2027, 1, 7), D(2027, 1, 6)) == []
