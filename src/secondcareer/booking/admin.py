from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from secondcareer.booking.models import BookingPolicy, Reservation


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

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
