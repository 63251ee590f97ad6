"""The fixed vocabularies of program configuration.

Models use these as field choices and the preset parser checks YAML values against
them, so a value the database accepts is exactly a value a preset may contain. This
module imports only Django's enum types and lazy gettext: no models, no database.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    WARD = "ward", _("区")
    BRANCH = "branch", _("支所管内")
    MUNICIPALITY = "municipality", _("市町村")


class Weekday(models.IntegerChoices):
    """``datetime.date.weekday()`` numbering: Monday is 0."""

    MON = 0, _("月曜日")
    TUE = 1, _("火曜日")
    WED = 2, _("水曜日")
    THU = 3, _("木曜日")
    FRI = 4, _("金曜日")
    SAT = 5, _("土曜日")
    SUN = 6, _("日曜日")


# The names a preset uses for weekdays, in ``Weekday`` order.
WEEKDAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class DayType(models.TextChoices):
    """Mirrors :class:`secondcareer.core.jpcalendar.DayType`: a national holiday counts
    as ``sunday_holiday`` whatever weekday it falls on."""

    WEEKDAY = "weekday", _("平日")
    SATURDAY = "saturday", _("土曜日")
    SUNDAY_HOLIDAY = "sunday_holiday", _("日曜日・祝日")


class Method(models.TextChoices):
    """How a consultation is held."""

    CHAT = "chat", _("チャット")
    PHONE = "phone", _("電話")
    VIDEO = "video", _("ビデオ通話")
    IN_PERSON = "in_person", _("対面")


class Delivery(models.TextChoices):
    """Where a consultation service takes place."""

    REMOTE = "remote", _("オンライン（会場なし）")
    VENUE = "venue", _("会場で実施")


class ClosureKind(models.TextChoices):
    NATIONAL_HOLIDAYS = "national_holidays", _("国民の祝日")
    RECURRING = "recurring", _("毎年の期間（月日で指定）")
    ONE_OFF = "one_off", _("特定の期間（日付で指定）")


class EventFormat(models.TextChoices):
    SEMINAR = "seminar", _("セミナー")
    GROUP_CONSULTATION = "group_consultation", _("グループ相談")
    COURSE = "course", _("講座")
    JOB_FAIR = "job_fair", _("合同企業面接会")
    ROUNDTABLE = "roundtable", _("座談会")
    INTERNSHIP = "internship", _("インターンシップ")


class EventDelivery(models.TextChoices):
    IN_PERSON = "in_person", _("会場")
    ONLINE = "online", _("オンライン")
    MIXED = "mixed", _("会場・オンライン")


class CountPeriod(models.TextChoices):
    YEAR = "year", _("年")
    MONTH = "month", _("月")
    WEEK = "week", _("週")


class DueRoll(models.TextChoices):
    """Mirrors :class:`secondcareer.programs.rules.Roll`."""

    NONE = "none", _("そのまま（休日でも繰り延べない）")
    NEXT_BUSINESS_DAY = "next_business_day", _("休日の場合は翌営業日")
    PREVIOUS_BUSINESS_DAY = "previous_business_day", _("休日の場合は前営業日")


class PublicationMedium(models.TextChoices):
    LEAFLET = "leaflet", _("リーフレット")
    FLYER = "flyer", _("チラシ")
    POSTER = "poster", _("ポスター")
    MAIL_MAGAZINE = "mail_magazine", _("メールマガジン")
    PUSH = "push", _("SNSプッシュ通知")


class SupportBodyKind(models.TextChoices):
    """The public bodies a hardship case is referred to (Kobe Ⅲ-2: 生活困窮など公的支援が
    必要なケース); the preset's ``support_bodies`` and ``consultations.SupportBody``."""

    SELF_RELIANCE = "self_reliance", _("自立相談支援機関")
    COMMUNITY_CARE = "community_care", _("地域包括支援センター")
    HELLO_WORK = "hello_work", _("ハローワーク")
    SILVER_CENTER = "silver_center", _("シルバー人材センター")
    SOCIAL_WELFARE = "social_welfare", _("社会福祉協議会")
