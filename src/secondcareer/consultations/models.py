"""Case records: consultation records (カルテ), cases with their assigned consultant,
versioned support plans and the reviews the preset schedules (docs/consultations.md,
ADR 0023).

What must never happen twice is a database constraint: one open case per seeker and
program, one current (approved) plan per case, one draft per case, one record per
reservation, one review per case and number. A case's status is derived
(:mod:`secondcareer.consultations.status`), and so is a review being overdue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Exists, OuterRef, Q, Value
from django.utils.translation import gettext_lazy as _

from secondcareer.consultations.reviews import ReviewKind
from secondcareer.consultations.stages import STAGES, case_at_stage, stage_condition
from secondcareer.consultations.status import CaseStatus, case_status
from secondcareer.programs.choices import Method, SupportBodyKind


class Channel(models.TextChoices):
    """Where the consultation took place (Kobe Ⅲ-8 counts オンライン相談 and 対面相談)."""

    ONLINE = "online", _("オンライン")
    VENUE = "venue", _("会場")


class Attendance(models.TextChoices):
    ATTENDED = "attended", _("来談")
    NO_SHOW = "no_show", _("無断欠席")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    APPROVED = "approved", _("承認済み（現行）")
    SUPERSEDED = "superseded", _("改訂済み（旧版）")


class ConsultationTopic(models.Model):
    """One topic of the program's taxonomy (preset ``consultation_topics``), written by
    the preset load (:func:`secondcareer.consultations.services.topics_from_preset`)."""

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="consultation_topics",
        verbose_name=_("事業"),
    )
    code = models.SlugField(_("識別子"), max_length=50)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("説明"), blank=True)
    suggests_referral = models.BooleanField(_("公的支援機関への紹介を検討する"), default=False)

    class Meta:
        verbose_name = _("相談の話題")
        verbose_name_plural = _("相談の話題")
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="consultations_topic_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(closed_on__isnull=True)

    def with_status_facts(self) -> CaseQuerySet:
        """Annotate what :attr:`Case.status` is derived from, in the same query (the
        stages other apps supply through :mod:`secondcareer.consultations.stages` too)."""
        stages: dict[str, Any] = {}
        for stage in STAGES:
            condition = stage_condition(stage)
            stages[f"_{stage}"] = (
                condition if condition is not None else Value(False, output_field=BooleanField())
            )
        return self.annotate(
            **stages,
            _has_records=Exists(
                ConsultationRecord.objects.filter(
                    case=OuterRef("pk"), attendance=Attendance.ATTENDED
                )
            ),
            _has_plan=Exists(
                SupportPlan.objects.filter(case=OuterRef("pk"), status=PlanStatus.APPROVED)
            ),
        )


class Case(models.Model):
    """A seeker's support in a program, from the first consultation to closing."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="+", verbose_name=_("事業")
    )
    seeker = models.ForeignKey(
        "people.Seeker", on_delete=models.PROTECT, related_name="cases", verbose_name=_("利用者")
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("担当キャリアコンサルタント"),
    )
    opened_on = models.DateField(_("開始日"))
    anchor_on = models.DateField(
        _("初回相談日"), null=True, blank=True, help_text=_("支援計画の見直し時期の起点")
    )
    target_on = models.DateField(_("就職の目標時期"), null=True, blank=True)
    closed_on = models.DateField(_("終結日"), null=True, blank=True)
    close_reason = models.CharField(_("終結の理由"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("支援ケース")
        verbose_name_plural = _("支援ケース")
        ordering = ("program", "opened_on", "id")
        permissions = [
            (
                "view_case_notes",
                _("相談記録の内容（記録・話題・次の対応）と支援計画を見る"),
            ),
            ("approve_manager_review", _("6か月以降の支援計画の見直しを承認する")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "seeker"],
                condition=Q(closed_on__isnull=True),
                name="consultations_case_one_open_per_seeker",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="consultations_case_closed_after_opened",
            ),
        ]
        indexes = [models.Index(fields=["program", "consultant"], name="case_consultant_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.seeker_id} {self.opened_on}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def status(self) -> CaseStatus:
        """Derived (ADR 0023); a case from ``with_status_facts()`` asks nothing more."""
        facts: dict[str, Any] = self.__dict__
        has_records = facts.get("_has_records")
        if has_records is None:
            has_records = self.records.filter(attendance=Attendance.ATTENDED).exists()
        has_plan = facts.get("_has_plan")
        if has_plan is None:
            has_plan = self.plans.filter(status=PlanStatus.APPROVED).exists()
        stages: dict[str, bool] = {}
        for stage in STAGES:
            value = facts.get(f"_{stage}")
            if value is None:
                value = case_at_stage(
                    stage, case_pk=self.pk, seeker_id=self.seeker_id, program_id=self.program_id
                )
            stages[stage] = bool(value)
        return case_status(
            closed=self.closed_on is not None,
            has_records=has_records,
            has_plan=has_plan,
            placed=stages["placed"],
            in_followup=stages["in_followup"],
        )


class CaseAssignment(models.Model):
    """One change of a case's consultant: the history 担当者制 keeps."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("支援ケース")
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当キャリアコンサルタント"),
    )
    assigned_at = models.DateTimeField(_("変更日時"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("変更者"),
    )
    note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("担当の変更履歴")
        verbose_name_plural = _("担当の変更履歴")
        ordering = ("case", "assigned_at", "id")

    def __str__(self) -> str:
        return f"#{self.case_id} → {self.consultant_id or '-'} {self.assigned_at:%Y-%m-%d}"


class ConsultationRecord(models.Model):
    """One consultation session (カルテ), or a no-show for one."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="+", verbose_name=_("事業")
    )
    seeker = models.ForeignKey(
        "people.Seeker",
        on_delete=models.PROTECT,
        related_name="consultation_records",
        verbose_name=_("利用者"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("支援ケース"),
    )
    reservation = models.OneToOneField(
        "booking.Reservation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_record",
        verbose_name=_("相談予約"),
    )
    kind = models.ForeignKey(
        "programs.ConsultationKind",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("相談の種類"),
    )
    method = models.CharField(_("相談方法"), max_length=20, choices=Method.choices)
    channel = models.CharField(_("実施場所"), max_length=10, choices=Channel.choices)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("キャリアコンサルタント"),
    )
    started_at = models.DateTimeField(_("開始日時"))
    minutes = models.PositiveSmallIntegerField(_("相談時間（分）"))
    attendance = models.CharField(
        _("来談"), max_length=10, choices=Attendance.choices, default=Attendance.ATTENDED
    )
    topics = models.ManyToManyField(
        ConsultationTopic,
        through="RecordTopic",
        blank=True,
        related_name="records",
        verbose_name=_("相談の話題"),
    )
    notes = models.TextField(_("相談記録"), blank=True)
    next_action = models.CharField(_("次の対応"), max_length=500, blank=True)
    next_contact_on = models.DateField(_("次回連絡日"), null=True, blank=True)
    group = models.UUIDField(
        _("グループ相談"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("同じ巡回相談・グループ相談の記録に共通の値"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録者"),
    )
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("相談記録")
        verbose_name_plural = _("相談記録")
        ordering = ("started_at", "id")
        indexes = [
            models.Index(fields=["seeker", "started_at"], name="record_seeker_start_idx"),
            models.Index(fields=["program", "started_at"], name="record_program_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=0, minutes__lte=600), name="consultations_record_minutes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} #{self.pk}"


class RecordTopic(models.Model):
    """A record's topic. A topic in use cannot leave the preset (the load is refused)."""

    record = models.ForeignKey(ConsultationRecord, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(ConsultationTopic, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("相談記録の話題")
        verbose_name_plural = _("相談記録の話題")
        constraints = [
            models.UniqueConstraint(fields=["record", "topic"], name="consultations_topic_once")
        ]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.topic_id}"


class SupportPlan(models.Model):
    """One version of a case's support plan: draft → approved (the current one) →
    superseded by the next approved version."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="plans", verbose_name=_("支援ケース")
    )
    version = models.PositiveSmallIntegerField(_("版"))
    status = models.CharField(
        _("状態"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    goals = models.TextField(_("目標"))
    steps = models.JSONField(_("支援の手順"), default=list, blank=True)
    target_on = models.DateField(_("目標時期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("作成者"),
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承認者"),
    )
    approved_on = models.DateField(_("承認日"), null=True, blank=True)
    superseded_on = models.DateField(_("改訂日"), null=True, blank=True)

    class Meta:
        verbose_name = _("支援計画")
        verbose_name_plural = _("支援計画")
        ordering = ("case", "version")
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="consultations_plan_version"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status=PlanStatus.APPROVED),
                name="consultations_plan_one_current",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status=PlanStatus.DRAFT),
                name="consultations_plan_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(status=PlanStatus.DRAFT)
                | Q(approved_by__isnull=False, approved_on__isnull=False),
                name="consultations_plan_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=~Q(status=PlanStatus.SUPERSEDED) | Q(superseded_on__isnull=False),
                name="consultations_plan_superseded_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.case_id} v{self.version} {self.status}"


class Review(models.Model):
    """A scheduled review of a case's plan (``reviews.review_due``). Due and done are
    kept apart; overdue is derived (:meth:`is_overdue`), never stored."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("支援ケース")
    )
    number = models.PositiveSmallIntegerField(_("回"))
    months = models.PositiveSmallIntegerField(_("初回相談からの月数"))
    kind = models.CharField(_("見直しの種類"), max_length=12, choices=ReviewKind.choices)
    due_on = models.DateField(_("期日"))
    done_on = models.DateField(_("実施日"), null=True, blank=True)
    outcome = models.TextField(_("見直しの結果"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者"),
        help_text=_("空なら、担当キャリアコンサルタント（管理者の見直しは管理者のいずれか）"),
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("実施者"),
    )
    plan = models.ForeignKey(
        SupportPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("見直しで承認した計画"),
    )

    class Meta:
        verbose_name = _("支援計画の見直し")
        verbose_name_plural = _("支援計画の見直し")
        ordering = ("case", "number")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="consultations_review_once"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(done_on__isnull=True),
                name="consultations_review_one_open",
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="review_due_idx")]

    def __str__(self) -> str:
        return f"#{self.case_id} {self.kind} {self.due_on}"

    def is_overdue(self, on: dt.date) -> bool:
        return self.done_on is None and self.due_on < on


class CheckMethod(models.TextChoices):
    """How a seeker out of contact was checked on (Saitama 2(2)ケ: 電話又はハガキ)."""

    PHONE = "phone", _("電話")
    POSTCARD = "postcard", _("はがき")


class EmploymentStatus(models.TextChoices):
    """The employment status a check found (就職状況). ``unreachable`` found nothing."""

    WORKING = "working", _("就労中")
    SEARCHING = "searching", _("求職中")
    STOPPED = "stopped", _("活動休止")
    UNREACHABLE = "unreachable", _("連絡つかず")


class InactivityCheck(models.Model):
    """One phone call or postcard to a seeker out of contact, with the employment
    status it found (Saitama 2(2)ケ; feeds 就職確認 and the reports).

    Only a phone call that reached the seeker (a result other than ``unreachable``) is
    a *contact*: :attr:`reached_at` is then the start of :attr:`done_on` in Japan and
    the inactivity list counts it (``contacts.py``). A postcard, or a call that did
    not get through, is logged but leaves the seeker on the list."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="+", verbose_name=_("事業")
    )
    seeker = models.ForeignKey(
        "people.Seeker",
        on_delete=models.PROTECT,
        related_name="inactivity_checks",
        verbose_name=_("利用者"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inactivity_checks",
        verbose_name=_("支援ケース"),
    )
    method = models.CharField(_("確認の方法"), max_length=10, choices=CheckMethod.choices)
    result = models.CharField(_("就職状況"), max_length=12, choices=EmploymentStatus.choices)
    done_on = models.DateField(_("実施日"))
    due_on = models.DateField(
        _("確認の期日"),
        null=True,
        blank=True,
        help_text=_("最後の接触から所定の月数が過ぎて確認の対象になった日"),
    )
    last_contact_on = models.DateField(_("それまでの最後の接触日"), null=True, blank=True)
    reached_at = models.DateTimeField(
        _("連絡がついた日"),
        null=True,
        blank=True,
        help_text=_("電話で本人と話せたときだけ（実施日の0時）。利用の接触として数える"),
    )
    employer_note = models.CharField(_("就職先・仕事の内容"), max_length=200, blank=True)
    next_action = models.CharField(_("次の対応"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("確認した人"),
    )
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("利用状況の確認（電話・はがき）")
        verbose_name_plural = _("利用状況の確認（電話・はがき）")
        ordering = ("done_on", "id")
        indexes = [
            models.Index(fields=["seeker", "done_on"], name="check_seeker_done_idx"),
            models.Index(fields=["program", "done_on"], name="check_program_done_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(reached_at__isnull=True) | (Q(method="phone") & ~Q(result="unreachable"))
                ),
                name="consultations_check_reached_only_by_phone",
            ),
            models.CheckConstraint(
                condition=Q(method__in=["phone", "postcard"]),
                name="consultations_check_method",
            ),
            models.CheckConstraint(
                condition=Q(result__in=["working", "searching", "stopped", "unreachable"]),
                name="consultations_check_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.done_on} {self.method} {self.result} #{self.seeker_id}"

    @property
    def reached(self) -> bool:
        return self.reached_at is not None


class CaseShare(models.Model):
    """A case shared with another consultant of the program, who then sees it as the
    assigned consultant does (DESIGN.md invariant 5: the assigned or explicitly shared
    consultant). Revoking ends the share (``ended_at``); the row stays, so who could see
    the case when is never lost."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="shares", verbose_name=_("支援ケース")
    )
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="shared_cases",
        verbose_name=_("共有先のキャリアコンサルタント"),
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("共有した人"),
    )
    created_at = models.DateTimeField(_("共有日時"))
    reason = models.CharField(_("共有の理由"), max_length=200, blank=True)
    ended_at = models.DateTimeField(_("共有の終了日時"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("共有を終了した人"),
    )

    class Meta:
        verbose_name = _("ケースの共有")
        verbose_name_plural = _("ケースの共有")
        ordering = ("case", "created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "shared_with"],
                condition=Q(ended_at__isnull=True),
                name="consultations_share_one_active",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("created_at")),
                name="consultations_share_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.case_id} → {self.shared_with_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class SupportBody(models.Model):
    """A public support body of the program (preset ``support_bodies``), written by the
    preset load (:func:`secondcareer.consultations.services.support_bodies_from_preset`).
    ``areas`` empty: it serves every area of the program."""

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="support_bodies",
        verbose_name=_("事業"),
    )
    code = models.SlugField(_("識別子"), max_length=50)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("種類"), max_length=20, choices=SupportBodyKind.choices)
    areas = models.ManyToManyField(
        "programs.Area", blank=True, related_name="+", verbose_name=_("担当地域")
    )
    phone = models.CharField(_("電話番号（公開情報）"), max_length=30)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    hours = models.CharField(_("受付時間"), max_length=200, blank=True)
    note = models.CharField(_("相談できること"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("公的支援機関")
        verbose_name_plural = _("公的支援機関")
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="consultations_support_body_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("結果待ち")
    CONNECTED = "connected", _("支援につながった")
    DECLINED = "declined", _("本人が利用を望まなかった")
    UNREACHABLE = "unreachable", _("連絡がつかない")


class SupportReferral(models.Model):
    """A case referred to a public support body (Kobe Ⅲ-2), and what came of it. A body
    that referrals name cannot leave the preset (the load is refused)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("支援ケース")
    )
    body = models.ForeignKey(
        SupportBody, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("紹介先")
    )
    reason = models.TextField(_("紹介の理由"))
    referred_on = models.DateField(_("紹介日"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("紹介した人"),
    )
    outcome = models.CharField(
        _("結果"), max_length=12, choices=ReferralOutcome.choices, default=ReferralOutcome.PENDING
    )
    outcome_on = models.DateField(_("結果の確認日"), null=True, blank=True)
    outcome_note = models.TextField(_("結果の記録"), blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("結果を記録した人"),
    )
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("公的支援機関への紹介")
        verbose_name_plural = _("公的支援機関への紹介")
        ordering = ("case", "referred_on", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=ReferralOutcome.PENDING, outcome_on__isnull=True)
                | (~Q(outcome=ReferralOutcome.PENDING) & Q(outcome_on__isnull=False)),
                name="consultations_referral_outcome_has_date",
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=models.F("referred_on")),
                name="consultations_referral_outcome_after_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.case_id} → {self.body_id} {self.referred_on}"
