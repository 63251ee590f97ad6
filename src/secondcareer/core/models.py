from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("閲覧")
    CREATE = "create", _("作成")
    UPDATE = "update", _("更新")
    DELETE = "delete", _("削除")
    EXPORT = "export", _("出力")
    # Staff sign-in (docs/adr/0014): never the password, a code or a typed unknown name.
    SIGN_IN = "sign_in", _("ログイン")
    SIGN_IN_FAILED = "sign_in_failed", _("ログイン失敗")
    SIGN_OUT = "sign_out", _("ログアウト")
    LOCKOUT = "lockout", _("ログインの一時停止")
    UNLOCK = "unlock", _("ログイン停止の解除")
    OTP_ENROL = "otp_enrol", _("二要素認証の登録")
    OTP_FAILED = "otp_failed", _("二要素認証の失敗")
    OTP_RESET = "otp_reset", _("二要素認証のリセット")
    RECOVERY_CODE_USED = "recovery_used", _("回復コードの使用")
    RECOVERY_CODES_ISSUED = "recovery_issued", _("回復コードの発行")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")


class AuditEntry(models.Model):
    """One access to or change of a personal record: who, when, what, how, from where.

    Append-only: the model refuses updates and deletes, and database triggers (see the
    migration) refuse them for raw SQL too. The actor and program are stored as values,
    not foreign keys, so that deleting a user or program can never rewrite history.
    """

    at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(_("操作者ID"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("操作者"), max_length=150, blank=True)
    program_slug = models.CharField(_("事業"), max_length=50, blank=True, db_index=True)
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("記録の種類"), max_length=100)
    object_id = models.CharField(_("記録ID"), max_length=64)
    ip_address = models.GenericIPAddressField(_("接続元IP"), null=True, blank=True)
    path = models.CharField(_("画面・API"), max_length=300, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")
        ordering = ("-at", "-id")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} "
            f"{self.object_type}#{self.object_id}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")
