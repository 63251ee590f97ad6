"""``secondcareer send-reminders [--date D] [--enqueue]``: the day-before reminders.

Run it once a day, in the afternoon before the consultations (cron or a systemd timer,
e.g. ``0 15 * * * secondcareer send-reminders``): it reminds everyone booked on
``--date`` (default: tomorrow in Asia/Tokyo) through the registered notifiers (LINE for
linked seekers) and leaves the rest on reception's call list (``call-list``). Safe to
run again: a reservation is reminded once. ``--enqueue`` hands the work to the task
worker (``db_worker``) instead of doing it now. Prints counts only, never names.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from secondcareer.booking.reminders import reminders_send
from secondcareer.booking.tasks import send_day_before_reminders
from secondcareer.core.commands import iso_date


class Command(BaseCommand):
    help = _("前日のお知らせ（LINE）を送り、届かない予約者を受付の電話リストに回します。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=iso_date, default=None, help=_("相談日 YYYY-MM-DD（省略すると明日）")
        )
        parser.add_argument(
            "--enqueue", action="store_true", help=_("今すぐ送らず、タスクとして登録する")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # iso_date again: call_command() passes keyword options unparsed.
        day = iso_date(options["date"]) if options["date"] else None
        if options["enqueue"]:
            result = send_day_before_reminders.enqueue(day.isoformat() if day else None)
            self.stdout.write(json.dumps({"enqueued": str(result.id)}))
            return
        self.stdout.write(json.dumps(reminders_send(day=day).as_dict(), ensure_ascii=False))
