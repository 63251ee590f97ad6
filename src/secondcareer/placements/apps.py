from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "secondcareer.placements"
    label = "placements"
    verbose_name = _("職業紹介・就職決定・定着支援")

    def ready(self) -> None:
        from secondcareer.placements.internship_access import register_internship_permissions

        register_internship_permissions()
