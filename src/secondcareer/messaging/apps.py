from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    """Channels (LINE, later email), the chatbot and inquiries. Sits above the domain
    apps: the chatbot uses booking; booking never knows which channel called it."""

    name = "secondcareer.messaging"
    label = "messaging"
    verbose_name = _("メッセージ・問い合わせ")
