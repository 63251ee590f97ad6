"""The task worker behind ``secondcareer db_worker``: django-tasks-db's own worker loop,
made to survive the database and its siblings (docs/adr/0013-worker-resilience.md).

- **A database restart** (or any lost connection) no longer ends the process: the
  library's loop raises ``OperationalError``/``InterfaceError``, and this worker closes
  its connections, waits with a growing pause (capped at ``reconnect_max_wait``) until
  the database answers again, queues again what the outage cut off, and goes on.
- **A killed worker's tasks** do not stay RUNNING: a thread writes this worker's
  heartbeat every ``timeout / 5`` seconds and, on the same beat, queues again the
  RUNNING tasks of workers not seen for ``timeout`` seconds (or fails them once
  ``max_attempts`` workers have died on the same task).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time

from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
)
from django.db import connection as db_connection
from django_tasks_db.management.commands.db_worker import Worker

from secondcareer.infra.services import (
    abandoned_tasks_recover,
    worker_heartbeat_remove,
    worker_heartbeat_write,
)

log = logging.getLogger(__name__)

CONNECTION_LOST = (OperationalError, InterfaceError)
FIRST_RECONNECT_WAIT = 0.5


class ResilientWorker(Worker):
    def __init__(
        self, *, timeout: float, max_attempts: int, reconnect_max_wait: float, **options: object
    ) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.timeout = dt.timedelta(seconds=timeout)
        self.max_attempts = max_attempts
        self.reconnect_max_wait = reconnect_max_wait
        self._stopping = threading.Event()
        self._heartbeat = threading.Thread(
            target=self._beat_until_stopped,
            args=(timeout / 5,),
            name=f"heartbeat-{self.worker_id}",
            daemon=True,
        )

    # --- the main loop ------------------------------------------------------------------

    def run(self) -> None:
        self._heartbeat.start()
        try:
            self._start_or_wait()
            while True:
                try:
                    super().run()
                    return
                except CONNECTION_LOST as exc:
                    log.warning(
                        "worker %s lost the database (%s); reconnecting",
                        self.worker_id,
                        type(exc).__name__,
                    )
                    self.startup_delay = False
                    self._wait_for_database()
                    self._recover(idle=True)
        finally:
            self._stopping.set()
            self._heartbeat.join(timeout=30)
            self._leave()

    def _start_or_wait(self) -> None:
        """The first beat and recovery pass; a database that is down at start is waited
        for like one that goes away later."""
        try:
            self._beat()
            self._recover(idle=True)
        except CONNECTION_LOST:
            log.warning("worker %s: the database is unavailable; waiting", self.worker_id)
            self._wait_for_database()
            self._recover(idle=True)

    def _wait_for_database(self) -> None:
        wait = FIRST_RECONNECT_WAIT
        while True:
            connections.close_all()
            try:
                with db_connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                    cursor.fetchone()
            except CONNECTION_LOST:
                time.sleep(wait)
                wait = min(wait * 2, self.reconnect_max_wait)
                continue
            log.warning("worker %s reconnected to the database", self.worker_id)
            self._beat()
            return

    def _recover(self, *, idle: bool) -> None:
        """Queue again what dead workers left RUNNING; when ``idle`` (between tasks, in
        the main thread), also what the database outage cut off in this worker."""
        recovered = abandoned_tasks_recover(
            timeout=self.timeout,
            max_attempts=self.max_attempts,
            idle_worker_id=self.worker_id if idle else None,
        )
        if recovered.requeued or recovered.failed:
            log.warning(
                "worker %s recovered abandoned tasks: %d queued again, %d failed",
                self.worker_id,
                recovered.requeued,
                recovered.failed,
            )

    def _beat(self) -> None:
        worker_heartbeat_write(worker_id=self.worker_id)

    def _leave(self) -> None:
        # If the database is away, the row goes stale and a recovery pass removes it.
        with contextlib.suppress(DatabaseError):
            worker_heartbeat_remove(worker_id=self.worker_id)

    # --- the heartbeat thread -----------------------------------------------------------

    def _beat_until_stopped(self, every: float) -> None:
        while not self._stopping.wait(every):
            try:
                close_old_connections()
                self._beat()
                self._recover(idle=False)
            except DatabaseError as exc:
                log.debug("worker %s: heartbeat failed (%s)", self.worker_id, type(exc).__name__)
                db_connection.close()
        db_connection.close()
