"""System checks: the database can run the booking statements."""

from __future__ import annotations

import sqlite3
from typing import Any

from django.core.checks import Error, register
from django.db import connections

# The seat is taken with INSERT … ON CONFLICT … DO UPDATE … RETURNING (ADR 0007).
MIN_SQLITE = (3, 35, 0)


def sqlite_too_old(version: tuple[int, ...]) -> bool:
    return version < MIN_SQLITE


@register("database")
def check_sqlite_version(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if connections["default"].vendor != "sqlite":
        return []
    if not sqlite_too_old(sqlite3.sqlite_version_info):
        return []
    need = ".".join(map(str, MIN_SQLITE))
    return [
        Error(
            f"SQLite {sqlite3.sqlite_version} is too old for booking: {need} or newer is "
            "needed (INSERT … ON CONFLICT … RETURNING). Use a newer Python build or "
            "PostgreSQL (DATABASE_URL).",
            id="booking.E001",
        )
    ]
