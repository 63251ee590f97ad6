"""``python -m http_app.audit`` (DATABASE_URL set): count over-bookings after the run.

Prints one JSON line: reservations made, and every way the run could have over-booked
(all must be 0): a seat counter above its capacity, a slot holding more active
reservations than the roster's capacity, a counter that disagrees with the
reservations, a seeker or a consultant in two overlapping reservations.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter

import django

OVERLAP_SQL = """
SELECT count(*) FROM booking_reservation a
JOIN booking_reservation b
  ON a.{column} = b.{column} AND a.id < b.id
 AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
WHERE a.status <> 'cancelled' AND b.status <> 'cancelled' AND a.{column} IS NOT NULL
"""


def main() -> None:
    django.setup()
    from django.db import connection
    from django.db.models import F

    from secondcareer.booking.models import Reservation, ReservationStatus, SlotCounter
    from secondcareer.programs.models import Program
    from secondcareer.scheduling.selectors import program_calendar, roster_for
    from secondcareer.scheduling.slots import TOKYO, generate_slots

    program = Program.objects.get(slug="kobe")
    active = list(
        Reservation.objects.filter(program=program)
        .exclude(status=ReservationStatus.CANCELLED)
        .values_list("service_id", "venue_id", "starts_at")
    )
    Key = tuple[int, int | None, dt.datetime]
    held: Counter[Key] = Counter(active)
    days = sorted({start.astimezone(TOKYO).date() for _, _, start in active})
    capacity: dict[Key, int] = {}
    if days:
        for slot in generate_slots(
            program_calendar(program),
            days[0],
            days[-1],
            roster=roster_for(program, days[0], days[-1]),
        ):
            capacity[slot.key] = slot.capacity
    counters: dict[Key, int] = {
        (c.service_id, None if c.place == "remote" else int(c.place[1:]), c.starts_at): c.held
        for c in SlotCounter.objects.filter(service__program=program)
    }
    with connection.cursor() as cursor:
        cursor.execute(OVERLAP_SQL.format(column="seeker_id"))
        seeker_overlaps = cursor.fetchone()[0]
        cursor.execute(OVERLAP_SQL.format(column="consultant_id"))
        consultant_overlaps = cursor.fetchone()[0]
    report: dict[str, int] = {
        "reservations": len(active),
        "counters_over_capacity": SlotCounter.objects.filter(held__gt=F("capacity")).count(),
        "slots_over_roster_capacity": sum(1 for key, n in held.items() if n > capacity.get(key, 0)),
        "counters_disagreeing_with_reservations": sum(
            1 for key in set(held) | set(counters) if held.get(key, 0) != counters.get(key, 0)
        ),
        "seeker_overlaps": seeker_overlaps,
        "consultant_overlaps": consultant_overlaps,
    }
    report["over_bookings"] = (
        report["counters_over_capacity"]
        + report["slots_over_roster_capacity"]
        + report["seeker_overlaps"]
        + report["consultant_overlaps"]
    )
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
