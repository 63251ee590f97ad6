"""The running app's PostgreSQL role cannot erase or alter the audit log (issue 10,
DESIGN.md invariant 5), and the app still works as that role.

In the throwaway cluster: the SQL of docs/operations.md ("Database roles") creates the
owner and runtime roles and a fresh database, ``secondcareer migrate`` runs in a
subprocess with MIGRATE_DATABASE_URL (owner) and DATABASE_URL (runtime), and then,
connected as the runtime role, every way of erasing the log is refused while the app's
own reads and writes go through.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from psycopg import errors

from secondcareer.devtools.testing.pgcluster import Cluster
from secondcareer.infra.roles import runtime_grants

OWNER, RUNTIME, DATABASE = "secondcareer_owner", "secondcareer_app", "secondcareer"
OPERATIONS = Path(settings.PROJECT_DIR) / "docs" / "operations.md"

AS_THE_APP = """
from django.core.cache import cache
from django.test import Client
from django_tasks import task_backends
from secondcareer.booking.tasks import send_day_before_reminders
from secondcareer.core.audit import audit_log
from secondcareer.programs.services import program_load_preset

program = program_load_preset(path_or_name="kobe").program
audit_log(actor=None, action="view", obj=program, program_slug=program.slug, note="role test")
cache.set("role-test", "cached", 60)
assert cache.get("role-test") == "cached"
queued = send_day_before_reminders.enqueue()
assert task_backends["default"].get_result(queued.id).status == "READY"
health = Client().get("/healthz")
print("healthz", health.status_code)
"""


def _documented_sql() -> list[list[str]]:
    """The statements of each ```sql block in the "Database roles" section."""
    text = OPERATIONS.read_text(encoding="utf-8")
    section = text.split("## Database roles", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL)
    statements = []
    for block in blocks:
        lines = [line for line in block.splitlines() if not line.startswith("--")]
        statements.append([s.strip() for s in " ".join(lines).split(";") if s.strip()])
    return statements


def _connect(cluster: Cluster, *, user: str, dbname: str) -> psycopg.Connection:
    return psycopg.connect(host=str(cluster.socket_dir), user=user, dbname=dbname, autocommit=True)


def _url(cluster: Cluster, user: str) -> str:
    return cluster.url(DATABASE).replace("postgres://postgres@", f"postgres://{user}@", 1)


def _secondcareer(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"MIGRATE_DATABASE_URL"}}
    clean.update(env)
    return subprocess.run(  # noqa: S603 - this interpreter, our own command
        [sys.executable, "-m", "secondcareer", *args],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture(scope="module")
def migrated(pg_cluster: Cluster) -> Iterator[Cluster]:
    """A fresh database set up as docs/operations.md says and migrated as the owner."""
    cluster_wide, in_database, _ = _documented_sql()
    with _connect(pg_cluster, user="postgres", dbname="postgres") as admin:
        for statement in cluster_wide:
            admin.execute(statement)
    try:
        with _connect(pg_cluster, user="postgres", dbname=DATABASE) as admin:
            for statement in in_database:
                admin.execute(statement)
        result = _secondcareer(
            "migrate",
            "--no-input",
            MIGRATE_DATABASE_URL=_url(pg_cluster, OWNER),
            DATABASE_URL=_url(pg_cluster, RUNTIME),
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert f"Granted the runtime role {RUNTIME} its privileges." in result.stdout
        yield pg_cluster
    finally:
        with _connect(pg_cluster, user="postgres", dbname="postgres") as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {RUNTIME}")
            admin.execute(f"DROP ROLE IF EXISTS {OWNER}")


@pytest.fixture
def as_runtime(migrated: Cluster) -> Iterator[psycopg.Connection]:
    with _connect(migrated, user=RUNTIME, dbname=DATABASE) as connection:
        yield connection


def _audit_rows(cluster: Cluster) -> int:
    with _connect(cluster, user=OWNER, dbname=DATABASE) as owner:
        row = owner.execute("SELECT count(*) FROM core_auditentry").fetchone()
        assert row is not None
        return int(row[0])


def _insert_audit_row(connection: psycopg.Connection) -> int:
    row = connection.execute(
        "INSERT INTO core_auditentry (at, actor_username, program_slug, action, object_type,"
        " object_id, path, note) VALUES (now(), 'system', '', 'view', 'test.thing', '1', '',"
        " 'role test') RETURNING id"
    ).fetchone()
    assert row is not None
    return int(row[0])


def test_the_runtime_role_can_append_to_and_read_the_audit_log(
    as_runtime: psycopg.Connection,
) -> None:
    entry = _insert_audit_row(as_runtime)
    found = as_runtime.execute("SELECT note FROM core_auditentry WHERE id = %s", [entry])
    assert found.fetchone() == ("role test",)


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM core_auditentry",
        "UPDATE core_auditentry SET note = 'rewritten'",
        "TRUNCATE core_auditentry",
        "ALTER TABLE core_auditentry DISABLE TRIGGER ALL",
        "DROP TRIGGER core_auditentry_no_change ON core_auditentry",
        "DROP TABLE core_auditentry",
        "ALTER TABLE core_auditentry OWNER TO secondcareer_app",
        "SET session_replication_role = replica",
        "CREATE TABLE core_auditentry_copy (id bigint)",
        "INSERT INTO django_migrations (app, name, applied) VALUES ('core', 'fake', now())",
    ],
)
def test_the_runtime_role_cannot_erase_or_alter_the_audit_log(
    migrated: Cluster, as_runtime: psycopg.Connection, statement: str
) -> None:
    _insert_audit_row(as_runtime)
    before = _audit_rows(migrated)

    with pytest.raises(errors.InsufficientPrivilege):
        as_runtime.execute(statement)

    assert _audit_rows(migrated) == before


def test_the_runtime_role_owns_nothing_and_may_truncate_nothing(
    as_runtime: psycopg.Connection,
) -> None:
    owned = as_runtime.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user"
    ).fetchone()
    too_much = as_runtime.execute(
        "SELECT table_name, privilege_type FROM information_schema.table_privileges"
        " WHERE grantee = current_user"
        " AND privilege_type IN ('TRUNCATE', 'REFERENCES', 'TRIGGER')"
    ).fetchall()
    tables = as_runtime.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    ).fetchall()
    assert owned == (0,)
    assert too_much == []
    needed = {"core_cache", "django_session", "django_tasks_database_dbtaskresult"}
    assert needed <= {name for (name,) in tables}
    for (table,) in tables:
        privileges = {
            privilege
            for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE")
            if as_runtime.execute(
                "SELECT has_table_privilege(current_user, %s, %s)", [f"public.{table}", privilege]
            ).fetchone()
            == (True,)
        }
        expected = {
            "core_auditentry": {"SELECT", "INSERT"},
            "django_migrations": {"SELECT"},
        }.get(table, {"SELECT", "INSERT", "UPDATE", "DELETE"})
        assert privileges == expected, table


def test_the_app_works_as_the_runtime_role(migrated: Cluster) -> None:
    """Loading a program (select_for_update, inserts, updates), the audit log, the
    shared cache table, the task queue and /healthz, all as the runtime role."""
    before = _audit_rows(migrated)
    result = _secondcareer(
        "shell",
        "--no-imports",
        "-c",
        AS_THE_APP,
        DATABASE_URL=_url(migrated, RUNTIME),
        TASKS_BACKEND="database",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "healthz 200" in result.stdout
    assert _audit_rows(migrated) == before + 1


def test_migrate_refuses_a_runtime_role_that_could_erase_the_log(migrated: Cluster) -> None:
    """A superuser as the runtime role (a common slip: the DBA's own URL) is refused
    with a message, not silently accepted."""
    result = _secondcareer(
        "migrate",
        "--no-input",
        MIGRATE_DATABASE_URL=_url(migrated, OWNER),
        DATABASE_URL=_url(migrated, "postgres"),
    )

    assert result.returncode != 0
    assert "is a superuser or a member of the owner" in result.stderr


def test_migrate_grants_what_docs_operations_says() -> None:
    *_, grants = _documented_sql()
    assert grants == runtime_grants(owner=OWNER, runtime=RUNTIME)
