"""Referrals (職業紹介), placements (就職決定・就職確認) and retention follow-ups (定着支援)
(issue 14, docs/placements.md).

What must never happen twice is a database constraint: one *open* referral per seeker
and posting, one placement per referral, one follow-up per placement and offset.
Whether a follow-up is overdue is derived (due date before today, not done), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondcareer.jobs.models import PostingSource, WageType


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("紹介提案")
    APPLIED = "applied", _("応募")
    DOCUMENT_SCREENING = "document_screening", _("書類選考")
    INTERVIEW = "interview", _("面接")
    OFFERED = "offered", _("内定")
    HIRED = "hired", _("採用（就職決定）")
    DECLINED = "declined", _("辞退")
    WITHDRAWN = "withdrawn", _("取下げ")
    NOT_HIRED = "not_hired", _("不採用")


OPEN_REFERRAL_STATUSES = (
    ReferralStatus.PROPOSED,
    ReferralStatus.APPLIED,
    ReferralStatus.DOCUMENT_SCREENING,
    ReferralStatus.INTERVIEW,
    ReferralStatus.OFFERED,
)


class Referral(models.Model):
    """A seeker referred to a posting (職業紹介), with its status pipeline."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="+", verbose_name=_("事業")
    )
    seeker = models.ForeignKey(
        "people.Seeker",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("利用者"),
    )
    posting = models.ForeignKey(
        "jobs.JobPosting",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("求人"),
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    referred_on = models.DateField(_("紹介日"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("紹介者"),
    )
    closed_on = models.DateField(_("終了日"), null=True, blank=True)
    note = models.TextField(_("備考"), blank=True)
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now)

    class Meta:
        verbose_name = _("職業紹介")
        verbose_name_plural = _("職業紹介")
        ordering = ("program", "-referred_on", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["seeker", "posting"],
                condition=Q(status__in=[str(s) for s in OPEN_REFERRAL_STATUSES]),
                name="placements_referral_one_open_per_seeker_posting",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[str(s) for s in ReferralStatus]),
                name="placements_referral_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "referred_on"], name="referral_program_on_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.seeker_id}→{self.posting_id} {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES

    @property
    def counts_as_own_developed(self) -> bool:
        """Saitama's 職業紹介件数 counts referrals to postings the centre developed."""
        return bool(self.posting.source == PostingSource.OWN)


class ReferralStatusChange(models.Model):
    """One change of a referral's status (the first row has an empty ``from_status``)."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="changes", verbose_name=_("職業紹介")
    )
    from_status = models.CharField(
        _("変更前"), max_length=20, choices=ReferralStatus.choices, blank=True
    )
    to_status = models.CharField(_("変更後"), max_length=20, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("変更日時"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("変更者"),
    )
    note = models.CharField(_("メモ"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("職業紹介の状態変更")
        verbose_name_plural = _("職業紹介の状態変更")
        ordering = ("referral", "at", "id")

    def __str__(self) -> str:
        return f"#{self.referral_id} {self.from_status or '-'}→{self.to_status}"


class SupportKind(models.TextChoices):
    RESUME_REVIEW = "resume_review", _("履歴書の添削")
    CAREER_HISTORY_REVIEW = "career_history_review", _("職務経歴書の添削")
    MOCK_INTERVIEW = "mock_interview", _("模擬面接")
    ACCOMPANIMENT = "accompaniment", _("面接同行")


class ApplicationSupport(models.Model):
    """Application support given for a referral (応募書類の添削・模擬面接・同行)."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="supports", verbose_name=_("職業紹介")
    )
    kind = models.CharField(_("支援の種類"), max_length=30, choices=SupportKind.choices)
    on = models.DateField(_("実施日"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者"),
    )
    minutes = models.PositiveSmallIntegerField(_("時間（分）"))
    note = models.TextField(_("メモ"), blank=True)
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("応募支援")
        verbose_name_plural = _("応募支援")
        ordering = ("referral", "on", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=0, minutes__lte=600),
                name="placements_support_minutes",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.referral_id} {self.kind} {self.on}"


class EmploymentType(models.TextChoices):
    REGULAR = "regular", _("正社員")
    NON_REGULAR = "non_regular", _("正社員以外（パート・契約・派遣等）")
    OTHER = "other", _("その他（自営・業務委託等）")


class PlacementSource(models.TextChoices):
    REFERRAL = "referral", _("センターの職業紹介")
    HELLOWORK = "hellowork", _("ハローワーク")
    SELF_FOUND = "self_found", _("自己開拓")


