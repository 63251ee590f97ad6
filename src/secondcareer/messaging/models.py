"""Inquiries: what the bot could not answer at once, with a 24-hour answer deadline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("未回答")
    ANSWERED = "answered", _("回答済み")
    CLOSED = "closed", _("対応終了")


class AnswerDelivery(models.TextChoices):
    PUSH = "push", _("LINEで回答を送信")
    LINK = "link", _("個人情報を含むため、本人確認後に読めるページのリンクを送信")


class Inquiry(models.Model):
    """A question for a person. The question text stays in our database (never echoed
    back over the channel); the answer goes out by the channel (a push on LINE), or as a
    link to a page on the platform when it touches anything personal."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="+", verbose_name=_("事業")
    )
    seeker = models.ForeignKey(
        "people.Seeker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("利用者"),
    )
    # The channel the question came in on and the channel's own opaque key for the
    # person (for LINE the LINE user id): the core reaches them only through the
    # channel registered under that name (messaging/channels.py, ADR 0022).
    channel = models.CharField(_("経路"), max_length=20, default="line")
    contact_key = models.CharField(_("経路での相手の識別子"), max_length=255, blank=True)
    question = models.TextField(_("質問"))
    # requested (相談員に聞く) | faq_not_confident | follow_up (no open inquiry left to add to)
    reason = models.CharField(_("回送の理由"), max_length=30)
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    due_at = models.DateTimeField(_("回答期限"), db_index=True)
    hardship = models.BooleanField(_("公的支援への案内が必要"), default=False)
    status = models.CharField(
        _("状態"), max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.OPEN
    )
    answer = models.TextField(_("回答"), blank=True)
    delivery = models.CharField(
        _("回答の届け方"), max_length=10, choices=AnswerDelivery.choices, blank=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("回答者"),
    )
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    answer_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    answer_read_at = models.DateTimeField(_("回答閲覧日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("問い合わせ")
        verbose_name_plural = _("問い合わせ")
        ordering = ("due_at", "id")
        permissions = [("answer_inquiry", _("問い合わせに回答できる"))]
        indexes = [
            models.Index(fields=["program", "channel", "contact_key"], name="inquiry_contact_idx")
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()} 期限 {self.due_at:%m/%d %H:%M}"

    @property
    def seconds_to_answer(self) -> int | None:
        if self.answered_at is None:
            return None
        return int((self.answered_at - self.created_at).total_seconds())


class PublicSupportContact(models.Model):
    """Public support the program points people to when a message suggests hardship
    (生活困窮). Published information only; editable in the admin."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="+", verbose_name=_("事業")
    )
    name = models.CharField(_("窓口名"), max_length=100)
    description = models.CharField(_("説明"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号（公開情報）"), max_length=30, blank=True)
    url = models.URLField(_("ウェブサイト"), blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("公的支援の窓口")
        verbose_name_plural = _("公的支援の窓口")
        ordering = ("program", "order", "id")

    def __str__(self) -> str:
        return self.name


class ChatSender(models.TextChoices):
    SEEKER = "seeker", _("利用者")
    STAFF = "staff", _("担当者")


class ChatThread(models.Model):
    """The secure chat between a seeker and the consultants of their case (Kobe Ⅱ-3:
    チャットによる相談). One per seeker in a program; the text stays in this database,
    LINE only carries a notice and a link."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="+", verbose_name=_("事業")
    )
    seeker = models.ForeignKey(
        "people.Seeker", on_delete=models.CASCADE, related_name="+", verbose_name=_("利用者")
    )
    case = models.ForeignKey(
        "consultations.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("支援ケース"),
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("チャット")
        verbose_name_plural = _("チャット")
        constraints = [
            models.UniqueConstraint(fields=["program", "seeker"], name="chatthread_one_per_seeker")
        ]

    def __str__(self) -> str:
        return f"chat #{self.pk}"


class ChatMessage(models.Model):
    thread = models.ForeignKey(
        ChatThread, on_delete=models.CASCADE, related_name="messages", verbose_name=_("チャット")
    )
    sender_kind = models.CharField(_("送信者"), max_length=10, choices=ChatSender.choices)
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("送信した職員"),
    )
    body = models.TextField(_("本文"))
    created_at = models.DateTimeField(_("送信日時"), db_index=True)
    read_by_staff_at = models.DateTimeField(_("職員の既読日時"), null=True, blank=True)
    read_by_seeker_at = models.DateTimeField(_("利用者の既読日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("チャットのメッセージ")
        verbose_name_plural = _("チャットのメッセージ")
        ordering = ("created_at", "id")
        indexes = [
            models.Index(
                fields=["thread", "sender_kind", "read_by_staff_at"], name="chatmessage_unread_idx"
            )
        ]

    def __str__(self) -> str:
        return f"chat message #{self.pk} ({self.sender_kind})"


class ChatAccessCode(models.Model):
    """A one-time code staff give a seeker without LINE to open their chat link. Only
    its hash is stored; single use, short-lived, a few attempts."""

    thread = models.ForeignKey(ChatThread, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("チャットのワンタイムコード")
        verbose_name_plural = _("チャットのワンタイムコード")

    def __str__(self) -> str:
        return f"code for chat #{self.thread_id}"
