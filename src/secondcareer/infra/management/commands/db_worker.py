"""``secondcareer db_worker``: django-tasks-db's worker command with the same options,
plus a worker that reconnects after a database restart and takes over the tasks a
killed worker left RUNNING (:mod:`secondcareer.infra.worker`)."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as library

from secondcareer.infra.worker import ResilientWorker


def _positive(value: str) -> float:
    number = float(value)
    if not number > 0:
        raise ValueError(value)
    return number


class Command(library.Command):
    help = (
        "Run a database task worker that survives database restarts and takes over "
        "the tasks of killed workers"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--timeout",
            type=_positive,
            default=settings.TASKS_WORKER_TIMEOUT,
            help=(
                "Seconds without a heartbeat after which a worker is taken for dead and "
                "its RUNNING tasks are queued again (default: TASKS_WORKER_TIMEOUT, %(default)s)"
            ),
        )
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=settings.TASKS_MAX_ATTEMPTS,
            help=(
                "Workers that may die on one task before it is marked failed instead of "
                "queued again (default: TASKS_MAX_ATTEMPTS, %(default)s)"
            ),
        )
        parser.add_argument(
            "--reconnect-max-wait",
            type=_positive,
            default=settings.TASKS_RECONNECT_MAX_WAIT,
            help=(
                "Longest pause in seconds between attempts to reach a database that went "
                "away (default: TASKS_RECONNECT_MAX_WAIT, %(default)s)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        reload, batch = options["reload"], options["batch"]
        if reload and batch:
            reload = False  # as the library does: a batch run is not reloaded
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        if options["max_attempts"] < 1:
            raise CommandError("--max-attempts must be 1 or more")

        worker = ResilientWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
            timeout=options["timeout"],
            max_attempts=options["max_attempts"],
            reconnect_max_wait=options["reconnect_max_wait"],
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child handles signals
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