class ConfirmedBy(models.TextChoices):
    SEEKER = "seeker", _("本人からの報告")
    EMPLOYER = "employer", _("事業所からの報告")
    SURVEY = "survey", _("就職状況調査")
    INACTIVITY_CALL = "inactivity_call", _("未利用者への架電")


class Placement(models.Model):
    """A job a seeker started (就職決定) and how it was confirmed (就職確認)."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="+", verbose_name=_("事業")
    )
    seeker = models.ForeignKey(
        "people.Seeker",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("利用者"),
    )
    employer = models.ForeignKey(
        "jobs.Employer",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("事業所"),
    )
    posting = models.ForeignKey(
        "jobs.JobPosting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("求人"),
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("職業紹介"),
    )
    source = models.CharField(_("就職経路"), max_length=12, choices=PlacementSource.choices)
    start_on = models.DateField(_("就職日（勤務開始日）"))
    employment_type = models.CharField(_("雇用形態"), max_length=12, choices=EmploymentType.choices)
    weekly_hours = models.DecimalField(
        _("週所定労働時間"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    wage = models.PositiveIntegerField(_("賃金"), null=True, blank=True)
    wage_type = models.CharField(_("賃金形態"), max_length=10, choices=WageType.choices, blank=True)
    confirmed_by = models.CharField(
        _("就職の確認方法"), max_length=16, choices=ConfirmedBy.choices, blank=True
    )
    confirmed_on = models.DateField(_("就職の確認日"), null=True, blank=True)
    age_at_start = models.PositiveSmallIntegerField(_("就職日の年齢"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登録者"),
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("就職決定")
        verbose_name_plural = _("就職決定")
        ordering = ("program", "-start_on", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(referral__isnull=False),
                name="placements_placement_one_per_referral",
            ),
            models.CheckConstraint(
                condition=Q(source="referral", referral__isnull=False) | ~Q(source="referral"),
                name="placements_placement_referral_source_has_referral",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True)
                | Q(weekly_hours__gte=0, weekly_hours__lte=168),
                name="placements_placement_weekly_hours",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by="", confirmed_on__isnull=True)
                | (~Q(confirmed_by="") & Q(confirmed_on__isnull=False)),
                name="placements_placement_confirmed_both_or_neither",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "start_on"], name="placement_program_start_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.seeker_id} {self.start_on}"


class FollowUpOutcome(models.TextChoices):
    CONTINUING = "continuing", _("就労継続")
    DIFFICULTIES = "difficulties", _("課題あり（継続中）")
    LEFT = "left", _("離職")


class FollowUp(models.Model):
    """A retention follow-up (定着支援) ``months`` after a placement's start."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="followups", verbose_name=_("就職決定")
    )
    months = models.PositiveSmallIntegerField(_("就職後の月数"))
    due_on = models.DateField(_("予定日"))
    own_service = models.BooleanField(
        _("自主事業として継続"),
        default=False,
        help_text=_("事業の契約期間の終了後に予定される定着支援"),
    )
    done_on = models.DateField(_("実施日"), null=True, blank=True)
    outcome = models.CharField(
        _("結果"), max_length=12, choices=FollowUpOutcome.choices, blank=True
    )
    topics = models.ManyToManyField(
        "consultations.ConsultationTopic",
        blank=True,
        related_name="+",
        verbose_name=_("課題の話題"),
    )
    note = models.TextField(_("メモ"), blank=True)
    left_on = models.DateField(_("離職日"), null=True, blank=True)
    left_reason = models.CharField(_("離職の理由"), max_length=500, blank=True)
    consultation_record = models.OneToOneField(
        "consultations.ConsultationRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("フォローアップ面談の相談記録"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録者"),
    )
    recorded_at = models.DateTimeField(_("記録日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("定着支援フォローアップ")
        verbose_name_plural = _("定着支援フォローアップ")
        ordering = ("due_on", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "months"], name="placements_followup_one_per_offset"
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True, outcome="")
                | (Q(done_on__isnull=False) & ~Q(outcome="")),
                name="placements_followup_done_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="left") | Q(left_on__isnull=False),
                name="placements_followup_left_has_date",
            ),
        ]
        indexes = [models.Index(fields=["due_on", "done_on"], name="followup_due_done_idx")]

    def __str__(self) -> str:
        return f"#{self.placement_id} +{self.months}m {self.due_on}"


from secondcareer.placements.internship_models import *  # noqa: E402, F403
