from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from secondcareer.programs.choices import CountPeriod, EventDelivery, EventFormat
from secondcareer.programs.models.program import Area, Program
from secondcareer.programs.models.venues import Venue


class EventKind(models.Model):
    """A kind of event the contract asks for (就職支援セミナー, 巡回相談, 合同企業面接会,
    …) with its planned number, standard time, duration and capacity.

    ``count`` per ``count_period`` is the planned number (``count_is_minimum``: 「以上」);
    ``capacity`` is the standard number of participants (``capacity_approximate``:
    「目安」「程度」). Per-area plans are :class:`EventAllocation` rows."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="event_kinds", verbose_name=_("事業")
    )
    code = models.SlugField(_("識別子"), max_length=50)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("説明"), blank=True)
    format = models.CharField(_("形式"), max_length=30, choices=EventFormat.choices)
    delivery = models.CharField(
        _("実施方法"), max_length=20, choices=EventDelivery.choices, default=EventDelivery.IN_PERSON
    )
    count = models.PositiveSmallIntegerField(_("開催回数"), null=True, blank=True)
    count_period = models.CharField(
        _("開催回数の単位"), max_length=10, choices=CountPeriod.choices, default=CountPeriod.YEAR
    )
    count_is_minimum = models.BooleanField(_("開催回数は下限（以上）"), default=False)
    start_time = models.TimeField(_("標準の開始時刻"), null=True, blank=True)
    end_time = models.TimeField(_("標準の終了時刻"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("標準の所要時間（分）"), null=True, blank=True
    )
    max_duration_minutes = models.PositiveSmallIntegerField(
        _("所要時間の上限（分）"), null=True, blank=True
    )
    capacity = models.PositiveSmallIntegerField(_("定員"), null=True, blank=True)
    capacity_approximate = models.BooleanField(_("定員は目安"), default=False)
    companies_per_event = models.PositiveSmallIntegerField(
        _("1回あたりの参加企業数（目安）"), null=True, blank=True
    )
    followup_consultations = models.PositiveSmallIntegerField(
        _("終了後の個別相談のコマ数"), null=True, blank=True
    )
    followup_minutes = models.PositiveSmallIntegerField(
        _("個別相談1コマの長さ（分）"), null=True, blank=True
    )
    days_min = models.PositiveSmallIntegerField(_("実施日数（最短）"), null=True, blank=True)
    days_max = models.PositiveSmallIntegerField(_("実施日数（最長）"), null=True, blank=True)
    min_themes = models.PositiveSmallIntegerField(
        _("用意するテーマ数（以上）"), null=True, blank=True
    )
    required_themes = models.JSONField(_("必須のテーマ"), default=list, blank=True)
    no_repeat_in_adjacent_areas = models.BooleanField(
        _("隣接する地域で内容を重複させない"), default=False
    )
    requires_booking = models.BooleanField(_("事前予約制"), default=True)
    venues = models.ManyToManyField(
        Venue, blank=True, related_name="event_kinds", verbose_name=_("会場")
    )
    venue_note = models.CharField(_("会場についての定め"), max_length=200, blank=True)
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("イベントの種類")
        verbose_name_plural = _("イベントの種類")
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="programs_eventkind_code_unique_per_program"
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(start_time__lt=models.F("end_time")),
                name="programs_eventkind_starts_before_end",
            ),
            models.CheckConstraint(
                condition=Q(days_min__isnull=True)
                | Q(days_max__isnull=True)
                | Q(days_min__lte=models.F("days_max")),
                name="programs_eventkind_days_range",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="programs_eventkind_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EventCategory(models.Model):
    """A target group or variant of an event kind (全年齢向け, シニア向け, 女性向け, …;
    ワンポイントセミナーのオフライン/オンライン) with its planned yearly total."""

    event_kind = models.ForeignKey(
        EventKind,
        on_delete=models.CASCADE,
        related_name="categories",
        verbose_name=_("イベントの種類"),
    )
    code = models.SlugField(_("識別子"), max_length=50)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("説明"), blank=True)
    count = models.PositiveSmallIntegerField(_("開催回数"), null=True, blank=True)
    min_themes = models.PositiveSmallIntegerField(
        _("用意するテーマ数（以上）"), null=True, blank=True
    )
    rotate_monthly = models.BooleanField(_("テーマを月替わりにする"), default=False)
    asks_childcare = models.BooleanField(_("予約時に託児の希望を確認する"), default=False)
    capacity = models.PositiveSmallIntegerField(_("定員"), null=True, blank=True)
    delivery = models.CharField(
        _("実施方法"), max_length=20, choices=EventDelivery.choices, blank=True
    )
    duration_minutes = models.PositiveSmallIntegerField(_("所要時間（分）"), null=True, blank=True)

    class Meta:
        verbose_name = _("イベントの区分")
        verbose_name_plural = _("イベントの区分")
        ordering = ("event_kind", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["event_kind", "code"], name="programs_eventcategory_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_kind} {self.name}"


class EventAllocation(models.Model):
    """The plan of an event kind in one area: how many, at which venues, for how many
    people (already resolved: the kind's standard capacity unless the area differs)."""

    event_kind = models.ForeignKey(
        EventKind,
        on_delete=models.CASCADE,
        related_name="allocations",
        verbose_name=_("イベントの種類"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="event_allocations", verbose_name=_("地域")
    )
    count = models.PositiveSmallIntegerField(_("開催回数"))
    capacity = models.PositiveSmallIntegerField(_("定員"), null=True, blank=True)
    venues = models.ManyToManyField(
        Venue, blank=True, related_name="event_allocations", verbose_name=_("会場")
    )
    childcare_note = models.TextField(_("託児の手配"), blank=True)

    class Meta:
        verbose_name = _("地域別の開催計画")
        verbose_name_plural = _("地域別の開催計画")
        ordering = ("event_kind", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["event_kind", "area"], name="programs_eventallocation_unique_area"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="programs_eventallocation_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_kind} {self.area}"


class EventAllocationCount(models.Model):
    """How many events of one category an area holds (所沢市 シニア向け 12回)."""

    allocation = models.ForeignKey(
        EventAllocation,
        on_delete=models.CASCADE,
        related_name="counts",
        verbose_name=_("地域別の開催計画"),
    )
    category = models.ForeignKey(
        EventCategory,
        on_delete=models.CASCADE,
        related_name="allocation_counts",
        verbose_name=_("区分"),
    )
    count = models.PositiveSmallIntegerField(_("開催回数"))

    class Meta:
        verbose_name = _("区分別の開催回数")
        verbose_name_plural = _("区分別の開催回数")
        ordering = ("allocation", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["allocation", "category"], name="programs_allocationcount_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allocation} {self.category.name} {self.count}"
