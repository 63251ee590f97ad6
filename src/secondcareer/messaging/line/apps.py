from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LineConfig(AppConfig):
    name = "secondcareer.messaging.line"
    label = "line"
    verbose_name = _("LINE")

    def ready(self) -> None:
        from secondcareer.booking.notifiers import register_notifier
        from secondcareer.messaging.line.reminders import LineReminderNotifier

        register_notifier(LineReminderNotifier())
