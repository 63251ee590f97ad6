from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfraConfig(AppConfig):
    """How the platform runs: the database roles ``migrate`` sets up, and the task
    worker that survives a database restart and a killed sibling. Listed before
    ``django_tasks_db`` so that its ``db_worker`` is the one ``secondcareer db_worker``
    runs."""

    name = "secondcareer.infra"
    label = "infra"
    verbose_name = _("運用基盤")
