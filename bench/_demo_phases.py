"""Times each phase of the demo's set-up in one process (run by bench_demo_setup.py in
a fresh ``SECONDCAREER_VAR_DIR``); prints one JSON line of seconds per phase."""

from __future__ import annotations

import io
import json
import os
import time

started = time.perf_counter()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secondcareer.config.settings")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402

phases = {"startup": time.perf_counter() - started}


def timed(name: str, *args: object, **options: object) -> None:
    begin = time.perf_counter()
    call_command(*args, stdout=io.StringIO(), **options)  # type: ignore[arg-type]
    phases[name] = time.perf_counter() - begin


timed("migrate", "migrate", interactive=False, verbosity=0)
for slug in ("kobe", "saitama"):
    timed(f"load-program {slug}", "load-program", slug, verbosity=0)
    timed(f"seed-demo {slug}", "seed-demo", program=slug, seekers=300, seed=1)
phases["total"] = time.perf_counter() - started
print(json.dumps({name: round(seconds, 2) for name, seconds in phases.items()}))
