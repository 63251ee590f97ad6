from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "secondcareer.matching"
    label = "matching"
    verbose_name = _("マッチング")

    def ready(self) -> None:
        from secondcareer.core.panels import register_case_panel
        from secondcareer.matching.panels import matching_case_panel

        # The seeker's recommendations on the case page: consultations, below
        # matching in the layers, renders the panels core.panels holds.
        register_case_panel("matching", matching_case_panel)
