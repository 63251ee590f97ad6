"""``secondcareer anonymise --program P --before DATE [--dry-run]``: remove the
identifying data of seekers whose cases all closed before DATE (the end of the
retention period), keeping every row with its dates, kinds and counts for the reports
(docs/personal-data.md).

Skipped (and counted): seekers with a case still open, and those with activity on or
after DATE (a consultation, a booking — a future one included —, a chat message, an
inquiry, a case closed later). A seeker anonymised once is not touched again. One
transaction; one audit entry per run; the summary holds counts only. ``--dry-run``
counts and changes nothing. The presets have no retention setting yet, so ``--before``
is required; it may not lie after today.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.core.commands import iso_date
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.personal_data import sources
from secondcareer.core.services import personal_data_anonymise
from secondcareer.programs.models import Program


class Command(BaseCommand):
    help = _(
        "保存期間を過ぎた終結ケースの利用者について、個人を特定できる情報を消します"
        "（件数・日付・種類は集計のために残します）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", default=None, help=_("事業の識別子（kobe, saitama …）"))
        parser.add_argument(
            "--before", default=None, help=_("この日より前に終結したケースが対象（YYYY-MM-DD）")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("件数を数えるだけで、何も変更しません")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("program"):
            raise CommandError(
                _("--program で事業の識別子を指定してください（例: --program saitama）。")
            )
        program = Program.objects.filter(slug=options["program"]).first()
        if program is None:
            raise CommandError(
                _("事業「%(slug)s」は登録されていません。") % {"slug": options["program"]}
            )
        if not options.get("before"):
            raise CommandError(
                _(
                    "--before で保存期間の終わりの日付を指定してください"
                    "（例: --before 2021-04-01）。"
                )
            )
        before = iso_date(options["before"])
        today = timezone.localtime(timezone.now(), TOKYO).date()
        if before > today:
            raise CommandError(
                _("--before には今日以前の日付を指定してください: %(value)s")
                % {"value": before.isoformat()}
            )
        summary = personal_data_anonymise(
            program=program, before=before, dry_run=options["dry_run"], on=today
        )
        titles = {s.key: str(s.title) for s in sources()}
        out = self.stdout
        if summary.dry_run:
            out.write(_("（--dry-run: 何も変更していません）"))
        out.write(
            _("%(before)s より前に終結したケースの利用者: 匿名化 %(count)s人")
            % {"before": before.isoformat(), "count": summary.anonymised}
        )
        out.write(
            _(
                "対象外: 継続中のケースあり %(open)s人、%(before)s 以降の利用あり %(active)s人、"
                "匿名化済み %(already)s人"
            )
            % {
                "open": summary.skipped_open_case,
                "before": before.isoformat(),
                "active": summary.skipped_activity,
                "already": summary.already,
            }
        )
        if summary.anonymised:
            for key, count in summary.rows.items():
                if count:
                    out.write(
                        _("  %(title)s: %(count)s件") % {"title": titles[key], "count": count}
                    )
