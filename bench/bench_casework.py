"""Case management at the size of a prefecture's year (issue 12): 5,000 seekers, 60,000
consultation records and 5,000 cases in one program (Saitama's preset, so plan reviews
are scheduled).

Figures, medians over RUNS requests after a warm-up, each a full Django request through
the test client (middleware, session, 2FA check, template) on a scratch SQLite database:

(i)   the staff home (``/staff/``) of a consultant with 300 cases — target ≤ 60 ms, and
      its query count beside that of a consultant with 3 cases (it must not grow);
(ii)  a case page with 50 records — target ≤ 60 ms;
(iii) ``secondcareer inactive --program saitama --on DATE --format json`` for the whole
      program (the command, in-process) — target ≤ 1 s.

``BENCH_SLOW_QUERIES=1`` prints the home's five slowest SQL statements and the child's
stderr; with it, ``BENCH_PROFILE=1`` also prints a cProfile of ten home requests (the
project's functions by cumulative time). Neither changes the timed runs.

The work runs in a child process (``SECONDCAREER_VAR_DIR`` a temporary directory), so
it never touches the developer's database.
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

TARGET_HOME_MS = 60.0
TARGET_CASE_MS = 60.0
TARGET_INACTIVE_MS = 1000.0
SEEKERS = 5000
RECORDS = 60000
BIG_CASELOAD = 300
SMALL_CASELOAD = 3
CASE_RECORDS = 50
RUNS = 21
WARMUP = 3
TODAY = dt.date(2026, 11, 30)


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="sc-bench-casework-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            SECONDCAREER_VAR_DIR=tmp,
            SECONDCAREER_ENV="test",
            DATABASE_CONN_MAX_AGE="60",  # persistent connections, as production runs
            DJANGO_SETTINGS_MODULE="secondcareer.config.settings",
        )
        child = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child"],
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
    if child.returncode != 0:
        return {"error": child.stderr[-4000:]}
    result: dict[str, object] = json.loads(child.stdout.strip().splitlines()[-1])
    if os.environ.get("BENCH_SLOW_QUERIES"):
        sys.stderr.write(child.stderr)
    sys.stderr.write(
        f"casework: home {result['home_median_ms']} ms ({result['home_queries']} queries), "
        f"case page {result['case_page_median_ms']} ms, inactive {result['inactive_median_ms']} ms\n"
    )
    return result


def _median_ms(function, runs: int = RUNS) -> float:  # type: ignore[no-untyped-def]
    for _ in range(WARMUP):
        function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2)


def _child() -> None:
    import io
    import random

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from secondcareer.consultations.demo import Session, store_history
    from secondcareer.consultations.models import Case, Channel
    from secondcareer.core.demodata import DemoContext
    from secondcareer.core.jpcalendar import TOKYO
    from secondcareer.devtools.testing.staff import sign_in_staff
    from secondcareer.people import demo as people_demo
    from secondcareer.people.models import Role, Seeker, User
    from secondcareer.people.services import staff_create
    from secondcareer.programs.choices import Method
    from secondcareer.programs.models import ConsultationKind, Program
    from secondcareer.programs.services import program_load_preset

    setup_started = time.perf_counter()
    call_command("migrate", verbosity=0)
    program_load_preset(path_or_name="saitama")
    program = Program.objects.get(slug="saitama")
    ctx = DemoContext(program=program, seekers=SEEKERS, seed=1, log=lambda _: None)
    ctx.shared["today"] = TODAY
    people_demo.seed_staff(ctx)
    people_demo.seed_seekers(ctx)
    big = staff_create(
        username="bench-cc-big", password=None, program=program, role=Role.CONSULTANT
    )
    small = staff_create(
        username="bench-cc-small", password=None, program=program, role=Role.CONSULTANT
    )
    others = list(
        User.objects.filter(username__in=ctx.shared["consultants"]).values_list("pk", flat=True)
    )
    managers = list(
        User.objects.filter(username__in=ctx.shared["managers"]).values_list("pk", flat=True)
    )
    kinds = list(ConsultationKind.objects.filter(program=program).values_list("pk", flat=True))
    seekers = list(
        Seeker.objects.filter(program=program).order_by("pk").values_list("pk", flat=True)
    )
    rng = random.Random(5)
    # Seeker 0 has 50 records with the big caseload's consultant; the other records are
    # spread so that the whole program has RECORDS of them.
    counts = [CASE_RECORDS] + [(RECORDS - CASE_RECORDS) // (len(seekers) - 1) for _ in seekers[1:]]
    counts[-1] += RECORDS - sum(counts)
    sessions: list[Session] = []
    first_day = TODAY - dt.timedelta(days=365)
    for index, (seeker, count) in enumerate(zip(seekers, counts, strict=True)):
        if index < BIG_CASELOAD:
            consultant = big.pk
        elif index < BIG_CASELOAD + SMALL_CASELOAD:
            consultant = small.pk
        else:
            consultant = others[index % len(others)]
        # The last contact spreads over the year, so a share is out of contact.
        span = rng.randint(30, 365)
        start_day = first_day + dt.timedelta(days=rng.randint(0, 365 - span))
        if consultant in (big.pk, small.pk):  # their caseloads are current
            start_day = first_day + dt.timedelta(days=365 - span)
        for n in range(count):
            day = start_day + dt.timedelta(days=span * n // max(count, 1))
            start = dt.datetime.combine(day, dt.time(10 + n % 6), TOKYO)
            sessions.append(
                Session(
                    reservation_id=None,
                    seeker_id=seeker,
                    start=start,
                    minutes=45,
                    method=Method.IN_PERSON if n % 3 else Method.PHONE,
                    channel=Channel.VENUE if n % 3 else Channel.ONLINE,
                    consultant_id=consultant,
                    kind_id=kinds[n % len(kinds)],
                    category="job_search",
                    attended=rng.random() > 0.05 or n == 0,
                )
            )
    sessions.sort(key=lambda s: (s.start, s.seeker_id))
    # No reassignment (consultants=[]): the big caseload stays exactly BIG_CASELOAD.
    summary = store_history(
        program, sessions, today=TODAY, rng=rng, consultants=[], managers=managers
    )
    setup_s = round(time.perf_counter() - setup_started, 1)

    def queries_of(client: Client, url: str) -> int:
        timings: list[tuple[float, str]] = []

        def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timings.append((time.perf_counter() - started, sql))

        with connection.execute_wrapper(counter):
            assert client.get(url).status_code == 200
        if os.environ.get("BENCH_SLOW_QUERIES"):  # where the time goes, to stderr
            for seconds, sql in sorted(timings, reverse=True)[:5]:
                print(f"{seconds * 1000:8.2f} ms  {sql[:300]}", file=sys.stderr)
        return len(timings)

    client = sign_in_staff(Client(), big)
    home_url = reverse("workspace:home")
    big_queries = queries_of(client, home_url)
    small_queries = queries_of(sign_in_staff(Client(), small), home_url)
    home_ms = _median_ms(lambda: client.get(home_url))
    if os.environ.get("BENCH_PROFILE"):  # where the home's time goes, to stderr
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            client.get(home_url)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(
            "secondcareer", 40
        )

    case = Case.objects.get(program=program, seeker_id=seekers[0])
    case_url = reverse("consultations:case_detail", args=[program.slug, case.pk])
    assert client.get(case_url).status_code == 200
    case_ms = _median_ms(lambda: client.get(case_url))

    out = io.StringIO()

    def inactive() -> None:
        out.seek(0)
        out.truncate()
        call_command("inactive", program="saitama", on=TODAY.isoformat(), format="json", stdout=out)

    inactive_ms = _median_ms(inactive, runs=7)
    listed = len(json.loads(out.getvalue()))
    print(
        json.dumps(
            {
                "data": summary,
                "seekers": len(seekers),
                "cases": Case.objects.filter(program=program).count(),
                "setup_s": setup_s,
                "home_median_ms": home_ms,
                "home_target_ms": TARGET_HOME_MS,
                "home_queries": big_queries,
                "home_queries_with_3_cases": small_queries,
                "big_caseload": Case.objects.filter(program=program, consultant=big).count(),
                "case_page_median_ms": case_ms,
                "case_page_records": case.records.count(),
                "case_target_ms": TARGET_CASE_MS,
                "inactive_median_ms": inactive_ms,
                "inactive_listed": listed,
                "inactive_target_ms": TARGET_INACTIVE_MS,
                "runs": RUNS,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__" and "--child" in sys.argv:
    _child()
