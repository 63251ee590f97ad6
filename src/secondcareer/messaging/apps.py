from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    """Channels (LINE, later email), the chatbot and inquiries. Sits above the domain
    apps: the chatbot uses booking; booking never knows which channel called it."""

    name = "secondcareer.messaging"
    label = "messaging"
    verbose_name = _("メッセージ・問い合わせ")

    def ready(self) -> None:
        from secondcareer.consultations.contacts import register_contact_source
        from secondcareer.people.models import Role
        from secondcareer.people.roles import register_role_permissions

        # Consultants and managers answer inquiries (DESIGN: consultant → inquiries).
        register_role_permissions(
            "messaging",
            {role: {"messaging.answer_inquiry"} for role in (Role.CONSULTANT, Role.MANAGER)},
        )

        # A seeker's chat message is contact with the centre (inactivity follow-up).
        register_contact_source("chat", _latest_seeker_chat)


def _latest_seeker_chat(seeker):  # type: ignore[no-untyped-def]
    from secondcareer.messaging.models import ChatMessage, ChatSender

    return (
        ChatMessage.objects.filter(thread__seeker=seeker, sender_kind=ChatSender.SEEKER)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
