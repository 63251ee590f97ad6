from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "secondcareer.booking"
    label = "booking"
    verbose_name = _("予約")

    def ready(self) -> None:
        from secondcareer.booking import checks  # noqa: F401 - registers the system checks
        from secondcareer.booking.models import BookingPolicy
        from secondcareer.people.models import Role
        from secondcareer.people.roles import register_role_permissions
        from secondcareer.programs.signals import watch

        # Reception, consultants and managers book, move and cancel consultations for
        # seekers; job developers and the municipality do not.
        booking = {
            "booking.view_reservation",
            "booking.add_reservation",
            "booking.change_reservation",
        }
        register_role_permissions(
            "booking", {role: booking for role in (Role.RECEPTION, Role.CONSULTANT, Role.MANAGER)}
        )

        # The policy is cached with the program's schedule (booking.services).
        watch(BookingPolicy)
