from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "secondcareer.scheduling"
    label = "scheduling"
    verbose_name = _("勤務表・予約枠")
