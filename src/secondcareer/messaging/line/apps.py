from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LineConfig(AppConfig):
    name = "secondcareer.messaging.line"
    label = "line"
    verbose_name = _("LINE")

    def ready(self) -> None:
        from secondcareer.booking.notifiers import register_notifier
        from secondcareer.messaging.channels import register_channel, register_chat_carrier
        from secondcareer.messaging.line.channel import LINE, LineChannel
        from secondcareer.messaging.line.chat import LineChatCarrier
        from secondcareer.messaging.line.reminders import LineReminderNotifier

        register_notifier(LineReminderNotifier())
        # The core of messaging reaches LINE users only through this (ADR 0022).
        register_channel(LINE, LineChannel())
        register_chat_carrier(LINE, LineChatCarrier())
