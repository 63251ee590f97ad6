"""``secondcareer demo --no-serve`` works whatever the hour and the date it is run.

The clock is set with time-machine (in process: the command, the services and their
``timezone.now()`` all see the same moment). The moments are the ones that broke or
could break the demo: before 10:00 JST (a consent given "at 10:00 today" was in the
future), 08:30 JST (23:30 UTC of the day before), 23:50 JST (the evening: today's
slots are over), 00:05 JST on 1 January (the day has just begun, and it is a holiday in
the year-end closure) and a Monday morning after that closure.

A smaller ``--seekers`` than the demo's default keeps the test quick; the rule checked
is the same for every size: nothing the seeders write happened after the moment the
demo runs, the history ends before it and the coming bookings start after it.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone

from secondcareer.booking.models import Reservation, ReservationStatus
from secondcareer.booking.reminders import call_list
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.people.models import ConsentRecord, Seeker
from secondcareer.programs.models import Program
from secondcareer.scheduling.selectors import program_calendar, roster_for
from secondcareer.scheduling.slots import generate_slots

# With the seeders as they were, seed 5 registered people on the reference day itself
# (at "10:00 today") on every date below: what made the demo fail before 10:00 JST.
SEEKERS = 80
SEED = 5

MOMENTS = {
    "08:30 JST on a Monday (23:30 UTC the day before)": dt.datetime(2026, 6, 15, 8, 30),
    "23:50 JST (14:50 UTC)": dt.datetime(2026, 6, 16, 23, 50),
    "00:05 JST on 1 January, a holiday in the year-end closure": dt.datetime(2027, 1, 1, 0, 5),
    "08:30 JST on the Monday after the year-end closure": dt.datetime(2027, 1, 4, 8, 30),
}


def _next_open_day(program: Program, after: dt.date) -> dt.date:
    """The first day after ``after`` with at least one slot of the program."""
    last = after + dt.timedelta(days=14)
    slots = generate_slots(
        program_calendar(program),
        after + dt.timedelta(days=1),
        last,
        roster=roster_for(program, after, last),
    )
    return min(slot.start.astimezone(TOKYO).date() for slot in slots)


@pytest.mark.parametrize("moment", list(MOMENTS.values()), ids=list(MOMENTS))
def test_the_demo_sets_itself_up_at_any_hour_with_history_before_now_and_bookings_after(
    db: None, moment: dt.datetime
) -> None:
    out = io.StringIO()
    with time_machine.travel(moment.replace(tzinfo=TOKYO), tick=True):
        call_command("demo", no_serve=True, seekers=SEEKERS, seed=SEED, stdout=out)
        now = timezone.now()
    output = out.getvalue()
    today = moment.date()
    start_of_today = dt.datetime.combine(today, dt.time(0), tzinfo=TOKYO)

    assert "デモの準備ができました。" in output
    # The history ends on today's date in Japan, not on the UTC date.
    assert output.count(f"history up to {today.isoformat()}") == 2

    programs = list(Program.objects.filter(slug__in=("kobe", "saitama")))
    assert len(programs) == 2
    for program in programs:
        seekers = Seeker.objects.filter(program=program)
        assert seekers.count() == SEEKERS
        assert seekers.aggregate(last=Max("registered_on"))["last"] < today
        consents = ConsentRecord.objects.filter(seeker__program=program)
        assert consents.exists()
        assert consents.aggregate(last=Max("at"))["last"] < start_of_today

        bookings = Reservation.objects.filter(program=program)
        assert bookings.aggregate(last=Max("created_at"))["last"] < start_of_today
        assert bookings.aggregate(last=Max("updated_at"))["last"] < start_of_today
        assert bookings.aggregate(last=Max("cancelled_at"))["last"] < start_of_today
        # What is recorded as attended, missed or cancelled happened before now …
        final = bookings.exclude(status=ReservationStatus.CONFIRMED)
        assert final.exists()
        assert final.aggregate(last=Max("starts_at"))["last"] < start_of_today
        # … and what is still to come is confirmed and starts after now.
        upcoming = bookings.filter(starts_at__gt=now)
        assert upcoming.exists()
        assert set(upcoming.values_list("status", flat=True)) == {ReservationStatus.CONFIRMED}
        # Bookings of the next day with slots are there for the day-before reminders and
        # reception's call list (nobody in the demo follows the LINE account yet).
        next_day = _next_open_day(program, today)
        assert call_list(program=program, day=next_day), (program.slug, next_day)
        # A year of history, and people who have not been in touch for three months
        # (the inactivity follow-up).
        year_ago = start_of_today - dt.timedelta(days=365)
        assert bookings.filter(starts_at__lt=year_ago + dt.timedelta(days=14)).exists()
        quarter_ago = start_of_today - dt.timedelta(days=91)
        quiet = seekers.filter(registered_on__lt=quarter_ago.date()).exclude(
            reservations__starts_at__gte=quarter_ago
        )
        assert quiet.exists()

    assert now - moment.replace(tzinfo=TOKYO) < dt.timedelta(minutes=10)
