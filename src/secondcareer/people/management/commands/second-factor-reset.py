"""``secondcareer second-factor-reset USERNAME``: remove a staff member's authenticator
app and recovery codes (a lost phone), so that their next sign-in enrols a new app.
The server-side path when no superuser can sign in to the admin; audited."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from secondcareer.people.models import User
from secondcareer.people.twofactor import second_factor_reset


class Command(BaseCommand):
    help = "スタッフの二要素認証（認証アプリと回復コード）をリセットします。次回のログインで再登録します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="スタッフのユーザー名")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                _("ユーザー「%(username)s」は見つかりません。") % {"username": options["username"]}
            )
        second_factor_reset(user=user, actor=None)
        self.stdout.write(
            f"{user.get_username()} の二要素認証をリセットしました。次回のログインで認証アプリを登録し直します。"
        )
