"""``secondcareer migrate``: Django's migrate, run as the owner role when
``MIGRATE_DATABASE_URL`` is set, ending by granting the runtime role of ``DATABASE_URL``
exactly the privileges it needs (:mod:`secondcareer.infra.roles`)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate

from secondcareer.infra.roles import connected_as_owner, grant_runtime_role


class Command(migrate.Command):
    help = (
        "Apply migrations as the owner role (MIGRATE_DATABASE_URL when set), then grant "
        "the runtime role (DATABASE_URL) its privileges"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        database = options["database"]
        with connected_as_owner(database) as runtime:
            super().handle(*args, **options)
            if runtime is not None and not (options["plan"] or options["check_unapplied"]):
                role = grant_runtime_role(database, runtime)
                if role and options["verbosity"] >= 1:
                    self.stdout.write(f"Granted the runtime role {role} its privileges.")
