"""Availability of the whole Saitama programme for 92 days (every venue, service
``consultation``) with 20 consultants rostered and ~40 % of the seats booked.

Two figures, medians over RUNS runs after a warm-up:

(i) ``scheduling.slots.generate_slots`` alone (pure Python, calendar and roster
    already loaded) — the cost of the rules;
(ii) ``booking.selectors.availability(...)`` — what the API, the CLI and the booking
    pages call: calendar and roster from the database, slot generation, seats held.

Target (issue 3): median ≤ 20 ms. The work runs in a child process on a scratch SQLite
database (``SECONDCAREER_VAR_DIR`` set to a temporary directory before Django starts),
so it never touches the developer's database and the parent's Django state.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 20.0
RUNS = 31
WARMUP = 3
# A Monday; the 92 days to 2027-04-05 include national holidays and a 3rd/1st-Wednesday venue.
START = dt.date(2027, 1, 4)
DAYS = 92
CONSULTANTS = 20
BOOKED_SHARE = 0.4


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="sc-bench-availability-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            SECONDCAREER_VAR_DIR=tmp,
            SECONDCAREER_ENV="test",  # DEBUG off (no query log), like production
            DJANGO_SETTINGS_MODULE="secondcareer.config.settings",
        )
        child = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child"],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    if child.returncode != 0:
        return {"error": child.stderr[-4000:]}
    result: dict[str, object] = json.loads(child.stdout.strip().splitlines()[-1])
    sys.stderr.write(
        f"availability: generate_slots median {result['generate_slots_median_ms']} ms, "
        f"availability() median {result['availability_median_ms']} ms "
        f"({result['slots']} slots; target ≤ {TARGET_MS} ms)\n"
    )
    return result


def _median_ms(function, runs: int = RUNS) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    for _ in range(WARMUP):
        function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2), samples


def _child() -> None:
    import random

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secondcareer.booking.selectors import availability
    from secondcareer.booking.services import reservation_create
    from secondcareer.people.models import Role, Seeker
    from secondcareer.people.services import ConsentInput, seeker_register, staff_create
    from secondcareer.programs.models import Program, Service, Venue
    from secondcareer.programs.services import program_load_preset
    from secondcareer.scheduling.demo import plan_roster
    from secondcareer.scheduling.selectors import program_calendar, roster_for
    from secondcareer.scheduling.services import shift_pattern_create
    from secondcareer.scheduling.slots import generate_slots

    setup_started = time.perf_counter()
    call_command("migrate", verbosity=0)
    program_load_preset(path_or_name="saitama")
    program = Program.objects.get(slug="saitama")
    consultants = [
        staff_create(username=f"bench-cc-{n}", password=None, program=program, role=Role.CONSULTANT)
        for n in range(CONSULTANTS)
    ]
    calendar = program_calendar(program)
    venues = {v.pk: v for v in Venue.objects.filter(program=program)}
    plan = plan_roster(
        calendar,
        consultants=CONSULTANTS,
        venue_areas=dict(Venue.objects.filter(program=program).values_list("id", "area__code")),
        consultant_hours=(dt.time(9, 45), dt.time(16, 15)),
        rng=random.Random(3),
    )
    for shift in plan:
        shift_pattern_create(
            program=program,
            consultant=consultants[shift.consultant],
            weekday=shift.weekday,
            start=shift.start,
            end=shift.end,
            valid_from=START - dt.timedelta(days=30),
            venue=venues[shift.venue_id] if shift.venue_id else None,
            nth=list(shift.nth) if shift.nth else None,
        )
    end = START + dt.timedelta(days=DAYS - 1)
    service = Service.objects.get(program=program, code="consultation")
    slots = generate_slots(
        calendar,
        START,
        end,
        roster=roster_for(program, START, end),
        service_codes=["consultation"],
    )
    rng = random.Random(5)
    seekers = [
        seeker_register(
            program=program,
            actor=None,
            channel="phone",
            family_name="計測",
            given_name=f"太郎{n}",
            family_name_kana="ケイソク",
            given_name_kana="タロウ",
            birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=n),
            phone=f"090-7000-{n:04d}",
            consents=[ConsentInput(kind="privacy", version="1", method="verbal_phone")],
        )
        for n in range(200)
    ]
    booked = 0
    for index, slot in enumerate(s for s in slots if rng.random() < BOOKED_SHARE):
        reservation_create(
            program=program,
            seeker=seekers[index % len(seekers)],
            service=service,
            start=slot.start,
            venue=venues[slot.venue_id] if slot.venue_id else None,
            method="in_person",
            channel="phone",
            now=dt.datetime.combine(START, dt.time(0), tzinfo=slot.start.tzinfo)
            - dt.timedelta(days=1),
        )
        booked += 1
    setup_seconds = time.perf_counter() - setup_started

    roster = roster_for(program, START, end)
    pure_ms, _ = _median_ms(
        lambda: generate_slots(calendar, START, end, roster=roster, service_codes=["consultation"])
    )
    program = Program.objects.get(slug="saitama")

    def full() -> object:
        return availability(program=program, service_code="consultation", start=START, end=end)

    full_ms, samples = _median_ms(full)
    with CaptureQueriesContext(connection) as queries:
        rows = full()
    assert isinstance(rows, list)
    print(
        json.dumps(
            {
                "what": (
                    f"Saitama, service consultation, all venues, {DAYS} days from "
                    f"{START.isoformat()}, {CONSULTANTS} consultants rostered "
                    f"({len(plan)} weekly shifts), {booked} seats booked; scratch SQLite"
                ),
                "slots": len(rows),
                "seekers": Seeker.objects.filter(program=program).count(),
                "generate_slots_median_ms": pure_ms,
                "availability_median_ms": full_ms,
                "availability_p90_ms": round(sorted(samples)[int(len(samples) * 0.9)], 2),
                "availability_queries": len(queries),
                "runs": RUNS,
                "target_ms": TARGET_MS,
                "meets_target": full_ms <= TARGET_MS and pure_ms <= TARGET_MS,
                "setup_seconds": round(setup_seconds, 1),
            }
        )
    )


if __name__ == "__main__" and "--child" in sys.argv:
    _child()
