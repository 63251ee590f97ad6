from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only the SHA-256 of the token is stored; the
    token itself is shown once, when it is created (``secondcareer api-token``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("スタッフ"),
    )
    name = models.CharField(_("用途"), max_length=100, help_text=_("例: 予約電話システム連携"))
    prefix = models.CharField(
        _("先頭の文字"), max_length=16, help_text=_("どのトークンかを見分けるための先頭部分")
    )
    key_hash = models.CharField(_("ハッシュ値（SHA-256）"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最終利用日時"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("失効日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
