"""The database settings, built in one place for either vendor.

``database_settings(url)`` turns a ``DATABASE_URL`` (or nothing, for the embedded
default file) into one entry of Django's ``DATABASES``:

- SQLite (the default file, or any ``sqlite:///relative/path`` /
  ``sqlite:////absolute/path`` URL): WAL journal, ``BEGIN IMMEDIATE`` for every
  transaction (it takes the write lock at BEGIN, so concurrent writers queue instead of
  failing half-way), a 20-second busy timeout, foreign keys on.
- PostgreSQL: psycopg's server-side parameter binding and prepared statements (a
  statement run five times on a persistent connection is parsed and planned once).
  Behind a transaction-pooling proxy (PgBouncer without prepared-statement support)
  ``prepare_threshold=None`` switches preparing off.

Options given in the URL's query string win over these defaults.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

SQLITE_ENGINE = "django.db.backends.sqlite3"
POSTGRES_ENGINES = {"django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"}

SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
}


def database_settings(
    url: str,
    *,
    default_sqlite_path: Path,
    conn_max_age: int = 0,
    conn_health_checks: bool = True,
    server_side_binding: bool = True,
    prepare_threshold: int | None = 5,
) -> dict[str, Any]:
    """One ``DATABASES`` entry for ``url``; an empty ``url`` means the SQLite file at
    ``default_sqlite_path``."""
    config: dict[str, Any]
    if url:
        config = dict(
            dj_database_url.parse(
                url, conn_max_age=conn_max_age, conn_health_checks=conn_health_checks
            )
        )
    else:
        config = {"ENGINE": SQLITE_ENGINE, "NAME": str(default_sqlite_path)}
    config.setdefault("CONN_MAX_AGE", conn_max_age)
    config.setdefault("CONN_HEALTH_CHECKS", conn_health_checks)
    given = dict(config.get("OPTIONS") or {})
    engine = config["ENGINE"]
    if engine == SQLITE_ENGINE:
        config["OPTIONS"] = {**SQLITE_OPTIONS, **given}
    elif engine in POSTGRES_ENGINES:
        config["OPTIONS"] = {
            "server_side_binding": server_side_binding,
            "prepare_threshold": prepare_threshold,
            **given,
        }
    return config
