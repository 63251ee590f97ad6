"""No task stays RUNNING forever: what a dead worker left behind is queued again, or
failed once too many workers have died on it, and what a live worker is running is
left alone. On both databases; the tasks are queued and claimed through
django-tasks-db itself, as a worker does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from secondcareer.infra.models import WorkerHeartbeat
from secondcareer.infra.services import (
    WorkerLost,
    abandoned_tasks_recover,
    worker_heartbeat_write,
)
from secondcareer.infra.tests.processes import DATABASE_TASKS, enqueue
from secondcareer.infra.tests.sample_tasks import echo
from secondcareer.infra.worker import ResilientWorker

TIMEOUT = dt.timedelta(seconds=300)
NOW = timezone.now()
LONG_AGO = NOW - dt.timedelta(seconds=301)
JUST_NOW = NOW - dt.timedelta(seconds=5)


def _claimed(*workers: str, started: dt.datetime = JUST_NOW) -> DBTaskResult:
    """A queued task claimed by each of ``workers`` in turn (the last one is running it)."""
    task = DBTaskResult.objects.get(id=enqueue(echo, "hello"))
    for worker in workers:
        task.claim(worker)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=started)
    task.refresh_from_db()
    return task


def _recover(**kwargs: object) -> tuple[int, int]:
    recovered = abandoned_tasks_recover(timeout=TIMEOUT, max_attempts=3, now=NOW, **kwargs)  # type: ignore[arg-type]
    return recovered.requeued, recovered.failed


@pytest.mark.django_db
def test_a_task_whose_worker_stopped_beating_is_queued_again() -> None:
    worker_heartbeat_write(worker_id="dead", now=LONG_AGO)
    task = _claimed("dead", started=LONG_AGO)

    assert _recover() == (1, 0)

    task.refresh_from_db()
    assert task.status == "READY"
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()  # a worker will claim it
    assert not WorkerHeartbeat.objects.filter(worker_id="dead").exists()


@pytest.mark.django_db
def test_a_long_task_of_a_live_worker_is_left_alone() -> None:
    worker_heartbeat_write(worker_id="alive", now=JUST_NOW)
    task = _claimed("alive", started=LONG_AGO)  # running for longer than the timeout

    assert _recover() == (0, 0)

    task.refresh_from_db()
    assert task.status == "RUNNING"
    assert WorkerHeartbeat.objects.filter(worker_id="alive").exists()


@pytest.mark.django_db
def test_a_task_of_a_worker_without_heartbeats_is_queued_again_after_the_timeout() -> None:
    """The library's own worker, or one started before heartbeats, writes none."""
    old = _claimed("library-worker", started=LONG_AGO)
    recent = _claimed("library-worker", started=JUST_NOW)

    assert _recover() == (1, 0)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == ("READY", "RUNNING")


@pytest.mark.django_db
def test_a_task_three_workers_died_on_is_failed_instead_of_queued_again() -> None:
    worker_heartbeat_write(worker_id="third", now=LONG_AGO)
    task = _claimed("first", "second", "third", started=LONG_AGO)

    assert _recover() == (0, 1)

    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.finished_at == NOW
    error = task.task_result.errors[0]
    assert error.exception_class is WorkerLost
    assert "3 workers stopped while running this task" in error.traceback


@pytest.mark.django_db
def test_a_worker_back_from_an_outage_queues_again_what_it_was_cut_off_from() -> None:
    """Between tasks, a worker runs nothing: a task still RUNNING under its own id lost
    its outcome to the outage, however fresh the worker's heartbeat."""
    worker_heartbeat_write(worker_id="me", now=JUST_NOW)
    mine = _claimed("me")
    theirs = _claimed("other")
    worker_heartbeat_write(worker_id="other", now=JUST_NOW)

    assert _recover(idle_worker_id="me") == (1, 0)

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == ("READY", "RUNNING")


@pytest.mark.django_db(transaction=True)
def test_the_next_worker_runs_a_task_a_dead_worker_left_running() -> None:
    """The worker itself, in this process (``--batch``: it stops when the queue is
    empty), recovers the task at start and runs it."""
    worker_heartbeat_write(worker_id="dead", now=timezone.now() - dt.timedelta(seconds=10))
    task = _claimed("dead", started=timezone.now() - dt.timedelta(seconds=10))

    with override_settings(TASKS=DATABASE_TASKS):
        ResilientWorker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="next",
            excluded_queue_names=[],
            timeout=2,
            max_attempts=3,
            reconnect_max_wait=1,
        ).run()
    connection.close()

    task.refresh_from_db()
    assert (task.status, task.return_value, task.worker_ids) == (
        "SUCCESSFUL",
        "hello",
        ["dead", "next"],
    )
    assert not WorkerHeartbeat.objects.exists()  # the dead one's removed, its own on exit
