"""``secondcareer line-link-code --program P --card CARD``: a one-time code (8 digits,
valid 7 days) for reception to give a seeker first registered by phone, who enters it
with their birth date on the platform's linking page opened from LINE."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from secondcareer.messaging.line.services.linking import link_code_issue
from secondcareer.people.cards import parse_card_number
from secondcareer.people.models import Seeker


class Command(BaseCommand):
    help = "電話などで登録した利用者に渡すLINE連携コード（8けた・7日間有効）を発行します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True)
        parser.add_argument("--card", required=True, help="利用者カード番号")

    def handle(self, *args: Any, **options: Any) -> None:
        card = parse_card_number(options["card"])
        if card is None:
            raise CommandError(_("利用者カード番号の形式が正しくありません。"))
        seeker = Seeker.objects.filter(program__slug=options["program"], card_number=card).first()
        if seeker is None:
            raise CommandError(_("この事業にそのカード番号の利用者はいません。"))
        code = link_code_issue(seeker=seeker, actor=None)
        self.stdout.write(f"連携コード: {code}（7日間有効・1回限り）")
        self.stdout.write(
            "利用者にはLINEのメニューから連携ページを開き、コードと生年月日を入力してもらいます。"
        )
