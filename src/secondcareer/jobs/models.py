"""Employers, their contacts and development log, and job postings (issue 13)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondcareer.jobs.numbers import validate_corporate_number, validate_office_number
from secondcareer.programs.models import Area, Program


class Industry(models.TextChoices):
    """日本標準産業分類 (JSIC) の大分類."""

    A = "A", _("農業，林業")
    B = "B", _("漁業")
    C = "C", _("鉱業，採石業，砂利採取業")
    D = "D", _("建設業")
    E = "E", _("製造業")
    F = "F", _("電気・ガス・熱供給・水道業")
    G = "G", _("情報通信業")
    H = "H", _("運輸業，郵便業")
    I = "I", _("卸売業，小売業")  # noqa: E741 - the JSIC letter
    J = "J", _("金融業，保険業")
    K = "K", _("不動産業，物品賃貸業")
    L = "L", _("学術研究，専門・技術サービス業")
    M = "M", _("宿泊業，飲食サービス業")
    N = "N", _("生活関連サービス業，娯楽業")
    O = "O", _("教育，学習支援業")  # noqa: E741 - the JSIC letter
    P = "P", _("医療，福祉")
    Q = "Q", _("複合サービス事業")
    R = "R", _("サービス業（他に分類されないもの）")
    S = "S", _("公務（他に分類されるものを除く）")
    T = "T", _("分類不能の産業")


class PhysicalLoad(models.TextChoices):
    LIGHT = "light", _("軽い")
    MEDIUM = "medium", _("普通")
    HEAVY = "heavy", _("重い")


class Employer(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="employers", verbose_name=_("事業")
    )
    name = models.CharField(_("名称"), max_length=200)
    name_kana = models.CharField(_("名称（フリガナ）"), max_length=200, blank=True)
    corporate_number = models.CharField(
        _("法人番号"), max_length=13, blank=True, validators=[validate_corporate_number]
    )
    office_number = models.CharField(
        _("事業所番号"), max_length=13, blank=True, validators=[validate_office_number]
    )
    address = models.CharField(_("所在地"), max_length=300, blank=True)
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("地域"),
    )
    industry = models.CharField(
        _("産業（大分類）"), max_length=1, choices=Industry.choices, blank=True
    )
    employees = models.PositiveIntegerField(_("従業員数"), null=True, blank=True)
    # Senior-friendly facts.
    age_limit = models.PositiveSmallIntegerField(_("採用の上限年齢"), null=True, blank=True)
    retirement_age = models.PositiveSmallIntegerField(_("定年年齢"), null=True, blank=True)
    rehire_max_age = models.PositiveSmallIntegerField(_("再雇用の上限年齢"), null=True, blank=True)
    part_time_ok = models.BooleanField(_("短時間・パート勤務可"), default=False)
    training = models.BooleanField(_("研修あり"), default=False)
    physical_load = models.CharField(
        _("身体的な負担"), max_length=10, choices=PhysicalLoad.choices, blank=True
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)
    # The name and its furigana folded by :func:`secondcareer.jobs.search.employer_search_text`
    # (written by every service that writes the name): what the employer search matches.
    search_text = models.TextField(_("検索用の文字列"), blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("事業所")
        verbose_name_plural = _("事業所")
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "office_number"],
                condition=~Q(office_number=""),
                name="employer_office_number_unique_per_program",
            ),
            models.CheckConstraint(
                condition=Q(corporate_number="") | Q(corporate_number__regex=r"^[1-9][0-9]{12}$"),
                name="employer_corporate_number_13_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EmployerContact(models.Model):
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("事業所")
    )
    name = models.CharField(_("氏名"), max_length=100)
    role = models.CharField(_("役職・担当"), max_length=100, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)

    class Meta:
        verbose_name = _("事業所の担当者")
        verbose_name_plural = _("事業所の担当者")
        ordering = ("employer", "id")

    def __str__(self) -> str:
        return self.name


class ActivityKind(models.TextChoices):
    VISIT = "visit", _("訪問")
    CALL = "call", _("電話")
    MAIL = "mail", _("郵送・メール")
    FAIR = "fair", _("就職面接会")


class DevelopmentActivity(models.Model):
    """One contact of a job developer with an employer (求人開拓の記録)."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="activities", verbose_name=_("事業所")
    )
    kind = models.CharField(_("方法"), max_length=10, choices=ActivityKind.choices)
    on = models.DateField(_("実施日"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者"),
    )
    appeal = models.TextField(_("訴求した内容"), blank=True)
    outcome = models.TextField(_("結果"), blank=True)

    class Meta:
        verbose_name = _("求人開拓の記録")
        verbose_name_plural = _("求人開拓の記録")
        ordering = ("employer", "on", "id")
        indexes = [models.Index(fields=["employer", "on"], name="jobs_activity_employer_on")]

    def __str__(self) -> str:
        return f"{self.employer} {self.on:%Y-%m-%d} {self.get_kind_display()}"


class WageType(models.TextChoices):
    HOURLY = "hourly", _("時給")
    DAILY = "daily", _("日給")
    MONTHLY = "monthly", _("月給")


class PostingSource(models.TextChoices):
    OWN = "own", _("センター独自")
    HELLOWORK = "hellowork", _("ハローワーク")
    OTHER = "other", _("その他")


class PostingStatus(models.TextChoices):
    OPEN = "open", _("募集中")
    CLOSED = "closed", _("募集終了")


class JobPosting(models.Model):
    """A posting with Hello Work's fields; open through its 紹介期限日 (inclusive)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="postings", verbose_name=_("事業")
    )
    number = models.CharField(_("求人番号"), max_length=20)
    received_on = models.DateField(_("受付年月日"), null=True, blank=True)
    referral_deadline = models.DateField(_("紹介期限日"))
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="postings", verbose_name=_("事業所")
    )
    office_name = models.CharField(_("事業所名"), max_length=200)
    occupation = models.CharField(_("職種"), max_length=200)
    description = models.TextField(_("仕事内容"), blank=True)
    workplace_address = models.CharField(_("就業場所"), max_length=300, blank=True)
    workplace_area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("就業場所の地域"),
    )
    employment_type = models.CharField(_("雇用形態"), max_length=100, blank=True)
    employment_period = models.CharField(_("雇用期間"), max_length=200, blank=True)
    wage_from = models.PositiveIntegerField(_("賃金（下限）"))
    wage_to = models.PositiveIntegerField(_("賃金（上限）"), null=True, blank=True)
    wage_type = models.CharField(_("賃金形態"), max_length=10, choices=WageType.choices)
    working_hours = models.TextField(_("就業時間"), blank=True)
    days_per_week = models.PositiveSmallIntegerField(_("週所定労働日数"), null=True, blank=True)
    holidays = models.TextField(_("休日等"), blank=True)
    age = models.CharField(_("年齢"), max_length=100, blank=True)
    age_limited = models.BooleanField(_("年齢制限"), default=False)
    age_limit_reason = models.TextField(_("年齢制限該当事由"), blank=True)
    retirement_age = models.PositiveSmallIntegerField(_("定年年齢"), null=True, blank=True)
    rehire_max_age = models.PositiveSmallIntegerField(_("再雇用上限年齢"), null=True, blank=True)
    requirements = models.TextField(_("必要な経験・資格"), blank=True)
    insurance = models.CharField(_("加入保険"), max_length=200, blank=True)
    openings = models.PositiveSmallIntegerField(_("採用人数（求人数）"), null=True, blank=True)
    source = models.CharField(_("出所"), max_length=10, choices=PostingSource.choices)
    status = models.CharField(
        _("状態"), max_length=10, choices=PostingStatus.choices, default=PostingStatus.OPEN
    )
    closed_on = models.DateField(_("募集終了日"), null=True, blank=True)
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now)
    # 職種, 仕事内容 and 事業所名 folded by :func:`secondcareer.jobs.search.posting_search_text`
    # (written by every service that writes them, the Hello Work import included): what
    # the free-text search matches, the same on SQLite and PostgreSQL.
    search_text = models.TextField(_("検索用の文字列"), blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("求人")
        verbose_name_plural = _("求人")
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "number"], name="posting_number_unique_per_program"
            ),
            models.CheckConstraint(
                condition=Q(wage_to__isnull=True) | Q(wage_to__gte=models.F("wage_from")),
                name="posting_wage_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | Q(status="closed", closed_on__isnull=False),
                name="posting_closed_on_iff_closed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["program", "status", "referral_deadline"], name="jobs_posting_open"
            ),
            # The matching feed's cache version (matching/feed.py): the program's latest
            # change is one index look-up instead of a scan of its postings.
            models.Index(fields=["program", "updated_at"], name="jobs_posting_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.occupation}"
