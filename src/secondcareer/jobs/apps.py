from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "secondcareer.jobs"
    label = "jobs"
    verbose_name = _("求人開拓・求人")
