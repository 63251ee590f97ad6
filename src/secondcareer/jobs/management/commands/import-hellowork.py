"""``secondcareer import-hellowork FILE --program P [--mapping M] [--full]``: import a
Hello Work posting CSV (UTF-8 with or without BOM, or Shift_JIS/CP932) into a program.

A stable interface (docs/jobs.md). Upserts by 求人番号 and matches or creates employers
by 事業所番号; ``--full`` closes the program's open Hello Work postings absent from the
file. All or nothing: a bad row is reported on stderr as ``N行目「列」: 理由`` and
nothing is imported (exit status 1). Prints one summary line:
``新規 N 件、更新 N 件、変更なし N 件、終了 N 件、不備 N 件``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.booking.selectors import get_program
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.jobs.hellowork import ImportRejected
from secondcareer.jobs.mapping import load_mapping
from secondcareer.jobs.services.hellowork import postings_import


class Command(BaseCommand):
    help = _("ハローワークの求人 CSV を事業に取り込みます（求人番号で新規登録・更新）。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=None, help=_("取り込む CSV ファイル"))
        # Checked in handle() rather than by argparse, whose messages are English.
        parser.add_argument("--program", default=None, help=_("事業の識別子（kobe, saitama …）"))
        parser.add_argument(
            "--mapping", default=None, help=_("列の対応表（YAML）。省略すると標準の対応表")
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help=_("ファイルにないハローワーク求人を募集終了にします"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("file"):
            raise CommandError(_("取り込む CSV ファイルを指定してください。"))
        if not options.get("program"):
            raise CommandError(
                _("--program で事業の識別子を指定してください（例: --program saitama）。")
            )
        path = Path(options["file"])
        try:
            program = get_program(options["program"])
            mapping = load_mapping(Path(options["mapping"]) if options.get("mapping") else None)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise CommandError(_("ファイルが見つかりません: %(path)s") % {"path": path}) from exc
        except OSError as exc:
            raise CommandError(
                _("ファイルを読めません: %(path)s（%(reason)s）")
                % {"path": path, "reason": exc.strerror}
            ) from exc
        today = timezone.localtime(timezone.now(), TOKYO).date()
        try:
            summary = postings_import(
                program=program,
                data=data,
                mapping=mapping,
                full=bool(options.get("full")),
                today=today,
            )
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            self.stdout.write(exc.summary.line())
            raise CommandError(
                _("不備のある行が %(count)s 行あるため、何も取り込みませんでした。")
                % {"count": exc.summary.rejected}
            ) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(summary.line())
