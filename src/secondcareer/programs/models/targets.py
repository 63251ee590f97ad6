from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from secondcareer.programs.choices import CountPeriod, DueRoll, PublicationMedium
from secondcareer.programs.models.consultation import ConsultationKind, Service
from secondcareer.programs.models.events import EventKind
from secondcareer.programs.models.program import Program
from secondcareer.programs.rules import DueRule, Roll


class _Scoped(models.Model):
    """What a KPI or a report figure counts, where it is narrower than the whole
    program: consultations of some services/kinds, participants of some event kinds,
    people from some age."""

    services = models.ManyToManyField(
        Service, blank=True, related_name="+", verbose_name=_("対象の相談サービス")
    )
    consultation_kinds = models.ManyToManyField(
        ConsultationKind, blank=True, related_name="+", verbose_name=_("対象の相談の種類")
    )
    event_kinds = models.ManyToManyField(
        EventKind, blank=True, related_name="+", verbose_name=_("対象のイベントの種類")
    )
    age_from = models.PositiveSmallIntegerField(_("対象年齢（以上）"), null=True, blank=True)
    note = models.TextField(_("定義・備考"), blank=True)

    class Meta:
        abstract = True


class Kpi(_Scoped):
    """A contract target (利用者数, 就職決定数, …); the value per fiscal year is a
    :class:`KpiTarget`. A breakdown (うち60歳以上) points at its ``parent``."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("事業")
    )
    code = models.SlugField(_("識別子"), max_length=50)
    name = models.CharField(_("項目"), max_length=100)
    unit = models.CharField(_("単位"), max_length=10)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="breakdown",
        verbose_name=_("内訳の元の項目"),
    )

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPI")
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="programs_kpi_code_unique_per_program"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class KpiTarget(models.Model):
    kpi = models.ForeignKey(
        Kpi, on_delete=models.CASCADE, related_name="targets", verbose_name=_("KPI")
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("年度"), help_text=_("西暦の年度（4月始まり）")
    )
    value = models.PositiveIntegerField(_("目標値"))

    class Meta:
        verbose_name = _("KPI目標値")
        verbose_name_plural = _("KPI目標値")
        ordering = ("kpi", "fiscal_year")
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "fiscal_year"], name="programs_kpitarget_unique_year"
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2000, fiscal_year__lte=2100),
                name="programs_kpitarget_fiscal_year_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.fiscal_year}年度 {self.value}{self.kpi.unit}"


class ReportItem(_Scoped):
    """A figure the monthly report must give (①プラットフォームの登録者数, …); the
    breakdown of an item (②面談件数のオンライン相談別) points at its ``parent``."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="report_items", verbose_name=_("事業")
    )
    code = models.SlugField(_("識別子"), max_length=50)
    name = models.CharField(_("項目"), max_length=100)
    number = models.PositiveSmallIntegerField(_("番号"), help_text=_("報告書での並び順"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="breakdown",
        verbose_name=_("内訳の元の項目"),
    )

    class Meta:
        verbose_name = _("月次報告の項目")
        verbose_name_plural = _("月次報告の項目")
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="programs_reportitem_code_unique_per_program"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReportDueRule(models.Model):
    """When the monthly report is due. The row without ``month`` is the rule for every
    month; a row with ``month`` is the exception for reports of that calendar month."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="due_rules", verbose_name=_("事業")
    )
    month = models.PositiveSmallIntegerField(
        _("対象月"), null=True, blank=True, help_text=_("空欄ならすべての月（既定の期限）")
    )
    months_after = models.PositiveSmallIntegerField(
        _("何か月後"), default=1, help_text=_("1 = 翌月、0 = 同じ月")
    )
    day = models.PositiveSmallIntegerField(_("期限日"), help_text=_("月末を超える日は月末日"))
    roll = models.CharField(
        _("休日の扱い"), max_length=30, choices=DueRoll.choices, default=DueRoll.NEXT_BUSINESS_DAY
    )
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("月次報告の提出期限")
        verbose_name_plural = _("月次報告の提出期限")
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "month"],
                condition=Q(month__isnull=False),
                name="programs_duerule_unique_month",
            ),
            models.UniqueConstraint(
                fields=["program"],
                condition=Q(month__isnull=True),
                name="programs_duerule_one_default",
            ),
            models.CheckConstraint(
                condition=Q(day__gte=1, day__lte=31)
                & Q(months_after__lte=12)
                & (Q(month__isnull=True) | Q(month__gte=1, month__lte=12)),
                name="programs_duerule_ranges",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.month or '-'}"

    def as_rule(self) -> DueRule:
        return DueRule(
            day=self.day, months_after=self.months_after, roll=Roll(self.roll), month=self.month
        )


class Publication(models.Model):
    """Printed matter, mail magazines and push notifications the contract asks for,
    with how often (``count`` per ``every`` ``period``s: 2週間に1回 is 1 per 2 weeks)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="publications", verbose_name=_("事業")
    )
    code = models.SlugField(_("識別子"), max_length=50)
    name = models.CharField(_("名称"), max_length=100)
    medium = models.CharField(_("媒体"), max_length=20, choices=PublicationMedium.choices)
    format = models.CharField(_("規格"), max_length=100, blank=True)
    count = models.PositiveSmallIntegerField(_("回数"), null=True, blank=True)
    period = models.CharField(
        _("期間の単位"), max_length=10, choices=CountPeriod.choices, default=CountPeriod.YEAR
    )
    every = models.PositiveSmallIntegerField(_("期間の長さ"), default=1)
    approximate = models.BooleanField(_("回数は目安"), default=False)
    copies = models.PositiveIntegerField(_("部数（1回あたり）"), null=True, blank=True)
    lead_time_months = models.PositiveSmallIntegerField(
        _("作成・配布の期限（開催・使用の何か月前）"), null=True, blank=True
    )
    event_kind = models.ForeignKey(
        EventKind,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("対象のイベントの種類"),
    )
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("広報物・配信")
        verbose_name_plural = _("広報物・配信")
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="programs_publication_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(every__gte=1), name="programs_publication_every_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name
