"""LINE: every webhook event as received, LINE users (registrants), link codes and the
log of outgoing pushes."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EventStatus(models.TextChoices):
    PENDING = "pending", _("未処理")
    DONE = "done", _("処理済み")
    IGNORED = "ignored", _("対象外（記録のみ）")
    FAILED = "failed", _("失敗")


class WebhookEvent(models.Model):
    """One event of a webhook request, stored before the request is acknowledged.

    ``dedupe_key`` is LINE's ``webhookEventId`` plus a digest of the event without its
    ``deliveryContext``: a redelivery (identical but for ``isRedelivery``) has the same
    key and is stored once, while distinct events that happen to share an id (LINE's
    own SDK fixture gives every event the same id) are all kept."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="+", verbose_name=_("事業")
    )
    dedupe_key = models.CharField(max_length=120)
    webhook_event_id = models.CharField(_("webhookEventId"), max_length=64, blank=True)
    event_type = models.CharField(_("種別"), max_length=40)
    source_type = models.CharField(_("送信元"), max_length=20, blank=True)
    line_user_id = models.CharField(_("LINEユーザーID"), max_length=64, blank=True, db_index=True)
    payload = models.JSONField(_("内容"))
    is_redelivery = models.BooleanField(_("再送"), default=False)
    received_at = models.DateTimeField(_("受信日時"), auto_now_add=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=EventStatus.choices, default=EventStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("処理回数"), default=0)
    processed_at = models.DateTimeField(_("処理日時"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("LINE受信イベント")
        verbose_name_plural = _("LINE受信イベント")
        ordering = ("received_at", "id")
        constraints = [
            models.UniqueConstraint(fields=["program", "dedupe_key"], name="webhookevent_once"),
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="webhookevent_queue_idx")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.webhook_event_id} ({self.status})"


class LineUser(models.Model):
    """A LINE user who added the program's account: a registrant (SNS登録者) while
    following, blocked after unfollowing (no more pushes). Linked to a seeker only
    through the platform's own verified pages, never by anything typed in the chat."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="+", verbose_name=_("事業")
    )
    line_user_id = models.CharField(_("LINEユーザーID"), max_length=64)
    following = models.BooleanField(_("友だち登録中"), default=True)
    followed_at = models.DateTimeField(_("友だち登録日時"), null=True, blank=True)
    unfollowed_at = models.DateTimeField(_("ブロック日時"), null=True, blank=True)
    seeker = models.ForeignKey(
        "people.Seeker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="line_accounts",
        verbose_name=_("利用者"),
    )
    linked_at = models.DateTimeField(_("連携日時"), null=True, blank=True)
    # LINE's display name (a nickname the user chose), fetched once they ask a
    # consultant something while unregistered, so staff can tell who asked.
    display_name = models.CharField(_("LINEの表示名"), max_length=100, blank=True)
    dialogue_state = models.JSONField(_("会話の状態"), default=dict, blank=True)
    dialogue_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("LINE登録者")
        verbose_name_plural = _("LINE登録者")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "line_user_id"], name="lineuser_once_per_program"
            ),
            models.UniqueConstraint(
                fields=["program", "seeker"],
                condition=Q(seeker__isnull=False),
                name="lineuser_one_account_per_seeker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_user_id[:8]}… ({'登録中' if self.following else 'ブロック'})"


class LinkCode(models.Model):
    """A one-time code reception gives a seeker first registered by phone, to link
    their LINE account on the platform's page. Only a hash is stored."""

    seeker = models.ForeignKey("people.Seeker", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("LINE連携コード")
        verbose_name_plural = _("LINE連携コード")

    def __str__(self) -> str:
        return f"code for seeker #{self.seeker_id}"


class PushStatus(models.TextChoices):
    QUEUED = "queued", _("送信待ち")
    SENT = "sent", _("送信済み")
    FAILED = "failed", _("失敗")
    REFUSED = "refused", _("送信拒否（ポリシー・上限）")


class OutboundMessage(models.Model):
    """Delivery log of pushes and multicasts. The retry key is stored BEFORE the first
    attempt, so a retry after a crash is recognised by LINE (409) and never doubles."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)  # push | multicast
    purpose = models.CharField(max_length=40)  # reminder, inquiry_answer, campaign …
    recipients = models.JSONField()  # LINE user ids
    messages = models.JSONField()
    retry_key = models.UUIDField(unique=True)
    status = models.CharField(max_length=10, choices=PushStatus.choices, default=PushStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    message_count = models.PositiveIntegerField(default=0, help_text="recipients × messages")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("LINE送信記録")
        verbose_name_plural = _("LINE送信記録")
        indexes = [models.Index(fields=["program", "status", "sent_at"], name="outbound_quota_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.purpose} ({self.status})"
