from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "secondcareer.scheduling"
    label = "scheduling"
    verbose_name = _("勤務表・予約枠")

    def ready(self) -> None:
        from secondcareer.programs.signals import watch
        from secondcareer.scheduling.models import ShiftException, ShiftPattern

        watch(ShiftPattern, ShiftException)
