"""Two PostgreSQL roles (docs/adr/0012-database-roles.md): the owner, which ``migrate``
connects as (``MIGRATE_DATABASE_URL``) and which owns every table, and the runtime role
of the running app (``DATABASE_URL``), which owns nothing and may only read and write
rows: SELECT/INSERT/UPDATE/DELETE on ordinary tables, USAGE on sequences, SELECT and
INSERT only on the append-only audit log, SELECT only on ``django_migrations``, and no
TRUNCATE, REFERENCES or TRIGGER anywhere. Not owning a table, it can neither alter,
disable the triggers of, nor drop it.

``migrate`` run as the owner ends by granting exactly that (:func:`runtime_grants`),
every time, so tables added by later migrations are covered, and sets the owner's
default privileges so that a table created some other way gets the ordinary rights.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections

from secondcareer.core.models import AuditEntry

# Tables the runtime role may only read and append to.
APPEND_ONLY_TABLES = (AuditEntry._meta.db_table,)
# Tables the runtime role may only read.
READ_ONLY_TABLES = ("django_migrations",)

_CONNECTION_KEYS = ("NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")


def quote_ident(name: str) -> str:
    """A PostgreSQL identifier, quoted (any name is safe, a quote included)."""
    return '"' + name.replace('"', '""') + '"'


def runtime_grants(*, owner: str, runtime: str, schema: str = "public") -> list[str]:
    """The statements the owner runs so that ``runtime`` gets exactly its privileges on
    the tables and sequences of ``schema``. Idempotent: everything is revoked first."""
    o, r, s = quote_ident(owner), quote_ident(runtime), quote_ident(schema)
    dml = "SELECT, INSERT, UPDATE, DELETE"
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}",
        f"GRANT {dml} ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
    ]
    statements += [
        f"REVOKE UPDATE, DELETE ON {s}.{quote_ident(t)} FROM {r}" for t in APPEND_ONLY_TABLES
    ]
    statements += [
        f"REVOKE INSERT, UPDATE, DELETE ON {s}.{quote_ident(t)} FROM {r}" for t in READ_ONLY_TABLES
    ]
    statements += [
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT {dml} ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT USAGE ON SEQUENCES TO {r}",
    ]
    return statements


def owner_database() -> dict[str, Any] | None:
    """The owner's connection settings (``MIGRATE_DATABASE_URL``), or None when
    ``DATABASE_URL`` does both jobs."""
    return settings.MIGRATE_DATABASE


@contextmanager
def connected_as_owner(alias: str) -> Iterator[dict[str, Any] | None]:
    """Inside, ``connections[alias]`` uses the owner's settings; it is put back (and
    reconnects as the runtime role) on the way out. Yields the runtime settings it
    replaced, or None when there is no separate owner."""
    owner = owner_database()
    if owner is None or alias != "default":
        yield None
        return
    connection = connections[alias]
    runtime = {key: connection.settings_dict.get(key) for key in _CONNECTION_KEYS}
    if owner["ENGINE"] != connection.settings_dict["ENGINE"] or (
        owner.get("NAME"),
        owner.get("HOST") or "",
        str(owner.get("PORT") or ""),
    ) != (runtime["NAME"], runtime["HOST"] or "", str(runtime["PORT"] or "")):
        raise CommandError(
            "MIGRATE_DATABASE_URL must name the same database as DATABASE_URL "
            "(only the role and its password may differ)."
        )
    connection.close()
    connection.settings_dict.update({key: owner.get(key) for key in _CONNECTION_KEYS})
    try:
        yield runtime
    finally:
        connection.close()
        connection.settings_dict.update(runtime)


def grant_runtime_role(alias: str, runtime: dict[str, Any]) -> str | None:
    """Run :func:`runtime_grants` on ``connections[alias]`` (connected as the owner) for
    the role of ``runtime``. Returns the role granted to, or None when there is nothing
    to do (not PostgreSQL, or the same role). Refuses a runtime role that is a superuser
    or a member of the owner: either could erase the audit log."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema()")
        owner, schema = cursor.fetchone()
        role = runtime.get("USER") or owner
        if role == owner:
            return None
        cursor.execute(
            "SELECT rolsuper, pg_has_role(rolname, current_user, 'MEMBER') "
            "FROM pg_roles WHERE rolname = %s",
            [role],
        )
        found = cursor.fetchone()
        if found is None:
            raise CommandError(
                f"The runtime role {role!r} of DATABASE_URL does not exist; create it "
                "first (docs/operations.md, “Database roles”)."
            )
        superuser, member_of_owner = found
        if superuser or member_of_owner:
            raise CommandError(
                f"The runtime role {role!r} is a superuser or a member of the owner "
                f"{owner!r}, so it could alter or erase the audit log; give the app a "
                "role of its own (docs/operations.md, “Database roles”)."
            )
        for statement in runtime_grants(owner=owner, runtime=role, schema=schema):
            cursor.execute(statement)
    return str(role)
