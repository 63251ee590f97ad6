from django.contrib import admin

from secondcareer.scheduling.models import ShiftException, ShiftPattern


@admin.register(ShiftPattern)
class ShiftPatternAdmin(admin.ModelAdmin):
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
class ShiftExceptionAdmin(admin.ModelAdmin):
    list_display = ("day", "consultant", "kind", "venue", "service", "start", "end", "note")
    list_filter = ("program", "kind")
    date_hierarchy = "day"
