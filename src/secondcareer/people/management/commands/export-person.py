"""``secondcareer export-person --program P --seeker ID [--out FILE]``: everything the
platform holds on one seeker, as JSON, for a disclosure request (APPI 個人情報保護法の
開示請求; docs/personal-data.md).

``--seeker`` is the seeker's ID or card number. The output is UTF-8 JSON with one
section per kind of data (``sections``: ``key``, Japanese ``title``, ``count``,
``fields`` = field code → Japanese name, ``rows``), ISO dates, keys in a fixed order;
secrets (token hashes, one-time codes) are left out. It writes one audit entry (出力,
``export-person``) and nothing to the logs. An unknown seeker, or one of another
program, is an error and nothing is written.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from secondcareer.core.audit import audit_log
from secondcareer.core.models import AuditAction
from secondcareer.core.personal_data import export_person
from secondcareer.people.selectors import program_and_seeker


class Command(BaseCommand):
    help = _("ひとりの利用者について保有しているすべての情報をJSONで書き出します（開示請求）。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help=_("事業の識別子（kobe, saitama …）"))
        parser.add_argument("--seeker", required=True, help=_("利用者のID、または利用者カード番号"))
        parser.add_argument("--out", default=None, help=_("書き出すファイル（省略すると標準出力）"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            program, seeker = program_and_seeker(options["program"], str(options["seeker"]))
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        out = Path(options["out"]) if options["out"] else None
        if out is not None and out.is_dir():
            raise CommandError(
                _("%(path)s はフォルダです。ファイル名を指定してください。") % {"path": out}
            )
        if out is not None and not out.parent.is_dir():
            raise CommandError(_("フォルダ %(path)s がありません。") % {"path": out.parent})
        data = export_person(seeker.pk, program_slug=program.slug)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if out is None:
            self.stdout.write(text, ending="")
        else:
            _write_atomically(out, text)
        audit_log(
            actor=None,
            action=AuditAction.EXPORT,
            obj=seeker,
            program_slug=program.slug,
            note="export-person",
        )
        if out is not None:
            self.stderr.write(
                _("利用者 %(id)s の保有情報（%(sections)s区分）を %(path)s に書き出しました。")
                % {"id": seeker.pk, "sections": len(data["sections"]), "path": out}
            )


def _write_atomically(out: Path, text: str) -> None:
    """The whole file or none: a temporary file beside it, renamed over it."""
    try:
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".export-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, out)
    except OSError as exc:
        raise CommandError(
            _("%(path)s に書き込めません: %(reason)s")
            % {"path": out, "reason": exc.strerror or exc}
        ) from exc
