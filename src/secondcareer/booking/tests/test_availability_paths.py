"""availability() answers a few days of one service from the cached slots of each day
and longer ranges by generating them at once: both give the same slots, capacities
and consultants, whatever the venues, nth weekdays, substitute days and roster."""

from __future__ import annotations

import datetime as dt

import pytest

from secondcareer.booking.selectors import SHORT_RANGE_DAYS, availability
from secondcareer.people.models import Role
from secondcareer.people.services import staff_create
from secondcareer.programs.models import SubstituteDate, Venue
from secondcareer.programs.services import program_load_preset
from secondcareer.scheduling.services import absence_record, shift_pattern_create

pytestmark = pytest.mark.django_db

FIRST = dt.date(2027, 1, 1)
LAST = dt.date(2027, 1, 31)


def test_short_and_long_ranges_agree_on_every_day_of_a_month() -> None:
    program = program_load_preset(path_or_name="saitama").program
    venues = list(Venue.objects.filter(program=program).order_by("pk"))
    tokorozawa = Venue.objects.get(program=program, name="所沢地方庁舎")
    SubstituteDate.objects.create(
        program=program, venue=tokorozawa, original_date="2027-01-11", held_on="2027-01-13"
    )
    for n, venue in enumerate(venues[:4]):
        consultant = staff_create(
            username=f"st-cc{n}", password=None, program=program, role=Role.CONSULTANT
        )
        for weekday in range(5):
            shift_pattern_create(
                program=program,
                consultant=consultant,
                weekday=weekday,
                start=dt.time(10),
                end=dt.time(16) if n % 2 else dt.time(12),
                valid_from=FIRST,
                venue=venue,
            )
        absence_record(program=program, consultant=consultant, day=dt.date(2027, 1, 19 + n))

    def rows(start: dt.date, end: dt.date, venue: Venue | None = None) -> list[tuple]:
        return [
            (a.slot.start, a.slot.venue_id, a.slot.capacity, a.slot.consultant_ids, a.free)
            for a in availability(
                program=program, service_code="consultation", start=start, end=end, venue=venue
            )
        ]

    whole = rows(FIRST, LAST)  # generated at once
    assert whole and any(r[3] for r in whole) and any(not r[3] for r in whole)
    for offset in range(0, (LAST - FIRST).days + 1, 3):
        start = FIRST + dt.timedelta(days=offset)
        end = min(start + dt.timedelta(days=SHORT_RANGE_DAYS - 1), LAST)
        assert rows(start, end) == [r for r in whole if start <= r[0].date() <= end], start
    for venue in (tokorozawa, venues[0]):
        alone = rows(FIRST, LAST, venue)
        for offset in range(0, 31, 5):
            start = FIRST + dt.timedelta(days=offset)
            end = min(start + dt.timedelta(days=2), LAST)
            assert rows(start, end, venue) == [r for r in alone if start <= r[0].date() <= end]
    # The 振替 reached the short path too: 所沢 held on the 13th, not on the 11th.
    days = {r[0].date() for r in rows(dt.date(2027, 1, 11), dt.date(2027, 1, 13), tokorozawa)}
    assert dt.date(2027, 1, 13) in days and dt.date(2027, 1, 11) not in days
