"""The demo's set-up: ``secondcareer demo --no-serve`` on a fresh SQLite database.

What a newcomer waits for after ``make venv``: migrate an empty SQLite file, load the
kobe and saitama presets, seed both programs with the demo's default sizes (300 seekers
each, a year of history, three weeks ahead) and make the staff login. Each run is a
subprocess in its own fresh ``SECONDCAREER_VAR_DIR`` (so a new database), without
``DATABASE_URL``; the figure is the median wall time of the runs, next to the CPU time
the process used (on a shared machine the wall time also counts waiting for a core).

A further run of ``_demo_phases.py`` (also a subprocess, fresh directory) times each
phase on its own: start-up (imports and ``django.setup()``), migrate, and per program
``load-program`` and ``seed-demo``.

Target (issue 10): ≤ 60 s once the environment is installed, on 2 cores.
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
RUNS = int(os.environ.get("BENCH_DEMO_RUNS", "3"))
TARGET_S = 60.0


def _env(var_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_NAME")}
    env["SECONDCAREER_VAR_DIR"] = var_dir
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the console script's own default
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _one_run() -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as var_dir:
        cpu = _children_cpu()
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "secondcareer", "demo", "--no-serve"],
            env=_env(var_dir),
            capture_output=True,
            text=True,
            timeout=900,
        )
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"demo --no-serve failed: {done.stderr[-3000:]}")
        if "デモの準備ができました。" not in done.stdout:
            raise RuntimeError(f"demo --no-serve did not finish: {done.stdout[-3000:]}")
        return wall, _children_cpu() - cpu


def _phases() -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as var_dir:
        done = subprocess.run(
            [sys.executable, str(HERE / "_demo_phases.py")],
            env=_env(var_dir),
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0:
            raise RuntimeError(f"phases failed: {done.stderr[-3000:]}")
        phases: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        return phases


def run() -> dict[str, object]:
    walls, cpus, loads = [], [], []
    for _ in range(RUNS):
        loads.append(round(os.getloadavg()[0], 2))
        wall, cpu = _one_run()
        walls.append(round(wall, 2))
        cpus.append(round(cpu, 2))
    median = statistics.median(walls)
    return {
        "what": "secondcareer demo --no-serve on a fresh SQLite file (migrate, 2 presets, "
        "seed-demo 300 seekers each, staff login), as a subprocess",
        "runs_s": walls,
        "cpu_s": cpus,
        "load_1min_before": loads,
        "median_s": round(median, 2),
        "phases_s": _phases(),
        "target_s": TARGET_S,
        "met": median <= TARGET_S,
    }
