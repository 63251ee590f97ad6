from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiTokensConfig(AppConfig):
    name = "secondcareer.apitokens"
    label = "apitokens"
    verbose_name = _("APIトークン")
    default_auto_field = "django.db.models.BigAutoField"
