"""A worker killed with ``kill -9`` half-way through a task leaves it RUNNING; another
worker takes it over once the dead one's heartbeat is TASKS_WORKER_TIMEOUT old, and
runs it to the end (issue 10, defect 4). Real worker processes on PostgreSQL; the
task waits on an advisory lock the test holds, so it is surely mid-task when killed."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from secondcareer.devtools.testing.pgcluster import Cluster
from secondcareer.infra.tests.processes import enqueue, start_worker, status_of, wait_until
from secondcareer.infra.tests.sample_tasks import wait_for_lock

pytestmark = pytest.mark.django_db(transaction=True)

LOCK = 91_021


@pytest.fixture
def held_lock(pg_cluster: Cluster) -> Iterator[psycopg.Connection]:
    """An advisory lock held by a connection of the test's own."""
    with psycopg.connect(
        host=str(pg_cluster.socket_dir),
        user="postgres",
        dbname=connection.settings_dict["NAME"],
        autocommit=True,
    ) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", [LOCK])
        yield holder


def test_a_task_left_running_by_a_killed_worker_is_finished_by_another_one(
    held_lock: psycopg.Connection, tmp_path: Path
) -> None:
    task_id = enqueue(wait_for_lock, LOCK)
    first = start_worker(tmp_path / "first.log", worker_id="first", timeout=2)
    second = None
    try:
        wait_until(
            "the first worker starting the task",
            lambda: status_of(task_id) == "RUNNING",
            watch=first,
        )
        os.kill(first.popen.pid, signal.SIGKILL)
        first.popen.wait(timeout=30)
        assert status_of(task_id) == "RUNNING"  # nobody is running it any more

        second = start_worker(tmp_path / "second.log", worker_id="second", timeout=2)
        held_lock.execute("SELECT pg_advisory_unlock(%s)", [LOCK])

        wait_until(
            "the second worker finishing the task",
            lambda: status_of(task_id) == "SUCCESSFUL",
            watch=second,
        )
    finally:
        first.stop()
        if second is not None:
            second.stop()

    done = DBTaskResult.objects.get(id=task_id)
    assert done.worker_ids == ["first", "second"]
    assert done.return_value == f"got lock {LOCK}"
    assert f"task {task_id} queued again: worker first is gone" in second.output
