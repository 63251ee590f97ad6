from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from secondcareer.booking.models import BookingPolicy, Reservation
from secondcareer.core.audit import audit_record_view


@admin.register(BookingPolicy)
class BookingPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "program",
        "min_notice_minutes",
        "window_days",
        "cancel_cutoff_minutes",
        "max_open_bookings",
    )


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    """Read-only: bookings change only through the booking services (staff screens)."""

    list_display = (
        "starts_at",
        "program",
        "service",
        "venue",
        "method",
        "channel",
        "status",
        "consultant",
    )
    list_filter = ("program", "status", "channel", "service")
    date_hierarchy = "starts_at"
    exclude = ("cancel_token",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The page names the seeker: audited like every other page that shows one."""
        response = super().change_view(request, object_id, form_url, extra_context)
        reservation = self.get_object(request, object_id)
        if reservation is not None and response.status_code == 200:
            audit_record_view(request, reservation.seeker, program_slug=reservation.program.slug)
        return response

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
