"""``secondcareer line-process-pending [--older-than S] [--now] [--program P]``: crash
recovery for LINE webhook events.

The webhook stores an event and enqueues its task after the commit; if the web process
dies in between, or a task failed and the worker moved on, the event stays ``pending``.
This command finds the events still pending ``--older-than`` seconds after they arrived
(default 60) and enqueues them again, or with ``--now`` processes them in this process.
Processing claims the row, so an event that is also still in the queue is handled once.
Events that failed too often are marked failed by the processing itself and left alone.

The demo runs it every minute; in production run it from cron or a systemd timer, e.g.
``*/5 * * * * secondcareer line-process-pending --older-than 120``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.messaging.line.models import EventStatus, WebhookEvent
from secondcareer.messaging.line.services import processing
from secondcareer.messaging.line.tasks import enqueue_event


def stale_pending_ids(
    *, older_than: float, program_slug: str | None = None, limit: int = 500
) -> list[int]:
    """Ids of events pending since more than ``older_than`` seconds, oldest first."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than)
    rows = WebhookEvent.objects.filter(
        status=EventStatus.PENDING,
        received_at__lte=cutoff,
        attempts__lt=processing.MAX_ATTEMPTS,
    )
    if program_slug:
        rows = rows.filter(program__slug=program_slug)
    return list(rows.order_by("received_at", "id").values_list("id", flat=True)[:limit])


class Command(BaseCommand):
    help = _(
        "一定時間たっても未処理のままのLINE受信イベントを、再びキューに入れます（または直ちに処理します）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than", type=float, default=60.0, help=_("受信からの秒数（既定: 60）")
        )
        parser.add_argument(
            "--now", action="store_true", help=_("キューに入れず、このプロセスで直ちに処理する")
        )
        parser.add_argument("--program", default=None, help=_("事業の識別子（省略時はすべて）"))
        parser.add_argument("--limit", type=int, default=500, help=_("一度に扱う最大件数"))

    def handle(self, *args: Any, **options: Any) -> None:
        ids = stale_pending_ids(
            older_than=float(options["older_than"]),
            program_slug=options["program"],
            limit=int(options["limit"]),
        )
        if not options["now"]:
            for event_id in ids:
                enqueue_event(event_id)
            if ids or options["verbosity"] > 1:
                self.stdout.write(
                    _("未処理のLINEイベント %(n)d 件をキューに入れました。") % {"n": len(ids)}
                )
            return
        outcomes: dict[str, int] = {}
        for event_id in ids:
            try:
                outcome = processing.process_event(event_id)
            except Exception:  # logged by process_event; go on with the rest
                outcome = "failed"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if ids or options["verbosity"] > 1:
            summary = ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())) or "-"
            self.stdout.write(
                _("未処理のLINEイベント %(n)d 件を処理しました（%(summary)s）。")
                % {"n": len(ids), "summary": summary}
            )
