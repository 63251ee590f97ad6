"""``secondcareer match --program P (--seeker ID | --posting ID) [--top N] [--format json]``:
the open postings for a seeker, or the seekers for a posting, best first, as a JSON list
(a stable interface, README "Matching"): objects with ``posting_id`` (or ``seeker_id``),
``score``, ``reasons`` and ``gaps`` (Japanese sentences) and a few more fields, exactly
as the API gives them.

It shows personal data to staff on purpose: it writes nothing to the logs, and one
audit entry (出力, ``match``) per seeker it prints.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.booking.selectors import get_program
from secondcareer.core.audit import audit_records_shown
from secondcareer.core.errors import DomainError
from secondcareer.core.models import AuditAction
from secondcareer.core.sql import storable_id
from secondcareer.jobs.models import JobPosting
from secondcareer.matching.output import posting_match_json, seeker_match_json
from secondcareer.matching.selectors import posting_matches, seeker_matches
from secondcareer.people.models import Seeker

MAX_TOP = 1000


def _id(value: str | int | None, what: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1 or not storable_id(number):
        raise CommandError(
            _("%(what)s には ID（正の整数）を指定してください: %(value)s")
            % {"what": what, "value": value}
        )
    return number


class Command(BaseCommand):
    help = _("利用者へのおすすめ求人、または求人に合う利用者を JSON で表示します。")

    def add_arguments(self, parser: CommandParser) -> None:
        # Checked in handle() rather than by argparse, whose messages are English.
        parser.add_argument("--program", default=None, help=_("事業の識別子（kobe, saitama …）"))
        parser.add_argument("--seeker", default=None, help=_("利用者の ID"))
        parser.add_argument("--posting", default=None, help=_("求人の ID"))
        parser.add_argument("--top", default="20", help=_("件数（既定 20）"))
        parser.add_argument("--format", default="json", help=_("出力の形式（json）"))

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("program"):
            raise CommandError(
                _("--program で事業の識別子を指定してください（例: --program kobe）。")
            )
        seeker_id = _id(options.get("seeker"), "--seeker")
        posting_id = _id(options.get("posting"), "--posting")
        if (seeker_id is None) == (posting_id is None):
            raise CommandError(
                _(
                    "--seeker（利用者の ID）か --posting（求人の ID）のどちらか一方を指定してください。"
                )
            )
        if options.get("format") != "json":
            raise CommandError(_("--format は json だけです。"))
        try:
            top = int(options.get("top") or 20)
        except (TypeError, ValueError):
            top = 0
        if not 1 <= top <= MAX_TOP:
            raise CommandError(
                _("--top は 1〜%(max)d の整数で指定してください。") % {"max": MAX_TOP}
            )
        try:
            program = get_program(options["program"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc

        if seeker_id is not None:
            seeker = Seeker.objects.filter(pk=seeker_id, program=program).first()
            if seeker is None:
                raise CommandError(
                    _("利用者 ID %(id)d は事業「%(program)s」に登録されていません。")
                    % {"id": seeker_id, "program": program.slug}
                )
            found = seeker_matches(program=program, seeker=seeker, top=top)
            shown = [seeker]
            data = [seeker_match_json(m) for m in found]
        else:
            posting = (
                JobPosting.objects.select_related("employer", "workplace_area")
                .filter(pk=posting_id or 0, program=program)
                .first()
            )
            if posting is None:
                raise CommandError(
                    _("求人 ID %(id)d は事業「%(program)s」にありません。")
                    % {"id": posting_id, "program": program.slug}
                )
            candidates = posting_matches(program=program, posting=posting, top=top)
            shown = [m.seeker for m in candidates]
            today = timezone.localdate()
            data = [posting_match_json(m, today) for m in candidates]
        audit_records_shown(
            actor=None,
            objs=shown,
            program_slug=program.slug,
            note="match",
            action=AuditAction.EXPORT,
        )
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
