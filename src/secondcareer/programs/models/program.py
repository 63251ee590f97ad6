from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from secondcareer.programs.choices import AreaKind
from secondcareer.programs.phones import normalize_dial, tel_uri
from secondcareer.programs.rules import DueSchedule, report_due_date
from secondcareer.programs.video import room_link, room_template_problem


def validate_dial(value: str) -> None:
    if value and normalize_dial(value) is None:
        raise ValidationError(
            _("電話番号は、かけるときの形（例: 078-000-0000）で、正しい番号を入力してください。"),
            code="invalid_dial",
        )


def validate_room_template(value: str) -> None:
    if value and (problem := room_template_problem(value)) is not None:
        raise ValidationError(problem, code="invalid_room_template")


def default_retention_offsets() -> list[int]:
    """定着支援 at 1, 3 and 6 months after the start (preset ``retention``'s default)."""
    return [1, 3, 6]


class Program(models.Model):
    """One contract's operation (神戸市 / 埼玉県 …), created from a preset file by
    :func:`secondcareer.programs.services.program_load_preset`."""

    slug = models.SlugField(_("識別子"), max_length=50, unique=True)
    name = models.CharField(_("事業名"), max_length=200)
    client = models.CharField(_("委託元"), max_length=100)
    card_prefix = models.CharField(
        _("利用者カード番号の接頭辞"),
        max_length=4,
        help_text=_("利用者カード番号の先頭に付く英大文字（例: KB, ST）"),
    )
    description = models.TextField(_("概要"), blank=True)
    specification = models.CharField(_("根拠となる仕様書"), max_length=200, blank=True)
    spec_fiscal_year = models.PositiveSmallIntegerField(
        _("仕様書の対象年度"),
        null=True,
        blank=True,
        help_text=_("西暦の年度（例: 2023 = 令和5年度）"),
    )
    office_name = models.CharField(_("事務局"), max_length=200, blank=True)
    office_address = models.CharField(_("事務局の所在地"), max_length=200, blank=True)

    # Policies other apps read (age bands, review and follow-up periods, reply times).
    senior_age_from = models.PositiveSmallIntegerField(_("シニアとする年齢（以上）"), default=60)
    age_bands = models.JSONField(
        _("年齢区分"),
        default=list,
        blank=True,
        help_text=_('例: [{"code": "youth", "name": "若者", "min": null, "max": 39}]'),
    )
    assigned_consultant = models.BooleanField(_("担当キャリアコンサルタント制"), default=False)
    plan_review_months = models.JSONField(
        _("支援計画を見直す時期（初回相談からの月数）"), default=list, blank=True
    )
    inactivity_followup_months = models.PositiveSmallIntegerField(
        _("利用が途絶えた利用者に状況を確認するまでの月数"), null=True, blank=True
    )
    retention_followup_months = models.PositiveSmallIntegerField(
        _("就職後の定着支援の期間（月数）"), null=True, blank=True
    )
    retention_followup_offsets = models.JSONField(
        _("定着支援フォローアップの時期（就職日からの月数）"),
        default=default_retention_offsets,
        blank=True,
        help_text=_("例: [1, 3, 6]"),
    )
    contract_ends_on = models.DateField(
        _("契約期間の終了日"),
        null=True,
        blank=True,
        help_text=_("この日より後の定着支援は自主事業として続けます"),
    )
    inquiry_reply_hours = models.PositiveSmallIntegerField(
        _("即答できない質問に回答するまでの時間"), null=True, blank=True
    )

    # Booking channels.
    chatbot_booking_always_open = models.BooleanField(
        _("チャットボットで24時間365日予約を受け付ける"), default=False
    )
    phone_line_hours = models.JSONField(
        _("予約ダイヤルの受付時間"),
        default=dict,
        blank=True,
        help_text=_('日の種類ごとの時間帯。例: {"weekday": ["09:00-17:00"]}'),
    )

    # The booking dial the public pages and the chatbot give (preset ``contact``).
    contact_phone = models.CharField(
        _("予約ダイヤルの電話番号（公開）"),
        max_length=30,
        blank=True,
        validators=[validate_dial],
        help_text=_("ウェブの予約ページとLINEでご案内する番号。例: 078-000-0000"),
    )
    contact_hours = models.CharField(
        _("予約ダイヤルの受付時間（公開）"),
        max_length=200,
        blank=True,
        help_text=_("例: 平日 9:00〜17:00（土日祝・年末年始は休み）"),
    )

    # Video consultations (preset ``video``): the room address with ``{room}`` where
    # each reservation's own unguessable room id goes. Empty: no video room links.
    video_room_url = models.CharField(
        _("ビデオ相談の部屋のアドレス"),
        max_length=300,
        blank=True,
        validators=[validate_room_template],
        help_text=_(
            "予約ごとの部屋の識別子が入る所を {room} と書きます。例: https://meet.example.org/{room}"
        ),
    )

    staffing = models.JSONField(
        _("人員配置"),
        default=dict,
        blank=True,
        help_text=_("キャリアコンサルタントの配置時間・人数、求人開拓員・受付事務の人数など"),
    )
    report_note = models.TextField(_("報告に関する補足"), blank=True)

    # A fresh random value whenever a row the slots are built from changes (services,
    # hours, venues, venue days, closures, substitute dates, shift patterns and
    # exceptions, booking policies; ``programs.signals``), so each process may keep what
    # it built from them until the stamp moves. Random, not a counter: a program deleted
    # and loaded again under the same id must not meet an old cache entry.
    schedule_stamp = models.UUIDField(_("予約枠の設定の版"), default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("事業")
        verbose_name_plural = _("事業")
        ordering = ("slug",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(senior_age_from__gte=40, senior_age_from__lte=80),
                name="programs_program_senior_age_sane",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_tel_uri(self) -> str:
        """``tel:+81-78-000-0000`` for a link to the booking dial ("" without one)."""
        return tel_uri(self.contact_phone)

    def video_room_link(self, room: str) -> str:
        """The address of video room ``room`` ("" when the program has no template or
        the reservation no room)."""
        return room_link(self.video_room_url, room)

    def report_due_schedule(self) -> DueSchedule:
        """The monthly report due-date rule as the pure value :mod:`rules` works with."""
        rules = [row.as_rule() for row in self.due_rules.all()]
        default = [rule for rule in rules if rule.month is None]
        if not default:
            raise LookupError(f"program {self.slug!r} has no default report due rule")
        return DueSchedule(
            default=default[0], exceptions=tuple(r for r in rules if r.month is not None)
        )

    def report_due_date(self, year: int, month: int) -> dt.date:
        return report_due_date(self.report_due_schedule(), year, month)


class Area(models.Model):
    """A ward or municipality the program serves; adjacency is symmetric."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="areas", verbose_name=_("事業")
    )
    code = models.SlugField(_("識別子"), max_length=50)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("種別"), max_length=20, choices=AreaKind.choices)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    adjacent = models.ManyToManyField(
        "self", symmetrical=True, blank=True, verbose_name=_("隣接地域")
    )

    class Meta:
        verbose_name = _("地域")
        verbose_name_plural = _("地域")
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="area_code_unique_per_program")
        ]

    def __str__(self) -> str:
        return self.name
