"""Real worker and web processes for the worker tests, against this run's test
database (PostgreSQL: the processes are separate, so they must share a server)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection
from django.test import override_settings
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def child_env(**extra: str) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{quote(str(db['HOST']), safe='')}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=url,
        SECONDCAREER_ENV="test",
        TASKS_BACKEND="database",
        DJANGO_SETTINGS_MODULE="secondcareer.config.settings",
        **extra,
    )
    return env


class Process:
    """A child process whose output goes to a file, so a test can wait for a line."""

    def __init__(self, command: list[str], log: Path, env: dict[str, str]) -> None:
        self.log = log
        self._file = log.open("wb")
        self.popen = subprocess.Popen(  # noqa: S603 - this interpreter, our own commands
            command, env=env, stdout=self._file, stderr=subprocess.STDOUT
        )

    @property
    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.popen.terminate()
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._file.close()


def start_worker(log: Path, *, worker_id: str, timeout: int = 300) -> Process:
    return Process(
        [
            sys.executable,
            "-m",
            "secondcareer",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--worker-id",
            worker_id,
        ],
        log,
        child_env(TASKS_WORKER_TIMEOUT=str(timeout), TASKS_RECONNECT_MAX_WAIT="1"),
    )


def wait_until(
    what: str, check: Callable[[], Any], *, seconds: float = 60, watch: Process | None = None
) -> Any:
    """Poll ``check`` until it returns something true, with a deadline; fail early if
    the ``watch``ed process dies."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if watch is not None and not watch.alive():
            raise AssertionError(f"the process exited before {what}:\n{watch.output[-3000:]}")
        time.sleep(0.05)
    tail = f"\n{watch.output[-3000:]}" if watch is not None else ""
    raise AssertionError(f"timed out ({seconds} s) waiting for {what}{tail}")


def enqueue(task: Task[Any, Any], *args: Any) -> str:
    """Put ``task`` on the database queue (this process's tests run tasks immediately)."""
    with override_settings(TASKS=DATABASE_TASKS):
        return str(task.enqueue(*args).id)


def status_of(task_id: str) -> str:
    return str(DBTaskResult.objects.values_list("status", flat=True).get(id=task_id))
