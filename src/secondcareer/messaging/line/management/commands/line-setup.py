"""``secondcareer line-setup --program P [--image PATH]``: put the rich menu (six
buttons: 相談を予約する, 予約の確認・変更, セミナー・講座, おすすめ求人, よくある質問,
相談員に聞く) on the program's LINE channel and make it every user's default.

Talks to ``LINE_API_BASE_URL`` (the fake platform in the demo; LINE in production)
with the program's access token. Safe to run again: the previous menu it installed is
removed after the new one is in place. Without ``--image`` a plain image is generated.
"""

from __future__ import annotations

import urllib.error
from pathlib import Path
from typing import Any

import urllib3
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from linebot.v3.messaging.exceptions import ApiException

from secondcareer.core.errors import DomainError
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.richmenu import richmenu_install
from secondcareer.programs.models import Program


class Command(BaseCommand):
    help = _("LINEのリッチメニュー（6つのボタン）を作成し、既定のメニューに設定します。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--program",
            action="append",
            required=True,
            help=_("事業の識別子（繰り返し指定できます）"),
        )
        parser.add_argument(
            "--image",
            type=Path,
            default=None,
            help=_("メニュー画像（2500×1686 の PNG または JPEG）"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slugs: list[str] = options["program"]
        if isinstance(slugs, str):  # call_command(program="kobe")
            slugs = [slugs]
        image: bytes | None = None
        if options["image"] is not None:
            try:
                image = Path(options["image"]).read_bytes()
            except OSError as exc:
                raise CommandError(_("画像を読めません: %(error)s") % {"error": exc}) from exc
        for slug in slugs:
            if not Program.objects.filter(slug=slug).exists():
                raise CommandError(_("事業 %(slug)s はありません。") % {"slug": slug})
            base = channel_for(slug).api_base_url
            try:
                installed = richmenu_install(program_slug=slug, image=image)
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            except ApiException as exc:
                raise CommandError(
                    _("LINEのAPIがエラーを返しました（%(status)s）: %(body)s")
                    % {"status": exc.status, "body": exc.body}
                ) from exc
            except (urllib.error.URLError, urllib3.exceptions.HTTPError, OSError) as exc:
                raise CommandError(
                    _("LINEのAPI（%(url)s）に接続できません: %(error)s")
                    % {"url": base, "error": exc}
                ) from exc
            self.stdout.write(
                _(
                    "%(slug)s: リッチメニュー %(id)s を既定に設定しました（以前のメニュー %(n)d 件を削除）。"
                )
                % {"slug": slug, "id": installed.rich_menu_id, "n": len(installed.removed)}
            )
