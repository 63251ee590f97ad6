"""``DATABASE_URL=sqlite:///…`` runs the platform on that SQLite file, with the settings
of the embedded default (WAL, IMMEDIATE transactions, busy timeout, foreign keys), and
a PostgreSQL URL keeps psycopg's options. Real commands in a subprocess, as a user
runs them."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from secondcareer.config.database import database_settings

SHOW_CONNECTION = """
from django.db import connection
with connection.cursor() as cursor:
    pragmas = {}
    for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous"):
        cursor.execute(f"PRAGMA {name}")
        pragmas[name] = cursor.fetchone()[0]
print(json.dumps({"file": connection.settings_dict["NAME"],
                  "mode": connection.transaction_mode, **pragmas}))
"""


def _secondcareer(cwd: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MIGRATE_DATABASE_URL"}}
    env["DATABASE_URL"] = url
    return subprocess.run(  # noqa: S603 - this interpreter, our own command
        [sys.executable, "-m", "secondcareer", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _journal_mode(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return str(db.execute("PRAGMA journal_mode").fetchone()[0])


def test_a_relative_sqlite_url_migrates_that_file_with_the_default_sqlite_settings(
    tmp_path: Path,
) -> None:
    url = "sqlite:///elsewhere.sqlite3"  # relative to the working directory

    migrated = _secondcareer(tmp_path, url, "migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    assert _journal_mode(tmp_path / "elsewhere.sqlite3") == "wal"

    shown = _secondcareer(
        tmp_path, url, "shell", "--no-imports", "-c", "import json\n" + SHOW_CONNECTION
    )
    assert shown.returncode == 0, shown.stderr[-3000:]
    connection = json.loads(shown.stdout.strip().splitlines()[-1])
    assert (tmp_path / connection["file"]).resolve() == (tmp_path / "elsewhere.sqlite3").resolve()
    assert connection["mode"] == "IMMEDIATE"
    assert connection["journal_mode"] == "wal"
    assert connection["busy_timeout"] == 20000
    assert connection["foreign_keys"] == 1


def test_an_absolute_sqlite_url_migrates_that_file_in_wal_mode(tmp_path: Path) -> None:
    database = tmp_path / "data" / "platform.sqlite3"
    database.parent.mkdir()
    url = f"sqlite:///{database}"  # sqlite:////tmp/…: four slashes, an absolute path
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()

    migrated = _secondcareer(elsewhere, url, "migrate", "--no-input")

    assert migrated.returncode == 0, migrated.stderr[-3000:]
    assert _journal_mode(database) == "wal"
    assert list(elsewhere.iterdir()) == []


def test_options_in_a_sqlite_url_win_over_the_defaults(tmp_path: Path) -> None:
    config = database_settings(
        "sqlite:///x.sqlite3?timeout=5", default_sqlite_path=tmp_path / "default.sqlite3"
    )
    assert config["NAME"] == "x.sqlite3"
    assert config["OPTIONS"]["timeout"] == 5
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "server_side_binding" not in config["OPTIONS"]


def test_a_postgres_url_gets_psycopg_options_and_health_checks(tmp_path: Path) -> None:
    config = database_settings(
        "postgres://app@%2Frun%2Fpostgresql/secondcareer",
        default_sqlite_path=tmp_path / "default.sqlite3",
        conn_max_age=600,
        prepare_threshold=None,
    )
    assert (config["HOST"], config["NAME"], config["USER"]) == (
        "/run/postgresql",
        "secondcareer",
        "app",
    )
    assert config["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": None}
    assert (config["CONN_MAX_AGE"], config["CONN_HEALTH_CHECKS"]) == (600, True)
    assert "transaction_mode" not in config["OPTIONS"]
