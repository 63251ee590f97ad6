"""Senior internships (Saitama キ, issue 14 item 4): 職場見学 (observation) or 職場体験
(work experience) of 1 to 3 consecutive days at an employer, with the participant's and
the employer's consent to the 実施計画書 and, for work experience, the injury and
liability insurance that covers every day (docs/internships.md).

Imported at the end of ``placements/models.py``, so the models belong to the app
``placements``. Every write is in :mod:`secondcareer.placements.internship_services`.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "MAX_DAYS",
    "PLAN_FIELDS",
    "ConsentParty",
    "Internship",
    "InternshipConsent",
    "InternshipInsurance",
    "InternshipKind",
    "InternshipOutcome",
    "InternshipStatus",
]

MAX_DAYS = 3


class InternshipKind(models.TextChoices):
    OBSERVATION = "observation", _("職場見学")
    WORK_EXPERIENCE = "work_experience", _("職場体験")


class InternshipStatus(models.TextChoices):
    PLANNED = "planned", _("調整中")
    CONFIRMED = "confirmed", _("確定")
    DONE = "done", _("実施済み")
    CANCELLED = "cancelled", _("中止")


class InternshipOutcome(models.TextChoices):
    NONE = "none", _("なし")
    REFERRAL = "referral", _("職業紹介につながった")
    PLACEMENT = "placement", _("就職につながった")


class ConsentParty(models.TextChoices):
    PARTICIPANT = "participant", _("参加者")
    EMPLOYER = "employer", _("受入事業所")


# What the plan (実施計画書) must say before it can be agreed.
PLAN_FIELDS = ("content", "place", "schedule", "safety_notes", "harassment_notes")


class Internship(models.Model):
    """One internship of one participant at one employer."""

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("事業"),
    )
    kind = models.CharField(_("種別"), max_length=20, choices=InternshipKind.choices)
    employer = models.ForeignKey(
        "jobs.Employer",
        on_delete=models.PROTECT,
        related_name="internships",
        verbose_name=_("受入事業所"),
    )
    host_contact = models.ForeignKey(
        "jobs.EmployerContact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("受入担当者"),
    )
    participant = models.ForeignKey(
        "people.Seeker",
        on_delete=models.PROTECT,
        related_name="internships",
        verbose_name=_("参加者"),
    )
    start_on = models.DateField(_("開始日"))
    end_on = models.DateField(_("終了日"))
    content = models.TextField(_("実施内容"), blank=True)
    place = models.CharField(_("実施場所"), max_length=300, blank=True)
    schedule = models.TextField(_("日程（スケジュール）"), blank=True)
    safety_notes = models.TextField(_("安全への配慮"), blank=True)
    harassment_notes = models.TextField(_("ハラスメントの防止"), blank=True)
    travel_paid_by_employer = models.BooleanField(
        _("交通費を受入事業所が支給する"),
        default=False,
        help_text=_("支給がなければ交通費は参加者の負担です。"),
    )
    travel_note = models.CharField(_("交通費についての補足"), max_length=200, blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=InternshipStatus.choices, default=InternshipStatus.PLANNED
    )
    confirmed_at = models.DateTimeField(_("確定日時"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("確定した職員"),
    )
    outcome = models.CharField(
        _("結果"), max_length=20, choices=InternshipOutcome.choices, default=InternshipOutcome.NONE
    )
    outcome_note = models.TextField(_("結果の補足"), blank=True)
    outcome_referral = models.ForeignKey(
        "placements.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="internships",
        verbose_name=_("つながった職業紹介"),
    )
    outcome_placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="internships",
        verbose_name=_("つながった就職"),
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登録した職員"),
    )

    class Meta:
        verbose_name = _("インターンシップ")
        verbose_name_plural = _("インターンシップ")
        ordering = ("program", "start_on", "id")
        indexes = [
            models.Index(fields=["program", "start_on"], name="placements_intern_prog_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gte=models.F("start_on")),
                name="placements_internship_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=InternshipKind.values),
                name="placements_internship_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=InternshipStatus.values),
                name="placements_internship_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_on:%Y-%m-%d}"

    @property
    def days(self) -> list[dt.date]:
        count = (self.end_on - self.start_on).days + 1
        return [self.start_on + dt.timedelta(days=n) for n in range(max(count, 0))]

    @property
    def needs_insurance(self) -> bool:
        return self.kind == InternshipKind.WORK_EXPERIENCE

    @property
    def plan_missing(self) -> list[str]:
        """The labels of the plan's items still empty."""
        return [
            str(cast(models.Field, self._meta.get_field(name)).verbose_name)  # type: ignore[type-arg]
            for name in PLAN_FIELDS
            if not str(getattr(self, name)).strip()
        ]


class InternshipConsent(models.Model):
    """The participant's or the employer's consent to the plan, on a date, and who
    recorded it. At most one per party (recording again replaces it)."""

    internship = models.ForeignKey(
        Internship,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("インターンシップ"),
    )
    party = models.CharField(_("同意した側"), max_length=20, choices=ConsentParty.choices)
    given_on = models.DateField(_("同意日"))
    given_by = models.CharField(
        _("同意した人"), max_length=100, blank=True, help_text=_("事業所の側は担当者の氏名など")
    )
    recorded_at = models.DateTimeField(_("記録日時"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録した職員"),
    )

    class Meta:
        verbose_name = _("インターンシップの同意")
        verbose_name_plural = _("インターンシップの同意")
        ordering = ("internship", "party")
        constraints = [
            models.UniqueConstraint(
                fields=["internship", "party"], name="placements_internship_consent_once"
            ),
            models.CheckConstraint(
                condition=models.Q(party__in=ConsentParty.values),
                name="placements_internship_consent_party_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.given_on:%Y-%m-%d}"


class InternshipInsurance(models.Model):
    """The injury and liability insurance the participant is enrolled in for the
    internship (one per internship: recording again replaces it)."""

    internship = models.OneToOneField(
        Internship,
        on_delete=models.CASCADE,
        related_name="insurance",
        verbose_name=_("インターンシップ"),
    )
    policy_name = models.CharField(_("保険の名称"), max_length=200)
    policy_number = models.CharField(_("証券番号"), max_length=100, blank=True)
    insurer = models.CharField(_("保険会社"), max_length=200)
    coverage_start = models.DateField(_("補償の開始日"))
    coverage_end = models.DateField(_("補償の終了日"))
    recorded_at = models.DateTimeField(_("記録日時"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録した職員"),
    )

    class Meta:
        verbose_name = _("インターンシップの保険")
        verbose_name_plural = _("インターンシップの保険")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(coverage_end__gte=models.F("coverage_start")),
                name="placements_internship_insurance_period",
            ),
        ]

    def __str__(self) -> str:
        return self.policy_name

    def covers(self, day: dt.date) -> bool:
        return self.coverage_start <= day <= self.coverage_end
