from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from secondcareer.programs.choices import DayType, Delivery, Method
from secondcareer.programs.models.program import Program
from secondcareer.programs.models.venues import Venue


class ConsultationKind(models.Model):
    """A purpose a consultation is booked for (ライフキャリア相談, 職業紹介相談, …);
    reports count interviews by kind."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="consultation_kinds",
        verbose_name=_("事業"),
    )
    code = models.SlugField(_("識別子"), max_length=50)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("説明"), blank=True)

    class Meta:
        verbose_name = _("相談の種類")
        verbose_name_plural = _("相談の種類")
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="programs_consultationkind_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A bookable consultation service: its channels, slot length and opening hours.

    ``code`` is a stable interface other apps use (Saitama ``consultation``; Kobe
    ``online`` and ``in_person``). A ``venue`` service is held at its venues on the
    weekdays each venue is used; a ``remote`` service has no venue."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="services", verbose_name=_("事業")
    )
    code = models.SlugField(_("識別子"), max_length=50)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("説明"), blank=True)
    kinds = models.ManyToManyField(
        ConsultationKind, related_name="services", verbose_name=_("相談の種類")
    )
    methods = models.JSONField(
        _("相談方法"),
        default=list,
        help_text=_("chat / phone / video / in_person の一覧"),
    )
    delivery = models.CharField(_("実施形態"), max_length=10, choices=Delivery.choices)
    venues = models.ManyToManyField(
        Venue, blank=True, related_name="services", verbose_name=_("会場")
    )
    slot_minutes = models.PositiveSmallIntegerField(_("予約枠の長さ（分）"))
    session_minutes = models.PositiveSmallIntegerField(
        _("相談時間（分）"),
        null=True,
        blank=True,
        help_text=_("予約枠のうち相談にあてる時間。残りは記録等の時間"),
    )
    booking_required = models.BooleanField(_("事前予約制"), default=True)

    class Meta:
        verbose_name = _("相談サービス")
        verbose_name_plural = _("相談サービス")
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="programs_service_code_unique_per_program"
            ),
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=5), name="programs_service_slot_minutes_min"
            ),
            models.CheckConstraint(
                condition=models.Q(session_minutes__isnull=True)
                | models.Q(session_minutes__gte=1, session_minutes__lte=models.F("slot_minutes")),
                name="programs_service_session_fits_slot",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = [m for m in self.methods or [] if m not in Method.values]
        if unknown or not self.methods:
            raise ValidationError(
                {"methods": _("chat, phone, video, in_person から1つ以上指定してください。")}
            )

    def method_labels(self) -> list[str]:
        return [str(Method(m).label) for m in self.methods]


class OpeningPeriod(models.Model):
    """One period a service is open on a day type. Several periods on the same day type
    leave gaps between them (a lunch break); they must not overlap."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="periods", verbose_name=_("相談サービス")
    )
    day_type = models.CharField(_("日の種類"), max_length=20, choices=DayType.choices)
    start = models.TimeField(_("開始"))
    end = models.TimeField(_("終了"))

    class Meta:
        verbose_name = _("受付時間帯")
        verbose_name_plural = _("受付時間帯")
        ordering = ("service", "day_type", "start")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "day_type", "start"], name="programs_period_unique_start"
            ),
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")),
                name="programs_period_starts_before_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_day_type_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        if self.start is None or self.end is None or not self.service_id:
            return
        if self.start >= self.end:
            raise ValidationError(_("開始時刻は終了時刻より前にしてください。"))
        overlapping = (
            OpeningPeriod.objects.filter(
                service_id=self.service_id,
                day_type=self.day_type,
                start__lt=self.end,
                end__gt=self.start,
            )
            .exclude(pk=self.pk)
            .exists()
        )
        if overlapping:
            raise ValidationError(_("同じ日の種類の別の時間帯と重なっています。"))
