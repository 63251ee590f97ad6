"""A real restart of the PostgreSQL server (the throwaway cluster, stopped and started
once for this module) needs nobody's help afterwards (issue 10, defects 4 and 5):

- a gunicorn worker that kept its connection (DATABASE_CONN_MAX_AGE) answers the first
  request after the restart normally, since the connection is checked first
  (CONN_HEALTH_CHECKS) instead of failing that request with a 503;
- a running ``secondcareer db_worker`` notices the outage, stays up, reconnects, and
  processes the tasks enqueued after the restart.
"""

from __future__ import annotations

import json
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django_tasks_db.models import DBTaskResult

from secondcareer.devtools.testing.pgcluster import Cluster
from secondcareer.infra.models import WorkerHeartbeat
from secondcareer.infra.tests.processes import (
    Process,
    child_env,
    enqueue,
    start_worker,
    status_of,
    wait_until,
)
from secondcareer.infra.tests.sample_tasks import echo

pytestmark = pytest.mark.restarts_database

try:  # gunicorn 27 opens a control socket in ~/.gunicorn, shared by every run
    from gunicorn.config import ControlSocket  # noqa: F401

    _NO_CONTROL_SOCKET = ["--no-control-socket"]
except ImportError:
    _NO_CONTROL_SOCKET = []


@dataclass
class Restarted:
    web: Process
    port: int
    worker: Process


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _healthz(port: int) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def _answers(port: int) -> tuple[int, dict[str, Any]] | None:
    try:
        return _healthz(port)
    except OSError:  # not listening yet (refused), or still booting (timed out)
        return None


@pytest.fixture(scope="module")
def restarted(
    pg_cluster: Cluster,
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Restarted]:
    """One gunicorn worker holding a persistent connection and one task worker, both
    busy before the server restarts; yields right after the restart, before anything
    else has touched the database."""
    logs: Path = tmp_path_factory.mktemp("restart")
    port = _free_port()
    web = Process(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "secondcareer.config.wsgi:application",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            *_NO_CONTROL_SOCKET,
        ],
        logs / "web.log",
        child_env(DATABASE_CONN_MAX_AGE="600"),
    )
    worker = start_worker(logs / "worker.log", worker_id="survivor")
    stopped = False
    try:
        with django_db_blocker.unblock():
            assert wait_until("a healthy web worker", lambda: _answers(port), watch=web)[0] == 200
            warm_up = enqueue(echo, "before the restart")
            wait_until("the warm-up task", lambda: status_of(warm_up) == "SUCCESSFUL", watch=worker)
            connections.close_all()

            pg_cluster.server_stop()
            stopped = True
            wait_until(
                "the worker noticing the outage",
                lambda: "lost the database" in worker.output or not worker.alive(),
            )
            pg_cluster.server_start()
            stopped = False
        yield Restarted(web=web, port=port, worker=worker)
    finally:
        if stopped:
            pg_cluster.server_start()
        connections.close_all()
        web.stop()
        worker.stop()
        with django_db_blocker.unblock():
            DBTaskResult.objects.filter(task_path__startswith=echo.module_path).delete()
            WorkerHeartbeat.objects.all().delete()


def test_the_first_request_after_a_database_restart_is_answered(restarted: Restarted) -> None:
    status, body = _healthz(restarted.port)

    assert (status, body) == (200, {"status": "ok", "database": "postgresql"}), (
        restarted.web.output[-3000:]
    )


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_goes_on_after_a_database_restart(restarted: Restarted) -> None:
    worker = restarted.worker
    assert worker.alive(), worker.output[-3000:]

    after = enqueue(echo, "after the restart")

    wait_until(
        "the task enqueued after the restart",
        lambda: status_of(after) == "SUCCESSFUL",
        watch=worker,
    )
    assert worker.alive()
    assert "reconnected to the database" in worker.output
