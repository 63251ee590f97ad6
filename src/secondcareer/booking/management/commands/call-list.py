"""``secondcareer call-list --program P [--date D]``: reception's phone list.

The confirmed reservations of ``--date`` (default: tomorrow in Asia/Tokyo) whose seeker
no channel reminded the day before (see :mod:`secondcareer.booking.reminders`): time,
name, phone, service and venue. It shows personal data to staff on purpose; it writes
nothing to the logs, and one audit entry (出力, ``call-list``) per seeker it prints.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from secondcareer.booking.reminders import call_list, tomorrow
from secondcareer.booking.selectors import get_program
from secondcareer.core.audit import audit_records_shown
from secondcareer.core.commands import iso_date
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO, format_date_ja
from secondcareer.core.models import AuditAction


class Command(BaseCommand):
    help = _("前日のお知らせが届いていない予約者の一覧（受付が電話で確認する相手）を表示します。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help=_("事業の識別子（kobe, saitama …）"))
        parser.add_argument(
            "--date",
            type=iso_date,
            default=None,
            help=_("相談日 YYYY-MM-DD（省略すると明日）"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # iso_date again: call_command() passes keyword options unparsed.
        day = iso_date(options["date"]) if options["date"] else tomorrow()
        try:
            program = get_program(options["program"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        rows = call_list(program=program, day=day)
        audit_records_shown(
            actor=None,
            objs=[reservation.seeker for reservation in rows],
            program_slug=program.slug,
            note="call-list",
            action=AuditAction.EXPORT,
        )
        heading = _("%(day)s のご予約で、前日のお知らせが届いていない方: %(count)d 件") % {
            "day": format_date_ja(day),
            "count": len(rows),
        }
        self.stdout.write(heading)
        for reservation in rows:
            seeker = reservation.seeker
            where = (
                f"{reservation.service.name}／{reservation.venue.name}"
                if reservation.venue
                else f"{reservation.service.name}（{reservation.get_method_display()}）"
            )
            start = reservation.starts_at.astimezone(TOKYO)
            self.stdout.write(
                f"{start:%H:%M}  {seeker.full_name}（{seeker.full_name_kana}）  "
                f"{seeker.phone}  {where}  {seeker.card_number}"
            )
