from django.contrib import admin
from django.http import HttpRequest

from secondcareer.scheduling.models import ShiftException, ShiftPattern


class ReadOnlyAdmin(admin.ModelAdmin):
    """The roster is written only through ``scheduling.services`` (clash checks, the
    schedule stamp, one transaction): the admin shows it and changes nothing."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ShiftPattern)
class ShiftPatternAdmin(ReadOnlyAdmin):
    list_display = (
        "consultant",
        "program",
        "weekday",
        "nth",
        "start",
        "end",
        "venue",
        "service",
        "valid_from",
        "valid_until",
    )
    list_filter = ("program", "weekday", "venue")
    autocomplete_fields = ()


@admin.register(ShiftException)
class ShiftExceptionAdmin(ReadOnlyAdmin):
    list_display = ("day", "consultant", "kind", "venue", "service", "start", "end", "note")
    list_filter = ("program", "kind")
    date_hierarchy = "day"
