from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from secondcareer.core.jpcalendar import is_national_holiday
from secondcareer.programs.choices import ClosureKind
from secondcareer.programs.models.consultation import Service
from secondcareer.programs.models.program import Program
from secondcareer.programs.models.venues import Venue
from secondcareer.programs.rules import month_day_in_range

_MONTH_DAY_FIELDS = ("start_month", "start_day", "end_month", "end_day")


class Closure(models.Model):
    """Days the program (or one service, or one venue) is closed.

    ``national_holidays``: every national holiday. ``recurring``: a month-day range
    each year, which may wrap over the new year (年末年始 12/29–1/3, 夏季休業).
    ``one_off``: a date range (県が指定する日)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="closures", verbose_name=_("事業")
    )
    code = models.SlugField(_("識別子"), max_length=50)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("種別"), max_length=20, choices=ClosureKind.choices)
    start_month = models.PositiveSmallIntegerField(_("開始月"), null=True, blank=True)
    start_day = models.PositiveSmallIntegerField(_("開始日"), null=True, blank=True)
    end_month = models.PositiveSmallIntegerField(_("終了月"), null=True, blank=True)
    end_day = models.PositiveSmallIntegerField(_("終了日"), null=True, blank=True)
    start_date = models.DateField(_("開始日付"), null=True, blank=True)
    end_date = models.DateField(_("終了日付"), null=True, blank=True)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("対象の相談サービス"),
        help_text=_("空欄なら事業全体"),
    )
    venue = models.ForeignKey(
        Venue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("対象の会場"),
        help_text=_("空欄ならすべての会場"),
    )
    substitutable = models.BooleanField(
        _("振替実施あり"),
        default=False,
        help_text=_("休みになった実施日を、指定された別の日に振り替えて実施する"),
    )
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("休業日")
        verbose_name_plural = _("休業日")
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="programs_closure_code_unique_per_program"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=ClosureKind.NATIONAL_HOLIDAYS,
                        start_date__isnull=True,
                        end_date__isnull=True,
                        **{f"{f}__isnull": True for f in _MONTH_DAY_FIELDS},
                    )
                    | Q(
                        kind=ClosureKind.RECURRING,
                        start_date__isnull=True,
                        end_date__isnull=True,
                        **{f"{f}__isnull": False for f in _MONTH_DAY_FIELDS},
                        start_month__gte=1,
                        start_month__lte=12,
                        end_month__gte=1,
                        end_month__lte=12,
                        start_day__gte=1,
                        start_day__lte=31,
                        end_day__gte=1,
                        end_day__lte=31,
                    )
                    | Q(
                        kind=ClosureKind.ONE_OFF,
                        start_date__isnull=False,
                        end_date__isnull=False,
                        start_date__lte=models.F("end_date"),
                        **{f"{f}__isnull": True for f in _MONTH_DAY_FIELDS},
                    )
                ),
                name="programs_closure_fields_match_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, day: dt.date) -> bool:
        """Whether the closure includes ``day`` (whatever its service/venue scope)."""
        if self.kind == ClosureKind.NATIONAL_HOLIDAYS:
            return is_national_holiday(day)
        if self.kind == ClosureKind.RECURRING:
            start = (self.start_month or 0, self.start_day or 0)
            end = (self.end_month or 0, self.end_day or 0)
            return month_day_in_range(start, end, day)
        if self.start_date is None or self.end_date is None:
            return False
        return self.start_date <= day <= self.end_date


class SubstituteDate(models.Model):
    """振替: on ``held_on`` the venue's schedule of ``original_date`` (a holiday or a
    closed day) is held instead. No venue means every venue scheduled that day."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="substitute_dates",
        verbose_name=_("事業"),
    )
    venue = models.ForeignKey(
        Venue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="substitute_dates",
        verbose_name=_("会場"),
        help_text=_("空欄ならその日に実施予定だったすべての会場"),
    )
    original_date = models.DateField(_("本来の実施日"))
    held_on = models.DateField(_("振替実施日"))
    note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("振替実施日")
        verbose_name_plural = _("振替実施日")
        ordering = ("program", "original_date")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "venue", "original_date"],
                condition=Q(venue__isnull=False),
                name="programs_substitute_unique_per_venue",
            ),
            models.UniqueConstraint(
                fields=["program", "original_date"],
                condition=Q(venue__isnull=True),
                name="programs_substitute_unique_program_wide",
            ),
            models.CheckConstraint(
                condition=~Q(original_date=models.F("held_on")),
                name="programs_substitute_moves_the_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_date:%Y-%m-%d} → {self.held_on:%Y-%m-%d}"
