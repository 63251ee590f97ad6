"""Admin for the FAQ. Edits here change the chatbot's answers at once (the retrieval
index is rebuilt when entries change); ``secondcareer load-faq`` never overwrites an
entry edited here."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from secondcareer.messaging.faq.models import FaqEntry
from secondcareer.messaging.faq.services import faq_entries_set_published


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ("question", "code", "category", "program", "is_published", "updated_at")
    list_display_links = ("question",)
    list_filter = ("category", "program", "is_published")
    search_fields = ("code", "question", "variants", "answer")
    list_select_related = ("program",)
    readonly_fields = ("created_at", "updated_at")
    actions = ("publish", "unpublish")
    fieldsets = (
        (None, {"fields": ("program", "code", "category", "is_published")}),
        (_("質問と回答"), {"fields": ("question", "variants", "answer")}),
        (_("記録"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.action(description=_("選択した質問を公開する"))
    def publish(self, request: HttpRequest, queryset: QuerySet[FaqEntry]) -> None:
        self._set_published(queryset, True)

    @admin.action(description=_("選択した質問を非公開にする"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[FaqEntry]) -> None:
        self._set_published(queryset, False)

    @staticmethod
    def _set_published(queryset: QuerySet[FaqEntry], value: bool) -> None:
        faq_entries_set_published(entries=queryset, published=value)
