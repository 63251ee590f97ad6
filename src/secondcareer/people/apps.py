from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "secondcareer.people"
    label = "people"
    verbose_name = _("利用者・スタッフ")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from secondcareer.people.roles import sync_role_groups

        # Setup, not business logic: keep each role's group in step with ROLE_PERMISSIONS.
        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="people_sync_role_groups")
