"""The FAQ the LINE chatbot answers from: a staff-editable knowledge base.

An entry belongs to one program, or to none (shared by every program). Where a program
has an entry with the same ``code`` as a shared one, the program's entry is used instead
of the shared one (see :mod:`secondcareer.messaging.faq.selectors`). Answers go out over
LINE as they are, so they hold public information only: never personal data.
"""

from __future__ import annotations

import json
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ANSWER_MAX_LENGTH = 300  # about four short sentences: readable on a phone without scrolling

# Contact details have no place in an answer sent over LINE: point to a page instead.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_PHONE = re.compile(r"0\d{1,4}[-‐ー－(（]?\d{1,4}[-‐ー－)）]?\d{3,4}")


def answer_problem(answer: str) -> str | None:
    """Why ``answer`` may not go out over LINE, or None."""
    if _EMAIL.search(answer) or _PHONE.search(answer):
        return str(
            _(
                "回答はLINEで送られるため、電話番号やメールアドレスは書かず、"
                "案内ページのパスを書いてください。"
            )
        )
    return None


class FaqCategory(models.TextChoices):
    USAGE = "usage", _("利用について")
    BOOKING = "booking", _("相談の予約")
    PLACES_HOURS = "places_hours", _("会場・時間")
    SEMINARS = "seminars", _("セミナー・講座")
    JOBS = "jobs", _("求人・職業紹介")
    PENSION_WORK = "pension_work", _("年金・働き方")
    AFTER_PLACEMENT = "after_placement", _("就職後")
    PRIVACY = "privacy", _("個人情報")
    OTHER = "other", _("その他")


def parse_variants(value: str) -> list[str]:
    """Variants as stored: one phrasing a line, or a JSON list of strings."""
    text = value.strip()
    if text.startswith("["):
        try:
            loaded = json.loads(text)
        except ValueError:
            loaded = None
        if isinstance(loaded, list) and all(isinstance(item, str) for item in loaded):
            return [item.strip() for item in loaded if item.strip()]
    return [line.strip() for line in text.splitlines() if line.strip()]


class FaqEntry(models.Model):
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("事業"),
        on_delete=models.CASCADE,
        related_name="faq_entries",
        null=True,
        blank=True,
        help_text=_("空欄にすると、すべての事業で共通の質問になります。"),
    )
    code = models.SlugField(
        _("コード"),
        max_length=60,
        help_text=_(
            "質問を識別する英小文字のコード（例: free_of_charge）。"
            "共通の質問と同じコードを事業に付けると、その事業では事業の回答が使われます。"
        ),
    )
    category = models.CharField(
        _("分類"), max_length=20, choices=FaqCategory.choices, default=FaqCategory.OTHER
    )
    question = models.CharField(_("質問"), max_length=200)
    variants = models.TextField(
        _("言い換え"),
        blank=True,
        help_text=_("同じ質問の別の言い方を1行に1つずつ書きます。"),
    )
    answer = models.TextField(
        _("回答"),
        max_length=ANSWER_MAX_LENGTH,
        help_text=_(
            "LINEでそのまま送られます。スマートフォンで読みやすい短い文（1〜4文）で書き、"
            "個人情報や電話番号・メールアドレスは書かず、必要なら案内ページのパス（例: /book/kobe/）を書きます。"
        ),
    )
    is_published = models.BooleanField(_("公開"), default=True)
    seed_digest = models.CharField(
        _("同梱データの指紋"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_(
            "同梱のFAQデータから最後に書き込んだ内容の指紋。職員が編集した質問は、"
            "load-faq を再実行しても上書きされません。"
        ),
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("よくある質問")
        verbose_name_plural = _("よくある質問")
        ordering = ("program__slug", "category", "code")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"],
                condition=Q(program__isnull=False),
                name="faq_entry_code_unique_per_program",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(program__isnull=True),
                name="faq_entry_code_unique_shared",
            ),
            models.CheckConstraint(condition=~Q(question=""), name="faq_entry_question_not_empty"),
            models.CheckConstraint(condition=~Q(answer=""), name="faq_entry_answer_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.question}"

    @property
    def variant_list(self) -> list[str]:
        return parse_variants(self.variants)

    def phrasings(self) -> list[str]:
        """The canonical question and its variants, in that order."""
        return [self.question, *self.variant_list]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if len(self.answer) > ANSWER_MAX_LENGTH:
            errors["answer"] = _("回答は%(max)d文字以内で書いてください。") % {
                "max": ANSWER_MAX_LENGTH
            }
        elif problem := answer_problem(self.answer):
            errors["answer"] = problem
        if errors:
            raise ValidationError(errors)
