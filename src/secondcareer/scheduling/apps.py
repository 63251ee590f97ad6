from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "secondcareer.scheduling"
    label = "scheduling"
    verbose_name = _("勤務表・予約枠")

    def ready(self) -> None:
        from secondcareer.programs.signals import schedule_changed, watch
        from secondcareer.scheduling.models import ShiftException, ShiftPattern
        from secondcareer.scheduling.selectors import schedule_cache_clear

        watch(ShiftPattern, ShiftException)
        schedule_changed.connect(
            lambda **kwargs: schedule_cache_clear(),
            weak=False,
            dispatch_uid="scheduling-clear-caches",
        )
