from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "secondcareer.consultations"
    label = "consultations"
    verbose_name = _("相談記録・支援計画")

    def ready(self) -> None:
        from secondcareer.consultations.services import consultations_from_preset
        from secondcareer.people.models import Role
        from secondcareer.people.roles import register_role_permissions
        from secondcareer.programs.services import register_preset_writer

        register_preset_writer(self.label, consultations_from_preset)

        # Consultants and managers keep the records and plans (and read their content);
        # only managers approve the reviews from 6 months (Saitama 2(2)ア(ア)c(e)).
        # Reception and job developers see that a case exists and whom it is with (contact
        # and matching data), never notes, topics or plans (DESIGN.md invariant 5):
        # they have no ``view_case_notes``. The municipality sees no person.
        casework = {
            "consultations.view_case",
            "consultations.add_case",
            "consultations.change_case",
            "consultations.view_consultationrecord",
            "consultations.add_consultationrecord",
            "consultations.change_consultationrecord",
            "consultations.view_supportplan",
            "consultations.add_supportplan",
            "consultations.change_supportplan",
            "consultations.view_review",
            "consultations.change_review",
            "consultations.view_caseassignment",
            "consultations.view_case_notes",
            # Sharing a case (the case's own consultant or a manager, checked by the
            # service) and public-support referrals (Kobe Ⅲ-2): case content, so never
            # reception, job developers or the municipality.
            "consultations.view_caseshare",
            "consultations.add_caseshare",
            "consultations.change_caseshare",
            "consultations.view_supportbody",
            "consultations.view_supportreferral",
            "consultations.add_supportreferral",
            "consultations.change_supportreferral",
        }
        # The inactivity follow-up (Saitama 2(2)ケ): consultants call their own caseload;
        # managers and reception (who make most of the calls) the whole program. The
        # check's notes are case content: only ``view_case_notes`` shows them.
        checks = {"consultations.view_inactivitycheck", "consultations.add_inactivitycheck"}
        register_role_permissions(
            "consultations",
            {
                Role.CONSULTANT: casework | checks,
                Role.MANAGER: casework
                | checks
                | {"consultations.add_caseassignment", "consultations.approve_manager_review"},
                Role.RECEPTION: {
                    "consultations.view_case",
                    "consultations.view_consultationrecord",
                    *checks,
                },
                Role.JOB_DEVELOPER: {"consultations.view_case"},
            },
        )
