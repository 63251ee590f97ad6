from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from secondcareer.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = (
        "at",
        "actor_username",
        "program_slug",
        "action",
        "object_type",
        "object_id",
        "ip_address",
    )
    list_filter = ("action", "program_slug", "object_type")
    search_fields = ("actor_username", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
