from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    """Channels (LINE, later email), the chatbot and inquiries. Sits above the domain
    apps: the chatbot uses booking; booking never knows which channel called it."""

    name = "secondcareer.messaging"
    label = "messaging"
    verbose_name = _("メッセージ・問い合わせ")

    def ready(self) -> None:
        from secondcareer.people.models import Role
        from secondcareer.people.roles import register_role_permissions

        # Consultants and managers answer inquiries (DESIGN: consultant → inquiries).
        register_role_permissions(
            "messaging",
            {role: {"messaging.answer_inquiry"} for role in (Role.CONSULTANT, Role.MANAGER)},
        )
