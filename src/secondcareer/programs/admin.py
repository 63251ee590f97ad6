"""Admin for program configuration. Presets are the source of truth: loading a preset
again (``secondcareer load-program``) overwrites what is edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from secondcareer.programs.models import (
    Area,
    Closure,
    ConsultationKind,
    EventAllocation,
    EventAllocationCount,
    EventCategory,
    EventKind,
    Kpi,
    KpiTarget,
    OpeningPeriod,
    Program,
    Publication,
    ReportDueRule,
    ReportItem,
    Service,
    SubstituteDate,
    Venue,
    VenueDay,
)


def _program_path(model: type[models.Model]) -> str | None:
    """How to reach the program id from a row of ``model``."""
    if model is Program:
        return "pk"
    names = {f.name for f in model._meta.fields}
    if "program" in names:
        return "program_id"
    if "event_kind" in names:
        return "event_kind__program_id"
    return None


class _SameProgramChoices:
    """Limit foreign-key and many-to-many choices to the program of the object being
    edited (for an inline, the object of the page it is on), so a venue of Kobe cannot
    be put in an area of Saitama."""

    def _program_id(self, request: HttpRequest) -> Any:
        match = getattr(request, "resolver_match", None)
        object_id = match.kwargs.get("object_id") if match else None
        owner = getattr(self, "parent_model", None) or self.model  # type: ignore[attr-defined]
        path = _program_path(owner)
        if not object_id or path is None:
            return None
        return owner.objects.filter(pk=object_id).values_list(path, flat=True).first()

    def _limit(self, db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        related = db_field.related_model
        path = _program_path(related) if related is not None else None
        if path in (None, "pk"):
            return
        program_id = self._program_id(request)
        if program_id is not None:
            kwargs["queryset"] = related.objects.filter(**{path: program_id})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._limit(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._limit(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class _Inline(_SameProgramChoices, admin.TabularInline):
    extra = 0


# --- Program and what hangs directly off it -------------------------------------------


class AreaInline(_Inline):
    model = Area
    fields = ("code", "name", "kind", "note")
    show_change_link = True


class VenueInline(_Inline):
    model = Venue
    fields = ("code", "name", "address", "area", "booths", "seats")
    show_change_link = True


class ServiceInline(_Inline):
    model = Service
    fields = ("code", "name", "delivery", "slot_minutes", "session_minutes")
    show_change_link = True


class ClosureInline(_Inline):
    model = Closure
    fields = (
        "code",
        "name",
        "kind",
        "start_month",
        "start_day",
        "end_month",
        "end_day",
        "start_date",
        "end_date",
        "service",
        "venue",
        "substitutable",
    )


class SubstituteDateInline(_Inline):
    model = SubstituteDate
    fields = ("venue", "original_date", "held_on", "note")


class EventKindInline(_Inline):
    model = EventKind
    fields = ("code", "name", "format", "count", "count_period", "count_is_minimum", "capacity")
    show_change_link = True


class KpiInline(_Inline):
    model = Kpi
    fields = ("code", "name", "unit", "parent", "age_from")
    show_change_link = True


class ReportItemInline(_Inline):
    model = ReportItem
    fields = ("number", "code", "name", "parent")
    show_change_link = True


class ReportDueRuleInline(_Inline):
    model = ReportDueRule
    fields = ("month", "months_after", "day", "roll", "note")


class PublicationInline(_Inline):
    model = Publication
    fields = ("code", "name", "medium", "count", "period", "every", "approximate", "event_kind")


@admin.register(Program)
class ProgramAdmin(_SameProgramChoices, admin.ModelAdmin):
    list_display = ("slug", "name", "client", "card_prefix", "spec_fiscal_year")
    search_fields = ("slug", "name", "client")
    fieldsets = (
        (None, {"fields": ("slug", "name", "client", "card_prefix", "description")}),
        (
            _("仕様書と事務局"),
            {"fields": ("specification", "spec_fiscal_year", "office_name", "office_address")},
        ),
        (
            _("運用の方針"),
            {
                "fields": (
                    "senior_age_from",
                    "age_bands",
                    "assigned_consultant",
                    "plan_review_months",
                    "inactivity_followup_months",
                    "retention_followup_months",
                    "inquiry_reply_hours",
                )
            },
        ),
        (
            _("予約の受付と人員"),
            {
                "fields": (
                    "chatbot_booking_always_open",
                    "phone_line_hours",
                    "contact_phone",
                    "contact_hours",
                    "video_room_url",
                    "staffing",
                )
            },
        ),
        (_("報告"), {"fields": ("report_note",)}),
    )
    inlines = (
        AreaInline,
        VenueInline,
        ServiceInline,
        ClosureInline,
        SubstituteDateInline,
        EventKindInline,
        KpiInline,
        ReportItemInline,
        ReportDueRuleInline,
        PublicationInline,
    )

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        # Inlines refer to rows of the same program; a new program starts empty.
        return super().get_inline_instances(request, obj) if obj is not None else []


# --- Detail pages ----------------------------------------------------------------------------


@admin.register(Area)
class AreaAdmin(_SameProgramChoices, admin.ModelAdmin):
    list_display = ("name", "code", "kind", "program")
    list_filter = ("program", "kind")
    search_fields = ("name", "code")
    filter_horizontal = ("adjacent",)


class VenueDayInline(_Inline):
    model = VenueDay
    fields = ("weekday", "nth")


@admin.register(Venue)
class VenueAdmin(_SameProgramChoices, admin.ModelAdmin):
    list_display = ("name", "code", "area", "address", "booths", "seats", "program")
    list_filter = ("program", "area")
    search_fields = ("name", "formal_name", "address", "code")
    inlines = (VenueDayInline,)


@admin.register(ConsultationKind)
class ConsultationKindAdmin(_SameProgramChoices, admin.ModelAdmin):
    list_display = ("name", "code", "program")
    list_filter = ("program",)


class OpeningPeriodInline(_Inline):
    model = OpeningPeriod
    fields = ("day_type", "start", "end")


@admin.register(Service)
class ServiceAdmin(_SameProgramChoices, admin.ModelAdmin):
    list_display = ("name", "code", "delivery", "slot_minutes", "program")
    list_filter = ("program", "delivery")
    filter_horizontal = ("kinds", "venues")
    inlines = (OpeningPeriodInline,)


@admin.register(Closure)
class ClosureAdmin(_SameProgramChoices, admin.ModelAdmin):
    list_display = ("name", "code", "kind", "service", "venue", "substitutable", "program")
    list_filter = ("program", "kind")


@admin.register(SubstituteDate)
class SubstituteDateAdmin(_SameProgramChoices, admin.ModelAdmin):
    list_display = ("original_date", "held_on", "venue", "program")
    list_filter = ("program",)
    date_hierarchy = "original_date"


class EventCategoryInline(_Inline):
    model = EventCategory
    fields = (
        "code",
        "name",
        "count",
        "min_themes",
        "rotate_monthly",
        "asks_childcare",
        "capacity",
        "delivery",
        "duration_minutes",
    )


class EventAllocationInline(_Inline):
    model = EventAllocation
    fields = ("area", "count", "capacity")
    show_change_link = True


@admin.register(EventKind)
class EventKindAdmin(_SameProgramChoices, admin.ModelAdmin):
    list_display = ("name", "code", "format", "count", "count_period", "capacity", "program")
    list_filter = ("program", "format")
    filter_horizontal = ("venues",)
    inlines = (EventCategoryInline, EventAllocationInline)


class EventAllocationCountInline(_Inline):
    model = EventAllocationCount
    fields = ("category", "count")


@admin.register(EventAllocation)
class EventAllocationAdmin(_SameProgramChoices, admin.ModelAdmin):
    list_display = ("event_kind", "area", "count", "capacity")
    list_filter = ("event_kind__program", "event_kind")
    filter_horizontal = ("venues",)
    inlines = (EventAllocationCountInline,)


class KpiTargetInline(_Inline):
    model = KpiTarget
    fields = ("fiscal_year", "value")


@admin.register(Kpi)
class KpiAdmin(_SameProgramChoices, admin.ModelAdmin):
    list_display = ("name", "code", "unit", "parent", "program")
    list_filter = ("program",)
    filter_horizontal = ("services", "consultation_kinds", "event_kinds")
    inlines = (KpiTargetInline,)


@admin.register(ReportItem)
class ReportItemAdmin(_SameProgramChoices, admin.ModelAdmin):
    list_display = ("number", "name", "code", "parent", "program")
    list_filter = ("program",)
    filter_horizontal = ("services", "consultation_kinds", "event_kinds")


@admin.register(Publication)
class PublicationAdmin(_SameProgramChoices, admin.ModelAdmin):
    list_display = ("name", "medium", "count", "period", "every", "program")
    list_filter = ("program", "medium")
