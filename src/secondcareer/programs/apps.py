from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "secondcareer.programs"
    label = "programs"
    verbose_name = _("事業設定")

    def ready(self) -> None:
        from secondcareer.programs import signals

        signals.connect()
