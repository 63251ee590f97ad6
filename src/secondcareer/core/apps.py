from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "secondcareer.core"
    label = "core"
    verbose_name = _("共通基盤")
