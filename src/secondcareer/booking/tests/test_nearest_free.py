"""The 満席 alternatives: searching outward from the wanted day gives exactly what
searching the whole ±14 days at once gives, whatever is full around it."""

from __future__ import annotations

import datetime as dt

import pytest

from secondcareer.booking.selectors import Availability, availability, nearest_free
from secondcareer.booking.services import reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.programs.models import Program, Service, Venue
from secondcareer.programs.services import program_load_preset

pytestmark = pytest.mark.django_db

NOT_BEFORE = dt.datetime(2027, 3, 1, 9, 0, tzinfo=TOKYO)
# Every desk slot of these days is taken, except the ones in LEFT_FREE.
FULL_DAYS = [dt.date(2027, 3, d) for d in (1, 2, 3, 4, 5, 8, 9)]
LEFT_FREE = {
    dt.datetime(2027, 3, 3, 16, 0, tzinfo=TOKYO),
    dt.datetime(2027, 3, 9, 10, 0, tzinfo=TOKYO),
}


def reference(
    program: Program, service: Service, venue: Venue, around: dt.datetime
) -> list[dt.datetime]:
    """The rule, spelled out: every free slot of the ±14 days, closest first."""
    day = around.astimezone(TOKYO).date()
    rows = availability(
        program=program,
        service_code=service.code,
        start=max(day - dt.timedelta(days=14), NOT_BEFORE.date()),
        end=day + dt.timedelta(days=14),
        venue=venue,
    )
    free: list[Availability] = [
        a for a in rows if a.free > 0 and a.slot.start != around and a.slot.start >= NOT_BEFORE
    ]
    free.sort(key=lambda a: (abs((a.slot.start - around).total_seconds()), a.slot.start))
    return sorted(a.slot.start for a in free[:3])


def test_alternatives_equal_a_search_of_the_whole_window() -> None:
    program = program_load_preset(path_or_name="kobe").program
    service = Service.objects.get(program=program, code="in_person")
    venue = Venue.objects.get(program=program, name="三宮ビル東館")
    seeker = register_seeker(program, birth_date=dt.date(1958, 4, 1))
    desk = [
        a.slot.start
        for a in availability(
            program=program,
            service_code="in_person",
            start=FULL_DAYS[0],
            end=FULL_DAYS[-1],
            venue=venue,
        )
        if a.slot.start.date() in FULL_DAYS
    ]
    for start in desk:
        if start not in LEFT_FREE:
            reservation_create(
                program=program,
                seeker=seeker,
                service=service,
                start=start,
                venue=venue,
                method="in_person",
                channel="staff",
                now=NOT_BEFORE - dt.timedelta(days=1),
            )
    arounds = [*desk, *(s + dt.timedelta(minutes=30) for s in desk[::5])]
    arounds += [
        dt.datetime(2027, 3, 6, 11, 0, tzinfo=TOKYO),
        dt.datetime(2027, 3, 20, 10, 0, tzinfo=TOKYO),
    ]
    for around in arounds:
        found = nearest_free(
            program=program, service=service, around=around, venue=venue, not_before=NOT_BEFORE
        )
        assert [a.slot.start for a in found] == reference(program, service, venue, around), around
    # A concrete case: on a full Wednesday morning the one free hour that day comes
    # first, then the nearest days with room.
    wednesday = dt.datetime(2027, 3, 3, 10, 0, tzinfo=TOKYO)
    found = nearest_free(
        program=program, service=service, around=wednesday, venue=venue, not_before=NOT_BEFORE
    )
    assert dt.datetime(2027, 3, 3, 16, 0, tzinfo=TOKYO) in [a.slot.start for a in found]
    assert all(a.free == 1 for a in found)
