from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "secondcareer.matching"
    label = "matching"
    verbose_name = _("マッチング")

    def ready(self) -> None:
        from secondcareer.matching.services import matching_from_preset
        from secondcareer.people.models import Role
        from secondcareer.people.roles import register_role_permissions
        from secondcareer.programs.services import register_preset_writer

        register_preset_writer(self.label, matching_from_preset)

        # Consultants and managers keep the profile with the seeker, see the matches and
        # pin or hide them; job developers read and keep profiles and see the matches
        # (for the employers they develop and the matching meeting), but never case
        # notes (they have no consultations.view_case_notes) and do not decide. Reception
        # and the municipality see nothing of matching.
        profile = {
            "matching.view_seekerprofile",
            "matching.add_seekerprofile",
            "matching.change_seekerprofile",
            "matching.view_matches",
        }
        decide = {"matching.decide_match", "matching.view_matchdecision"}
        register_role_permissions(
            "matching",
            {
                Role.CONSULTANT: profile | decide,
                Role.MANAGER: profile | decide,
                Role.JOB_DEVELOPER: profile,
            },
        )

        from secondcareer.core.panels import register_case_panel, register_posting_panel
        from secondcareer.matching.panels import matching_case_panel, matching_posting_panel

        # The seeker's recommendations on the case page: consultations, below
        # matching in the layers, renders the panels core.panels holds.
        register_case_panel("matching", matching_case_panel)
        register_posting_panel("matching", matching_posting_panel)
