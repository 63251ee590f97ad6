from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from secondcareer.programs.choices import Weekday
from secondcareer.programs.models.program import Area, Program
from secondcareer.programs.rules import day_pattern_matches


class Venue(models.Model):
    """A place consultations, seminars or group consultations are held.

    The weekdays it is used for consultations are :class:`VenueDay` rows; a venue with
    none (a seminar hall, a ward office for 巡回相談) is used only for events."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="venues", verbose_name=_("事業")
    )
    code = models.SlugField(_("識別子"), max_length=50)
    name = models.CharField(_("会場"), max_length=100, help_text=_("仕様書での呼び名"))
    formal_name = models.CharField(_("正式名称"), max_length=200, blank=True)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="venues", verbose_name=_("地域")
    )
    booths = models.PositiveSmallIntegerField(
        _("相談ブース数"), default=1, help_text=_("同じ時間帯に並行して行える個別相談の数")
    )
    seats = models.PositiveSmallIntegerField(
        _("部屋の定員"), null=True, blank=True, help_text=_("セミナー室などの収容人数")
    )
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("会場")
        verbose_name_plural = _("会場")
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="programs_venue_code_unique_per_program"
            ),
            models.CheckConstraint(
                condition=models.Q(booths__gte=1), name="programs_venue_booths_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(seats__isnull=True) | models.Q(seats__gte=1),
                name="programs_venue_seats_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.area_id and self.program_id and self.area.program_id != self.program_id:
            raise ValidationError({"area": _("別の事業の地域は選べません。")})

    def is_used_on(self, day: dt.date) -> bool:
        """Whether the venue's weekday pattern includes ``day`` (closures not applied)."""
        return any(row.matches(day) for row in self.days.all())


class VenueDay(models.Model):
    """One weekday a venue is used for consultations.

    ``nth`` is null for every week, or the list of occurrences within the month
    (秩父勤労者福祉センター: weekday 2 = 水, nth [1, 3] = 第1・3水曜日)."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="days", verbose_name=_("会場")
    )
    weekday = models.PositiveSmallIntegerField(_("曜日"), choices=Weekday.choices)
    nth = models.JSONField(
        _("第何週"),
        null=True,
        blank=True,
        help_text=_("空欄なら毎週。例: [1, 3] は第1・第3"),
    )

    class Meta:
        verbose_name = _("相談実施曜日")
        verbose_name_plural = _("相談実施曜日")
        ordering = ("venue", "weekday")
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "weekday"], name="programs_venueday_unique_weekday"
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6),
                name="programs_venueday_weekday_range",
            ),
        ]

    def __str__(self) -> str:
        label = Weekday(self.weekday).label
        if self.nth:
            weeks = "・".join(str(n) for n in self.nth)
            return f"{self.venue} 第{weeks}{label}"
        return f"{self.venue} {label}"

    def clean(self) -> None:
        if self.nth is None:
            return
        if (
            not isinstance(self.nth, list)
            or not self.nth
            or any(
                not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 5 for n in self.nth
            )
            or len(set(self.nth)) != len(self.nth)
        ):
            raise ValidationError(
                {"nth": _("1から5までの重複のない整数の一覧で指定してください。")}
            )

    def matches(self, day: dt.date) -> bool:
        return day_pattern_matches(self.weekday, self.nth, day)
