from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "secondcareer.booking"
    label = "booking"
    verbose_name = _("予約")

    def ready(self) -> None:
        from secondcareer.booking.models import BookingPolicy
        from secondcareer.programs.signals import watch

        # The policy is cached with the program's schedule (booking.services).
        watch(BookingPolicy)
