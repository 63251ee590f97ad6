"""Matching's rows (issue 13 points 4 and 5): a seeker's matching profile, the
consultants' pin/hide choices, the last recommendation digest, and the program's
weights (from the preset). The engine itself (``engine/``) holds nothing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondcareer.jobs.models import JobPosting, PhysicalLoad
from secondcareer.people.models import Seeker
from secondcareer.programs.models import Area, Program

# 雇用形態 as Hello Work writes it on its postings (and ``jobs.JobPosting.employment_type``
# holds): a profile's accepted employment types are among these.
EMPLOYMENT_TYPES = (
    "正社員",
    "正社員以外",
    "パート労働者",
    "有期雇用派遣労働者",
    "無期雇用派遣労働者",
)


class TimeOfDay(models.TextChoices):
    ANY = "any", _("指定なし")
    MORNING = "morning", _("午前")
    AFTERNOON = "afternoon", _("午後")
    EVENING = "evening", _("夕方・夜間")


class SeekerProfile(models.Model):
    """What a seeker wishes and brings, kept by the consultant with the seeker; one per
    (program, seeker). Written only by :func:`secondcareer.matching.services.profile_save`."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("事業")
    )
    seeker = models.ForeignKey(
        Seeker,
        on_delete=models.CASCADE,
        related_name="matching_profiles",
        verbose_name=_("利用者"),
    )
    wished_occupations = models.JSONField(_("希望の職種"), default=list, blank=True)
    wished_areas = models.ManyToManyField(
        Area, blank=True, related_name="+", verbose_name=_("希望の地域")
    )
    max_commute_minutes = models.PositiveSmallIntegerField(_("通勤時間の上限（分）"), default=60)
    days_per_week = models.PositiveSmallIntegerField(_("働ける日数（週）"), default=5)
    hours_per_day = models.FloatField(_("働ける時間（1日）"), default=8)
    time_of_day = models.CharField(
        _("希望の時間帯"), max_length=10, choices=TimeOfDay.choices, default=TimeOfDay.ANY
    )
    min_hourly_wage = models.PositiveIntegerField(
        _("希望の時給（下限、円）"), default=0, help_text=_("0 は指定なし")
    )
    employment_types = models.JSONField(_("希望の雇用形態"), default=list, blank=True)
    physical_limit = models.CharField(
        _("身体的な負担の上限"),
        max_length=10,
        choices=PhysicalLoad.choices,
        default=PhysicalLoad.HEAVY,
    )
    licences = models.TextField(_("免許・資格"), blank=True)
    skills = models.TextField(_("スキル"), blank=True)
    career_history = models.TextField(_("職歴"), blank=True)
    tags = models.JSONField(_("タグ"), default=list, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("更新者"),
    )

    class Meta:
        verbose_name = _("マッチングの希望条件")
        verbose_name_plural = _("マッチングの希望条件")
        ordering = ("program", "seeker")
        permissions = [("view_matches", _("求人と利用者のマッチング結果を閲覧できる"))]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "seeker"], name="matching_profile_unique_per_program"
            ),
            models.CheckConstraint(
                condition=Q(days_per_week__gte=1, days_per_week__lte=7),
                name="matching_profile_days_1_to_7",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_day__gt=0, hours_per_day__lte=24),
                name="matching_profile_hours_within_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}/{self.seeker_id}"


class MatchChoice(models.TextChoices):
    PIN = "pin", _("固定")
    HIDE = "hide", _("非表示")


class MatchDecision(models.Model):
    """A consultant's choice on one recommendation: pinned (always shown first) or
    hidden (left out), remembered until cleared."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("事業")
    )
    seeker = models.ForeignKey(
        Seeker, on_delete=models.CASCADE, related_name="match_decisions", verbose_name=_("利用者")
    )
    posting = models.ForeignKey(
        JobPosting, on_delete=models.CASCADE, related_name="+", verbose_name=_("求人")
    )
    choice = models.CharField(_("選択"), max_length=10, choices=MatchChoice.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("選択した人"),
    )
    at = models.DateTimeField(_("日時"), default=timezone.now)

    class Meta:
        verbose_name = _("おすすめの固定・非表示")
        verbose_name_plural = _("おすすめの固定・非表示")
        ordering = ("program", "seeker", "posting")
        permissions = [("decide_match", _("おすすめの求人を固定・非表示にできる"))]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "seeker", "posting"], name="matching_decision_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(choice__in=["pin", "hide"]), name="matching_decision_pin_or_hide"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seeker_id}/{self.posting_id}: {self.choice}"


class DigestMark(models.Model):
    """The last recommendation digest a seeker was given (for the push campaigns): when,
    and which postings, so the next digest holds only postings new since then."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("事業")
    )
    seeker = models.ForeignKey(
        Seeker, on_delete=models.CASCADE, related_name="digest_marks", verbose_name=_("利用者")
    )
    at = models.DateTimeField(_("前回のお知らせ日時"))
    posting_ids = models.JSONField(_("お知らせした求人"), default=list, blank=True)

    class Meta:
        verbose_name = _("おすすめ求人のお知らせ（前回）")
        verbose_name_plural = _("おすすめ求人のお知らせ（前回）")
        ordering = ("program", "seeker")
        constraints = [
            models.UniqueConstraint(fields=["program", "seeker"], name="matching_digest_unique")
        ]

    def __str__(self) -> str:
        return f"{self.seeker_id}: {self.at:%Y-%m-%d %H:%M}"


class MatchingWeights(models.Model):
    """The soft score's weights of a program, from its preset's ``matching.weights``
    (written by the preset load; without a row the engine's defaults apply)."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="matching_weights", verbose_name=_("事業")
    )
    wage = models.FloatField(_("賃金の重み"))
    commute = models.FloatField(_("通勤の重み"))
    occupation = models.FloatField(_("職種の重み"))
    text = models.FloatField(_("職歴と仕事内容の近さの重み"))

    class Meta:
        verbose_name = _("マッチングの重み")
        verbose_name_plural = _("マッチングの重み")
        constraints = [
            models.CheckConstraint(
                condition=Q(wage__gte=0, commute__gte=0, occupation__gte=0, text__gte=0),
                name="matching_weights_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.wage}/{self.commute}/{self.occupation}/{self.text}"
