"""``python -m http_app.setup`` (DATABASE_URL set): migrate, load Kobe, roster many
consultants on the online service, register one seeker per two seats, issue an API token for a
receptionist, and print the booking plan as JSON (one line).

Thousands of seats: CONSULTANTS consultants on the online rota every day 09:00–21:00
for the DAYS days starting the day after tomorrow (inside the self-service booking
window), so each online slot has CONSULTANTS seats. The plan is one request per seat in
random order, except that every tenth asks for one of three popular hours, so those
fill up during the run and later requests for them are refused (409 満席).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import sys
import time

import django

CONSULTANTS = int(os.environ.get("BENCH_CONSULTANTS", "40"))
DAYS = int(os.environ.get("BENCH_DAYS", "36"))
# Each seeker appears at most this often in the plan, below the policy's limit of three
# open bookings: otherwise a fast run would end in cheap "too many bookings" refusals.
REQUESTS_PER_SEEKER = 2
CHANNELS = (("line", 60), ("phone", 25), ("web", 15))
METHODS = ("chat", "phone", "video")
HOT_EVERY = 10


def main() -> None:
    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from secondcareer.people.models import Role
    from secondcareer.people.services import ConsentInput, seeker_register, staff_create
    from secondcareer.programs.models import Program, Service
    from secondcareer.programs.services import program_load_preset
    from secondcareer.scheduling.selectors import program_calendar, roster_for
    from secondcareer.scheduling.services import shift_pattern_create
    from secondcareer.scheduling.slots import generate_slots

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    program_load_preset(path_or_name="kobe")
    program = Program.objects.get(slug="kobe")
    online = Service.objects.get(program=program, code="online")
    today = timezone.localdate()
    first, last = today + dt.timedelta(days=2), today + dt.timedelta(days=DAYS + 1)
    with transaction.atomic():
        for n in range(CONSULTANTS):
            consultant = staff_create(
                username=f"bench-cc-{n}", password=None, program=program, role=Role.CONSULTANT
            )
            for weekday in range(7):
                shift_pattern_create(
                    program=program,
                    consultant=consultant,
                    weekday=weekday,
                    start=dt.time(9),
                    end=dt.time(21),
                    valid_from=today,
                    service=online,
                )
        staff_create(
            username="bench-reception", password=None, program=program, role=Role.RECEPTION
        )
    token_out = io.StringIO()
    call_command(
        "api-token", user="bench-reception", name="bench", stdout=token_out, stderr=io.StringIO()
    )
    slots = generate_slots(
        program_calendar(program),
        first,
        last,
        roster=roster_for(program, first, last),
        service_codes=["online"],
    )
    rng = random.Random(11)
    seats = [slot.start for slot in slots for _ in range(slot.capacity)]
    with transaction.atomic():
        seekers = [
            seeker_register(
                program=program,
                actor=None,
                channel="web",
                family_name="負荷",
                given_name=f"試験{n}",
                family_name_kana="フカ",
                given_name_kana="シケン",
                birth_date=dt.date(1955, 1, 1) + dt.timedelta(days=n % 3000),
                phone=f"080-{1000 + n // 10000:04d}-{n % 10000:04d}",
                consents=[ConsentInput(kind="privacy", version="1", method="web_form")],
            ).pk
            for n in range(-(-len(seats) // REQUESTS_PER_SEEKER))
        ]
    rng.shuffle(seats)
    # Every HOT_EVERY-th request asks for one of three popular hours, which fill up
    # early in the run: the rest of those requests exercise the 満席 path under load.
    hot = [slot.start for slot in slots if slot.start.hour in (10, 11, 14)][:3]
    seats = [
        hot[i // HOT_EVERY % len(hot)] if i % HOT_EVERY == 0 else start
        for i, start in enumerate(seats)
    ]
    channels = [c for c, _ in CHANNELS]
    weights = [w for _, w in CHANNELS]
    plan = [
        {
            "program": "kobe",
            "seeker_id": seekers[(i * 7919) % len(seekers)],
            "service": "online",
            "start": start.isoformat(),
            "method": rng.choice(METHODS),
            "channel": rng.choices(channels, weights)[0],
        }
        for i, start in enumerate(seats)
    ]
    json.dump(
        {
            "token": token_out.getvalue().strip(),
            "plan": plan,
            "slots": len(slots),
            "seats": sum(slot.capacity for slot in slots),
            "requests_planned": len(plan),
            "hot_slots": [start.isoformat() for start in hot],
            "hot_share": 1 / HOT_EVERY,
            "consultants": CONSULTANTS,
            "seekers": len(seekers),
            "days": f"{first.isoformat()}..{last.isoformat()}",
            "setup_seconds": round(time.perf_counter() - started, 1),
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
