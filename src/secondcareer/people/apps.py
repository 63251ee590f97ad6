from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "secondcareer.people"
    label = "people"
    verbose_name = _("利用者・スタッフ")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from secondcareer.people.roles import sync_role_groups

        # Setup, not business logic: keep each role's group in step with ROLE_PERMISSIONS.
        # It runs after the LAST app's post_migrate, when every app's permissions exist
        # (apps above people add their permissions to ROLE_PERMISSIONS in ready()).
        # (Django sends post_migrate only to apps that have a models module.)
        last = [a for a in apps.get_app_configs() if a.models_module is not None][-1]
        post_migrate.connect(sync_role_groups, sender=last, dispatch_uid="people_sync_role_groups")
