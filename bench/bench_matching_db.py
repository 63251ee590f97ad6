"""Matching fed from the database (issue 13): 50,000 open postings imported through
``import-hellowork`` (the Hello Work bench's generated file) and 5,000 seekers with a
matching profile, in Saitama's program.

Figures, each the median of three runs (the caches emptied before each):

- ``postings_arrays_s`` — reading the open postings and building the engine's column
  arrays (:func:`secondcareer.matching.feed.postings_arrays`) — target ≤ 5 s;
- ``profiles_arrays_s`` — reading the 5,000 profiles and making them engine seekers;
- ``index_build_s`` — fitting the TF-IDF index over the postings (the engine's part);
- ``seekers_index_s`` — adding the profiles to the index (the reverse direction);
- ``version_check_ms`` — the cache's version query at every call (median of 50);
- ``seeker_matches_ms`` p50/p95 — ``seeker_matches`` (top 20, through the selector
  with its queries) for 200 seekers once the feed is warm;
- ``posting_matches_ms`` p50/p95 — ``posting_matches`` (top 20) for 50 postings, warm.

The work runs in a child process (``SECONDCAREER_VAR_DIR`` a temporary directory) on a
scratch SQLite file, then on a throwaway PostgreSQL cluster when PostgreSQL is there.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
POSTINGS = 50_000
SEEKERS = 5_000
TARGET_ARRAYS_S = 5.0


def _once(database_url: str | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="sc-bench-matchdb-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            SECONDCAREER_VAR_DIR=tmp,
            SECONDCAREER_ENV="test",
            DJANGO_SETTINGS_MODULE="secondcareer.config.settings",
        )
        if database_url:
            env["DATABASE_URL"] = database_url
        child = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", tmp],
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
    if child.returncode != 0:
        return {"error": child.stderr[-4000:]}
    result: dict[str, object] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


def run() -> dict[str, object]:
    from secondcareer.devtools.testing.pgcluster import PostgresUnavailable, start_cluster

    results: dict[str, object] = {"sqlite": _once(None)}
    try:
        cluster = start_cluster()
    except PostgresUnavailable as exc:
        results["postgresql"] = {"skipped": f"PostgreSQL unavailable: {exc}"}
    else:
        try:
            results["postgresql"] = _once(cluster.url())
        finally:
            cluster.stop()
    for name, result in results.items():
        if isinstance(result, dict) and "postings_arrays_s" in result:
            sys.stderr.write(
                f"matching from the database ({name}): arrays of {result['open_postings']} "
                f"postings {result['postings_arrays_s']} s, {result['profiles']} profiles "
                f"{result['profiles_arrays_s']} s, index {result['index_build_s']} s\n"
            )
    return results


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _seekers(program: object, on: object) -> None:
    """5,000 seekers with a profile each, written in bulk (the registration service's
    checks are the people benchmarks' business)."""
    import datetime as dt
    import random

    from secondcareer.matching.models import SeekerProfile
    from secondcareer.people.models import Seeker

    rng = random.Random(13)
    areas = list(program.areas.values_list("id", flat=True))  # type: ignore[attr-defined]
    seekers = [
        Seeker(
            program=program,
            card_number=f"BENCH{n:06d}",
            family_name="試験",
            given_name=f"太郎{n}",
            family_name_kana="シケン",
            given_name_kana="タロウ",
            name_search_key=f"しけんたろう{n}",
            birth_date=dt.date(1955 + n % 15, 1 + n % 12, 1 + n % 28),
            phone="090-0000-0000",
            phone_digits="09000000000",
            area_id=areas[n % len(areas)],
            registration_channel="phone",
            registered_on=on,
        )
        for n in range(SEEKERS)
    ]
    Seeker.objects.bulk_create(seekers, batch_size=1000)
    careers = (
        "ビルの清掃と設備の巡回を長く担当",
        "経理と簿記、伝票の入力",
        "マンションの管理と受付",
        "施設の警備と巡回",
        "事務所の一般事務と電話応対",
    )
    occupations = ("清掃", "経理", "管理員", "警備", "事務")
    ids = list(Seeker.objects.filter(program=program).values_list("id", flat=True))
    profiles = [
        SeekerProfile(
            program=program,
            seeker_id=pk,
            wished_occupations=[occupations[i % 5]],
            max_commute_minutes=rng.choice((40, 60, 80)),
            days_per_week=rng.choice((3, 4, 5)),
            hours_per_day=float(rng.choice((4, 6, 8))),
            min_hourly_wage=rng.choice((0, 1000, 1100)),
            employment_types=rng.choice(([], ["パート労働者"])),
            career_history=careers[i % 5],
        )
        for i, pk in enumerate(ids)
    ]
    SeekerProfile.objects.bulk_create(profiles, batch_size=1000)
    link = SeekerProfile.wished_areas.through
    made = SeekerProfile.objects.filter(program=program).values_list("id", "seeker__area_id")
    link.objects.bulk_create(
        [link(seekerprofile_id=pk, area_id=area) for pk, area in made], batch_size=2000
    )


def _child(tmp: str) -> None:
    import datetime as dt
    import io

    import django

    django.setup()
    import time_machine
    from django.core.management import call_command

    sys.path.insert(0, str(HERE))
    import numpy as np
    from bench_hellowork_import import write_file

    from secondcareer.core.jpcalendar import TOKYO
    from secondcareer.jobs.models import JobPosting
    from secondcareer.matching import feed
    from secondcareer.matching.engine import Index
    from secondcareer.matching.selectors import posting_matches, seeker_matches
    from secondcareer.matching.synthetic import OCCUPATIONS, job_text
    from secondcareer.people.models import Seeker
    from secondcareer.programs.services import program_load_preset

    on = dt.date(2026, 12, 1)
    call_command("migrate", verbosity=0)
    program = program_load_preset(path_or_name="saitama").program
    path = Path(tmp) / "hellowork.csv"
    # varied job texts (the engine's synthetic vocabulary), so the TF-IDF build has real
    # work: one file text repeated would make it look free
    rng = np.random.default_rng(7)
    occupations = rng.integers(len(OCCUPATIONS), size=POSTINGS)
    write_file(path, rows=POSTINGS, descriptions=[job_text(int(o), rng) for o in occupations])
    with time_machine.travel(dt.datetime.combine(on, dt.time(9), TOKYO), tick=False):
        call_command("import-hellowork", str(path), "--program", "saitama", stdout=io.StringIO())
    _seekers(program, on)
    from django.db import connection

    if connection.vendor == "postgresql":
        # what autovacuum does after a bulk load, so the planner knows the tables
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    arrays_s, profiles_s, index_s, seekers_s, whole_s = [], [], [], [], []
    for _ in range(3):
        feed.FEEDS.invalidate()
        feed.SEEKER_INDEXES.invalidate()
        started = time.perf_counter()
        feed.build_feed(program, on)
        whole_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        arrays = feed.postings_arrays(program, on)
        arrays_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        Index.build(arrays.postings, arrays.commute)
        index_s.append(time.perf_counter() - started)
        built = feed.build_feed(program, on)
        started = time.perf_counter()
        facts = feed.indexed_profiles(program)
        records = [feed.engine_seeker(built, f, on) for f in facts]
        profiles_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        built.index.rebuild(seekers=records)
        seekers_s.append(time.perf_counter() - started)

    # the staff posting search's first page (count + 30 rows), free text over the
    # folded 職種・仕事内容・事業所名 column (LIKE per word, no index), as the screen asks
    from secondcareer.jobs.selectors import PostingFilters, posting_search

    search_ms: dict[str, float] = {}
    for words in ("清掃", "経理 事務", "見つからない語"):
        runs = []
        for _ in range(7):
            started = time.perf_counter()
            found = posting_search(program, PostingFilters(q=words), on)
            found.count()
            list(found[:30])
            runs.append((time.perf_counter() - started) * 1000)
        search_ms[words] = round(statistics.median(runs), 1)

    checks = []
    for _ in range(50):
        started = time.perf_counter()
        feed.postings_version(program)
        checks.append((time.perf_counter() - started) * 1000)

    with time_machine.travel(dt.datetime.combine(on, dt.time(10), TOKYO), tick=True):
        people = list(Seeker.objects.filter(program=program).order_by("id")[:200])
        seeker_matches(program=program, seeker=people[0], on=on)  # warm the feed
        timings = []
        for person in people:
            started = time.perf_counter()
            seeker_matches(program=program, seeker=person, on=on)
            timings.append((time.perf_counter() - started) * 1000)
        postings = list(JobPosting.objects.filter(program=program).order_by("id")[:50])
        posting_matches(program=program, posting=postings[0], on=on)  # warm the seekers
        reverse = []
        for posting in postings:
            started = time.perf_counter()
            posting_matches(program=program, posting=posting, on=on)
            reverse.append((time.perf_counter() - started) * 1000)

    print(
        json.dumps(
            {
                "open_postings": len(arrays.postings),
                "profiles": len(facts),
                # the child's peak resident memory (Linux: KiB): the feed, the index,
                # the seekers' index and Django together
                "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "peak_memory_target_mb": 1024,
                "build_from_database_s": round(statistics.median(whole_s), 2),
                "build_from_database_target_s": TARGET_ARRAYS_S,
                "postings_arrays_s": round(statistics.median(arrays_s), 2),
                "postings_arrays_target_s": TARGET_ARRAYS_S,
                "profiles_arrays_s": round(statistics.median(profiles_s), 2),
                "index_build_s": round(statistics.median(index_s), 2),
                "seekers_index_s": round(statistics.median(seekers_s), 2),
                "version_check_ms": round(statistics.median(checks), 2),
                "posting_search_first_page_ms": search_ms,
                "seeker_matches_ms": {
                    "p50": round(statistics.median(timings), 1),
                    "p95": round(_percentile(timings, 0.95), 1),
                },
                "posting_matches_ms": {
                    "p50": round(statistics.median(reverse), 1),
                    "p95": round(_percentile(reverse, 0.95), 1),
                },
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__" and "--child" in sys.argv:
    _child(sys.argv[sys.argv.index("--child") + 1])
