from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "secondcareer.placements"
    label = "placements"
    verbose_name = _("職業紹介・就職決定・定着支援")

    def ready(self) -> None:
        from secondcareer.consultations.stages import register_stage_source
        from secondcareer.people.models import Role
        from secondcareer.people.roles import register_role_permissions
        from secondcareer.placements import stages

        # The case's derived status (consultations cannot import placements).
        register_stage_source("placed", stages.placed, name="placements")
        register_stage_source("in_followup", stages.in_followup, name="placements")

        # Consultants and managers keep referrals, placements and follow-ups (a
        # consultant only for their own caseload: placements/access.py); job developers
        # keep referrals and placements (they place seekers with the employers they
        # develop) but not follow-ups, which are case content. Reception and the
        # municipality see none of it (the reports count it without names).
        referrals = {
            "placements.view_referral",
            "placements.add_referral",
            "placements.change_referral",
            "placements.add_applicationsupport",
            "placements.view_applicationsupport",
            "placements.view_placement",
            "placements.add_placement",
        }
        followups = {"placements.view_followup", "placements.change_followup"}
        register_role_permissions(
            "placements",
            {
                Role.CONSULTANT: referrals | followups,
                Role.MANAGER: referrals | followups,
                Role.JOB_DEVELOPER: referrals,
            },
        )

        # Internships add their grants to the ones above (placements/internship_access.py).
        from secondcareer.placements.internship_access import register_internship_permissions

        register_internship_permissions()
