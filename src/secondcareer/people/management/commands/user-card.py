"""``secondcareer user-card --program P --seeker ID --out FILE``: write a seeker's user
card (利用者カード) as a PDF, to print at the first visit.

``--seeker`` is the seeker's record number (the ``ID`` of the staff pages and the API)
or their card number (``KB-26-00042-7``, typed any way :func:`parse_card_number`
accepts). The card shows personal data on purpose: it writes one audit entry (出力,
``user-card``) and nothing to the logs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from secondcareer.core.audit import audit_log
from secondcareer.core.models import AuditAction
from secondcareer.people.card_pdf import user_card_pdf
from secondcareer.people.cards import parse_card_number
from secondcareer.people.models import Seeker
from secondcareer.programs.models import Program


class Command(BaseCommand):
    help = _("利用者カード（初回来所時に渡すカード）をPDFで書き出します。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help=_("事業の識別子（kobe, saitama …）"))
        parser.add_argument("--seeker", required=True, help=_("利用者のID、または利用者カード番号"))
        parser.add_argument("--out", required=True, help=_("書き出すPDFファイルのパス"))

    def handle(self, *args: Any, **options: Any) -> None:
        program = Program.objects.filter(slug=options["program"]).first()
        if program is None:
            raise CommandError(
                _("事業「%(slug)s」は登録されていません。") % {"slug": options["program"]}
            )
        seeker = _find_seeker(program, str(options["seeker"]))
        out = Path(options["out"])
        if out.is_dir():
            raise CommandError(
                _("%(path)s はフォルダです。PDFのファイル名を指定してください。") % {"path": out}
            )
        if not out.parent.is_dir():
            raise CommandError(_("フォルダ %(path)s がありません。") % {"path": out.parent})
        content = user_card_pdf(seeker)
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(
                _("%(path)s に書き込めません: %(reason)s")
                % {"path": out, "reason": exc.strerror or exc}
            ) from exc
        audit_log(
            actor=None,
            action=AuditAction.EXPORT,
            obj=seeker,
            program_slug=program.slug,
            note="user-card",
        )
        self.stdout.write(
            _("利用者カード（%(card)s）を %(path)s に書き出しました。")
            % {"card": seeker.card_number, "path": out}
        )


def _find_seeker(program: Program, value: str) -> Seeker:
    seekers = Seeker.objects.select_related("program").filter(program=program)
    card_number = parse_card_number(value)
    if card_number is not None:
        seeker = seekers.filter(card_number=card_number).first()
    elif re.fullmatch(r"[0-9]{1,18}", value.strip()):
        seeker = seekers.filter(pk=int(value.strip())).first()
    else:
        raise CommandError(
            _("--seeker には利用者のIDか利用者カード番号を指定してください: %(value)s")
            % {"value": value}
        )
    if seeker is None:
        raise CommandError(
            _("事業「%(slug)s」に利用者 %(value)s はいません。")
            % {"slug": program.slug, "value": value}
        )
    return seeker
