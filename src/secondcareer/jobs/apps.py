from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "secondcareer.jobs"
    label = "jobs"
    verbose_name = _("求人開拓・求人")

    def ready(self) -> None:
        from secondcareer.people.models import Role
        from secondcareer.people.roles import register_role_permissions

        # Job developers find employers and postings (DESIGN.md); managers run the
        # centre. Both keep employers, their contacts, the development log and the
        # postings (the services refuse to edit an imported Hello Work posting).
        # Consultants read employers and postings to refer seekers, not the contacts
        # or the log; reception reads postings for the desk; the municipality sees
        # aggregates only (reports), never a record.
        development = {
            f"jobs.{verb}_{model}"
            for verb in ("view", "add", "change")
            for model in ("employer", "employercontact", "developmentactivity", "jobposting")
        }
        register_role_permissions(
            "jobs",
            {
                Role.JOB_DEVELOPER: development,
                Role.MANAGER: development,
                Role.CONSULTANT: {"jobs.view_employer", "jobs.view_jobposting"},
                Role.RECEPTION: {"jobs.view_jobposting"},
            },
        )
