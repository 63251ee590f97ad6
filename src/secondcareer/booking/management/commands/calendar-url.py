"""``secondcareer calendar-url --user USERNAME``: print the consultant's calendar feed
URL (subscribe to it from a phone or desktop calendar)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _

from secondcareer.booking.feeds import feed_token
from secondcareer.people.models import Role, User


class Command(BaseCommand):
    help = "キャリアコンサルタントの予定表（iCalendar）の購読URLを表示します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="キャリアコンサルタントのユーザー名")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SECONDCAREER_SITE_URL", "http://127.0.0.1:8000"),
            help="サイトのURL（既定: settings.SECONDCAREER_SITE_URL）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(
                _("有効なユーザー「%(user)s」はいません。") % {"user": options["user"]}
            )
        if not user.memberships.filter(role=Role.CONSULTANT).exists():
            raise CommandError(_("このユーザーはキャリアコンサルタントの役割を持っていません。"))
        path = reverse("booking_feed:consultant", args=[feed_token(user)])
        self.stdout.write(options["base_url"].rstrip("/") + path)
