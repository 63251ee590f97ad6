from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The top layer: the staff home, staff sign-in and the commands that orchestrate
    every app (``demo``). It may import from any app; no app imports from it."""

    name = "secondcareer.workspace"
    label = "workspace"
    verbose_name = _("スタッフ業務画面")

    def ready(self) -> None:
        from secondcareer.workspace.signin import receivers

        receivers.connect()
