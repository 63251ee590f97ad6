"""``secondcareer availability``: the free slots of a program's service, as JSON or a
table. Times are ISO 8601 with +09:00; ``venue`` is the venue's Japanese name, or null
for remote services."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from secondcareer.booking.selectors import availability, get_program, get_service, get_venue
from secondcareer.core.commands import iso_date
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import format_datetime_ja

MAX_DAYS = 366


class Command(BaseCommand):
    help = "相談サービスの予約枠と空き状況を表示します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="事業の識別子（kobe, saitama …）")
        parser.add_argument(
            "--service", required=True, help="相談サービス（consultation, online, in_person …）"
        )
        parser.add_argument("--venue", help="会場の識別子または名称")
        parser.add_argument("--from", dest="start", required=True, help="開始日 YYYY-MM-DD")
        parser.add_argument(
            "--to", dest="end", required=True, help="終了日 YYYY-MM-DD（この日を含む）"
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = iso_date(options["start"]), iso_date(options["end"])
        if end < start:
            raise CommandError(_("--to は --from 以降の日付にしてください。"))
        if (end - start).days >= MAX_DAYS:
            raise CommandError(_("一度に表示できるのは%(days)s日分までです。") % {"days": MAX_DAYS})
        try:
            program = get_program(options["program"])
            service = get_service(program, options["service"])
            venue = get_venue(program, options["venue"]) if options.get("venue") else None
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        rows = availability(
            program=program, service_code=service.code, start=start, end=end, venue=venue
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("この期間に予約枠はありません。")
            return
        for r in rows:
            d = r.as_dict()
            self.stdout.write(
                f"{format_datetime_ja(r.slot.start)}–{r.slot.end:%H:%M}  {d['venue'] or 'オンライン'}  "
                f"空き {d['free']}/{d['capacity']}"
            )
