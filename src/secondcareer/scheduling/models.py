"""The consultant roster: recurring shifts with dated exceptions (absences, extra
shifts). Slot capacity is computed from it by the pure :mod:`slots` module."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from secondcareer.programs.choices import Weekday


class ShiftPattern(models.Model):
    """A consultant on duty every ``weekday`` (or only its nth occurrences in a month)
    from ``start`` to ``end``, at a venue — or remote, for a remote service."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="+", verbose_name=_("事業")
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shift_patterns",
        verbose_name=_("キャリアコンサルタント"),
    )
    venue = models.ForeignKey(
        "programs.Venue",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("会場"),
    )
    service = models.ForeignKey(
        "programs.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("オンライン相談サービス"),
    )
    weekday = models.PositiveSmallIntegerField(_("曜日"), choices=Weekday.choices)
    nth = models.JSONField(_("第何週"), null=True, blank=True, help_text=_("空欄なら毎週"))
    start = models.TimeField(_("開始"))
    end = models.TimeField(_("終了"))
    valid_from = models.DateField(_("適用開始日"))
    valid_until = models.DateField(_("適用終了日"), null=True, blank=True)

    class Meta:
        verbose_name = _("勤務パターン")
        verbose_name_plural = _("勤務パターン")
        ordering = ("program", "consultant", "weekday", "start")
        constraints = [
            models.CheckConstraint(
                condition=Q(venue__isnull=False, service__isnull=True)
                | Q(venue__isnull=True, service__isnull=False),
                name="shiftpattern_venue_xor_service",
            ),
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="shiftpattern_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="shiftpattern_valid_range",
            ),
        ]

    def __str__(self) -> str:
        place = self.venue or self.service
        hours = f"{self.start:%H:%M}–{self.end:%H:%M}"
        return f"{self.consultant} {self.get_weekday_display()} {hours} {place}"


class ExceptionKind(models.TextChoices):
    ABSENT = "absent", _("不在（休み・急な欠勤）")
    EXTRA = "extra", _("追加勤務（代替・応援）")


class ShiftException(models.Model):
    """A dated change to the roster: the consultant is absent all day, or works an
    extra shift (covering a colleague, a substitute day)."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="+", verbose_name=_("事業")
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shift_exceptions",
        verbose_name=_("キャリアコンサルタント"),
    )
    day = models.DateField(_("日付"))
    kind = models.CharField(_("種別"), max_length=10, choices=ExceptionKind.choices)
    venue = models.ForeignKey(
        "programs.Venue",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("会場"),
    )
    service = models.ForeignKey(
        "programs.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("オンライン相談サービス"),
    )
    start = models.TimeField(_("開始"), null=True, blank=True)
    end = models.TimeField(_("終了"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("勤務の変更")
        verbose_name_plural = _("勤務の変更")
        ordering = ("day", "consultant")
        constraints = [
            models.UniqueConstraint(
                fields=["consultant", "day"],
                condition=Q(kind="absent"),
                name="shiftexception_one_absence_a_day",
            ),
            models.CheckConstraint(
                condition=Q(kind="absent")
                | (
                    Q(start__isnull=False, end__isnull=False, start__lt=models.F("end"))
                    & (
                        Q(venue__isnull=False, service__isnull=True)
                        | Q(venue__isnull=True, service__isnull=False)
                    )
                ),
                name="shiftexception_extra_has_place_and_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.consultant} {self.get_kind_display()}"
