"""Writes of the task worker's own bookkeeping: heartbeats, and tasks a dead worker
left RUNNING (docs/adr/0013-worker-resilience.md)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from secondcareer.infra.models import WorkerHeartbeat

log = logging.getLogger(__name__)


class WorkerLost(Exception):
    """Recorded as the error of a task whose workers all died while running it."""


WORKER_LOST_PATH = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


@dataclass(frozen=True)
class Recovered:
    requeued: int = 0
    failed: int = 0


def worker_heartbeat_write(*, worker_id: str, now: dt.datetime | None = None) -> None:
    """Say that ``worker_id`` is alive (creating its row on the first beat)."""
    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now},
        create_defaults={
            "seen_at": now,
            "started_at": now,
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def worker_heartbeat_remove(*, worker_id: str) -> None:
    """A worker stopping cleanly takes its row away."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def abandoned_tasks_recover(
    *,
    timeout: dt.timedelta,
    max_attempts: int,
    idle_worker_id: str | None = None,
    now: dt.datetime | None = None,
) -> Recovered:
    """Queue again every RUNNING task whose worker is gone, or fail it when
    ``max_attempts`` workers have already died on it, so that no task stays RUNNING
    forever.

    A task's worker is the last id in its ``worker_ids``. It is gone when its heartbeat
    is older than ``timeout``; a worker with no heartbeat row at all (the library's own
    worker, or one from before heartbeats) is gone once the task started more than
    ``timeout`` ago. ``idle_worker_id`` is the calling worker when it runs nothing (it
    has just reconnected to the database): a task still RUNNING under its id was cut
    off by the outage and is queued again too. Each row is changed only if it is still
    the same run (status and start time unchanged), so two workers recovering at once,
    or a worker finishing at that moment, never clash."""
    now = now or timezone.now()
    cutoff = now - timeout
    seen = dict(WorkerHeartbeat.objects.values_list("worker_id", "seen_at"))
    requeued = failed = 0
    running = DBTaskResult.objects.running().only("id", "worker_ids", "started_at")
    for task in running:
        worker = task.worker_ids[-1] if task.worker_ids else None
        if worker is not None and worker == idle_worker_id:
            abandoned = True
        elif worker in seen:
            abandoned = seen[worker] < cutoff
        else:
            abandoned = task.started_at is None or task.started_at < cutoff
        if not abandoned:
            continue
        same_run = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        with transaction.atomic():
            if len(task.worker_ids) >= max_attempts:
                changed = same_run.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    return_value=None,
                    exception_class_path=WORKER_LOST_PATH,
                    traceback=(
                        f"{WORKER_LOST_PATH}: {len(task.worker_ids)} workers stopped while "
                        "running this task (killed, or cut off from the database); it is "
                        "not tried again.\n"
                    ),
                )
                failed += changed
                if changed:
                    log.error(
                        "task %s failed: %d workers died running it", task.pk, len(task.worker_ids)
                    )
            else:
                changed = same_run.update(status=TaskResultStatus.READY, started_at=None)
                requeued += changed
                if changed:
                    log.warning("task %s queued again: worker %s is gone", task.pk, worker)
    # Heartbeats of dead workers have served their purpose once their tasks are handled.
    WorkerHeartbeat.objects.filter(seen_at__lt=cutoff).exclude(worker_id=idle_worker_id).delete()
    return Recovered(requeued=requeued, failed=failed)
