from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from secondcareer.people.ages import age_on


class User(AbstractUser):
    """A staff login. What a user may do, and in which program, comes from
    :class:`Membership`; the Django groups behind each role hold the permissions."""

    class Meta:
        verbose_name = _("スタッフ")
        verbose_name_plural = _("スタッフ")


class Role(models.TextChoices):
    RECEPTION = "reception", _("受付事務")
    CONSULTANT = "consultant", _("キャリアコンサルタント")
    JOB_DEVELOPER = "job_developer", _("求人開拓員")
    MANAGER = "manager", _("運営管理責任者")
    MUNICIPALITY = "municipality", _("委託元（自治体）")


class Membership(models.Model):
    """A staff member's role in one program. Without one, a user sees nothing of it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("スタッフ")
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("事業"),
    )
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("所属・役割")
        verbose_name_plural = _("所属・役割")
        permissions = [
            ("view_program_reports", _("事業の集計・月次報告を閲覧できる")),
            ("manage_program", _("事業の設定とスタッフを管理できる")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.program} / {self.get_role_display()}"


class RegistrationChannel(models.TextChoices):
    LINE = "line", _("LINE")
    WEB = "web", _("ウェブ")
    PHONE = "phone", _("電話")
    WALK_IN = "walk_in", _("窓口")
    STAFF = "staff", _("スタッフ登録")
    EVENT = "event", _("セミナー・イベント会場")


class HeardFrom(models.TextChoices):
    """認知経路: how a seeker heard of the service (Saitama ク(オ) asks for it)."""

    HELLO_WORK = "hello_work", _("ハローワーク")
    PUBLIC_NEWSLETTER = "public_newsletter", _("市報・県報・広報紙")
    FLYER = "flyer", _("チラシ・ポスター")
    WEBSITE = "website", _("ウェブサイト")
    LINE = "line", _("LINE")
    SEMINAR = "seminar", _("セミナー・イベント")
    FAMILY_FRIEND = "family_friend", _("家族・知人の紹介")
    NEWSPAPER = "newspaper", _("新聞・フリーペーパー")
    MAIL_MAGAZINE = "mail_magazine", _("メールマガジン")
    OTHER = "other", _("その他")


class Gender(models.TextChoices):
    FEMALE = "female", _("女性")
    MALE = "male", _("男性")
    OTHER = "other", _("その他")
    UNANSWERED = "unanswered", _("回答しない")


class SeekerStatus(models.TextChoices):
    ACTIVE = "active", _("支援中")
    EMPLOYED = "employed", _("就職決定")
    INACTIVE = "inactive", _("利用休止")
    WITHDRAWN = "withdrawn", _("登録抹消")


class Seeker(models.Model):
    """A person the centre supports (利用者/求職者). Created only by
    :func:`secondcareer.people.services.seeker_register`."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="seekers", verbose_name=_("事業")
    )
    card_number = models.CharField(_("利用者カード番号"), max_length=20)
    family_name = models.CharField(_("姓"), max_length=50)
    given_name = models.CharField(_("名"), max_length=50)
    family_name_kana = models.CharField(_("姓（フリガナ）"), max_length=80)
    given_name_kana = models.CharField(_("名（フリガナ）"), max_length=80)
    name_search_key = models.CharField(max_length=200, db_index=True, editable=False)
    birth_date = models.DateField(_("生年月日"))
    gender = models.CharField(_("性別"), max_length=20, choices=Gender.choices, blank=True)
    phone = models.CharField(
        _("電話番号"), max_length=20, help_text=_("国内表記（例: 090-1234-5678）")
    )
    phone_digits = models.CharField(max_length=20, db_index=True, editable=False)
    email = models.EmailField(_("メールアドレス"), blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    area = models.ForeignKey(
        "programs.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seekers",
        verbose_name=_("居住地域"),
    )
    registration_channel = models.CharField(
        _("登録経路"), max_length=20, choices=RegistrationChannel.choices
    )
    heard_from = models.CharField(
        _("認知経路"), max_length=30, choices=HeardFrom.choices, blank=True
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=SeekerStatus.choices, default=SeekerStatus.ACTIVE
    )
    registered_on = models.DateField(_("登録日"))
    anonymised_on = models.DateField(
        _("匿名化日"),
        null=True,
        blank=True,
        help_text=_("保存期間を過ぎて個人を特定できる情報を消した日（secondcareer anonymise）"),
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登録者"),
    )

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")
        ordering = ("program", "family_name_kana", "given_name_kana", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "card_number"], name="seeker_card_unique_per_program"
            ),
            models.CheckConstraint(
                condition=~models.Q(card_number=""), name="seeker_card_not_blank"
            ),
        ]
        indexes = [models.Index(Lower("email"), name="seeker_email_idx")]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name}"

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}"

    @property
    def full_name_kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}"

    def age_on(self, day: dt.date) -> int:
        return age_on(self.birth_date, day)


class ConsentKind(models.TextChoices):
    PRIVACY = "privacy", _("個人情報の取扱い")
    DATA_SHARING_CLIENT = "data_sharing_client", _("委託元（県・市）への情報提供")
    JOB_REFERRAL = "job_referral", _("職業紹介のための企業への情報提供")
    LINE_NOTICES = "line_notices", _("LINEでのお知らせ受信")
    MAIL_MAGAZINE = "mail_magazine", _("メールマガジンの受信")


class ConsentMethod(models.TextChoices):
    PAPER = "paper", _("紙の同意書")
    WEB_FORM = "web_form", _("ウェブフォーム")
    LINE_FORM = "line_form", _("LINEから開いたフォーム")
    VERBAL_PHONE = "verbal_phone", _("電話での口頭同意（記録者あり）")


class ConsentRecord(models.Model):
    """What a seeker agreed to, which version of the text, when and how. A withdrawal
    is a new record with ``granted=False``; records are never edited."""

    seeker = models.ForeignKey(
        Seeker, on_delete=models.CASCADE, related_name="consents", verbose_name=_("利用者")
    )
    kind = models.CharField(_("同意の種類"), max_length=30, choices=ConsentKind.choices)
    version = models.CharField(_("文書の版"), max_length=20)
    granted = models.BooleanField(_("同意"), default=True)
    at = models.DateTimeField(_("日時"))
    method = models.CharField(_("方法"), max_length=20, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録者"),
    )

    class Meta:
        verbose_name = _("同意記録")
        verbose_name_plural = _("同意記録")
        ordering = ("seeker", "kind", "-at")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} ({'同意' if self.granted else '撤回'})"


class CardSequence(models.Model):
    """The last card serial issued per program and fiscal year (row-locked when used)."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "fiscal_year"], name="card_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}/{self.fiscal_year}: {self.last_serial}"
