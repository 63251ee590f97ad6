from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_cache_table(sender: AppConfig, *, using: str = "default", **kwargs: Any) -> None:
    """``migrate`` also creates the table of the database cache (``CACHE_URL`` empty or
    ``db``), so that a new database, a test database included, never lacks it."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "secondcareer.core"
    label = "core"
    verbose_name = _("共通基盤")

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="core_cache_table")
