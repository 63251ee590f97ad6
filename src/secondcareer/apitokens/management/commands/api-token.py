"""``secondcareer api-token --user USERNAME --name NAME``: issue an API token and print
it once. ``--revoke ID`` revokes one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from secondcareer.apitokens.models import ApiToken
from secondcareer.apitokens.services import api_token_create, api_token_revoke
from secondcareer.core.errors import DomainError


class Command(BaseCommand):
    help = "JSON API のトークンを発行します（トークンは一度だけ表示されます）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", help="トークンを使うスタッフのユーザー名")
        parser.add_argument("--name", help="用途（例: 予約電話システム連携）")
        parser.add_argument("--revoke", type=int, metavar="ID", help="失効させるトークンのID")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["revoke"] is not None:
            token = ApiToken.objects.filter(pk=options["revoke"]).first()
            if token is None:
                raise CommandError(
                    _("ID %(id)s のトークンはありません。") % {"id": options["revoke"]}
                )
            api_token_revoke(token=token)
            self.stdout.write(f"トークン {token.prefix}…（ID {token.pk}）を失効させました。")
            return
        if not options["user"] or not options["name"]:
            raise CommandError(_("--user と --name を指定してください。"))
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("ユーザー「%(user)s」はいません。") % {"user": options["user"]})
        try:
            token, raw = api_token_create(user=user, name=options["name"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(
            f"トークンを発行しました（ID {token.pk}）。この表示は一度きりです。安全な場所に保管してください。"
        )
        self.stdout.write(raw)
