"""Tasks the worker tests enqueue (importable by a worker process by their path)."""

from __future__ import annotations

from django.db import connection
from django_tasks import task


@task()
def echo(value: str) -> str:
    return value


@task()
def wait_for_lock(key: int) -> str:
    """Runs until the test releases PostgreSQL advisory lock ``key`` (no sleeping: it
    waits on the lock), so a test can kill the worker half-way through it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    return f"got lock {key}"
