"""Reservations and the per-slot seat counter that makes over-booking impossible.

Guarantees, in the database (see docs/adr/0007-no-double-booking.md):
- ``SlotCounter.held <= capacity`` (CHECK) and seats are taken with one conditional
  UPDATE, so no mix of channels can put more reservations in a slot than its capacity;
- on PostgreSQL, exclusion constraints: a seeker never in two overlapping reservations,
  a consultant never in two places at once; on SQLite the same checks run inside
  IMMEDIATE transactions, which serialise writers;
- on both, partial unique indexes for the same start time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from secondcareer.programs.choices import Method


class Channel(models.TextChoices):
    LINE = "line", _("LINE")
    WEB = "web", _("ウェブ")
    PHONE = "phone", _("電話")
    WALK_IN = "walk_in", _("窓口")
    STAFF = "staff", _("スタッフ")


# Channels where a person books for themselves: the booking policy applies in full.
SELF_SERVICE_CHANNELS = frozenset({Channel.LINE, Channel.WEB})


class ReservationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("予約済み")
    CANCELLED = "cancelled", _("取消")
    ATTENDED = "attended", _("来談済み")
    NO_SHOW = "no_show", _("無断欠席")


class Topic(models.TextChoices):
    """What the consultation is about, as a category only: never the content."""

    LIFE_CAREER = "life_career", _("これからの働き方・生き方")
    JOB_SEARCH = "job_search", _("仕事探し")
    DOCUMENTS = "documents", _("履歴書・職務経歴書")
    INTERVIEW = "interview", _("面接対策")
    RETENTION = "retention", _("就職後の相談")
    PENSION_WORK = "pension_work", _("年金と働き方")
    OTHER = "other", _("その他")


class Reservation(models.Model):
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="+", verbose_name=_("事業")
    )
    seeker = models.ForeignKey(
        "people.Seeker",
        on_delete=models.PROTECT,
        related_name="reservations",
        verbose_name=_("利用者"),
    )
    service = models.ForeignKey(
        "programs.Service",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("相談サービス"),
    )
    venue = models.ForeignKey(
        "programs.Venue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("会場"),
    )
    kind = models.ForeignKey(
        "programs.ConsultationKind",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("相談の種類"),
    )
    method = models.CharField(_("相談方法"), max_length=20, choices=Method.choices)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("担当キャリアコンサルタント"),
    )
    channel = models.CharField(_("予約経路"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("状態"),
        max_length=20,
        choices=ReservationStatus.choices,
        default=ReservationStatus.CONFIRMED,
    )
    starts_at = models.DateTimeField(_("開始"))
    ends_at = models.DateTimeField(_("終了"))
    topic = models.CharField(_("相談の分類"), max_length=20, choices=Topic.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登録者"),
    )
    created_at = models.DateTimeField(_("予約日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    cancelled_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    rescheduled_to = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rescheduled_from",
        verbose_name=_("変更後の予約"),
    )
    reminder_sent_at = models.DateTimeField(_("前日連絡日時"), null=True, blank=True)
    cancel_token = models.CharField(max_length=64, unique=True, editable=False)
    # The video room's id (``secrets.token_urlsafe``, 192 bits) for a video consultation
    # in a program with a room template; empty otherwise. See docs/video.md.
    video_room = models.CharField(_("ビデオ相談の部屋"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("相談予約")
        verbose_name_plural = _("相談予約")
        ordering = ("starts_at", "id")
        indexes = [
            models.Index(fields=["service", "venue", "starts_at"], name="reservation_slot_idx"),
            models.Index(fields=["program", "starts_at"], name="reservation_program_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="reservation_start_before_end"
            ),
            models.UniqueConstraint(
                fields=["seeker", "starts_at"],
                condition=~Q(status="cancelled"),
                name="reservation_seeker_once_per_start",
            ),
            models.UniqueConstraint(
                fields=["consultant", "starts_at"],
                condition=~Q(status="cancelled") & Q(consultant__isnull=False),
                name="reservation_consultant_once_per_start",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.starts_at:%Y-%m-%d %H:%M} {self.service_id}/{self.venue_id or '-'} #{self.pk}"
        )

    @property
    def video_url(self) -> str:
        """The video room's address ("" unless a video consultation with a room)."""
        if self.method != Method.VIDEO or not self.video_room:
            return ""
        return self.program.video_room_link(self.video_room)

    @property
    def is_active(self) -> bool:
        return self.status != ReservationStatus.CANCELLED


class SlotCounter(models.Model):
    """Seats held in one slot (service, place, start). Taken and released only by the
    booking services, with conditional UPDATEs; the CHECK makes over-booking an error
    in the database itself."""

    service = models.ForeignKey("programs.Service", on_delete=models.CASCADE, related_name="+")
    place = models.CharField(max_length=20, help_text="'v<venue id>' or 'remote'")
    starts_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "place", "starts_at"], name="slotcounter_unique_slot"
            ),
            models.CheckConstraint(
                condition=Q(held__lte=models.F("capacity")), name="slotcounter_never_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}/{self.place}/{self.starts_at:%Y-%m-%d %H:%M}: {self.held}/{self.capacity}"


class BookingPolicy(models.Model):
    """Per-program rules for self-service booking (LINE, web). Staff booking for a
    caller on the phone or at the desk may book up to the start of a slot."""

    program = models.OneToOneField(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="booking_policy",
        verbose_name=_("事業"),
    )
    min_notice_minutes = models.PositiveIntegerField(
        _("予約の締切（開始の何分前まで）"), default=60
    )
    window_days = models.PositiveIntegerField(_("予約できる期間（何日先まで）"), default=60)
    cancel_cutoff_minutes = models.PositiveIntegerField(
        _("取消・変更の締切（開始の何分前まで）"), default=60
    )
    max_open_bookings = models.PositiveIntegerField(_("同時に持てる予約の上限"), default=3)

    class Meta:
        verbose_name = _("予約ルール")
        verbose_name_plural = _("予約ルール")

    def __str__(self) -> str:
        return f"{self.program}"
