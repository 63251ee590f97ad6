"""``secondcareer followups-due --program P --on DATE --format json``: the retention
follow-ups (定着支援) not done and due on or before DATE (default today), earliest first.

A stable interface (README, docs/placements.md): a JSON list of objects with
``placement_id``, ``seeker_id``, ``months`` (the offset after the start: 1, 3 or 6 with
the default preset), ``due`` (ISO date) and ``overdue`` (true when due before DATE).
Follow-ups after the contract's end (continued as the provider's own service) are
listed too. Writes one audit entry (出力, ``followups-due``) per seeker listed.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from secondcareer.consultations.management.commands._common import (
    add_common_arguments,
    common_options,
)
from secondcareer.core.audit import audit_records_shown
from secondcareer.core.models import AuditAction
from secondcareer.placements.selectors import followups_due

FORMATS = ("json",)


class Command(BaseCommand):
    help = _("期日が来た（過ぎた）定着支援フォローアップを一覧にします。")

    def add_arguments(self, parser: CommandParser) -> None:
        add_common_arguments(parser, FORMATS)

    def handle(self, *args: Any, **options: Any) -> None:
        program, day, _fmt = common_options(options, FORMATS)
        followups = list(followups_due(program, day).select_related("placement__seeker"))
        audit_records_shown(
            actor=None,
            objs=[f.placement.seeker for f in followups],
            program_slug=program.slug,
            note="followups-due",
            action=AuditAction.EXPORT,
        )
        rows = [
            {
                "placement_id": f.placement_id,
                "seeker_id": f.placement.seeker_id,
                "months": f.months,
                "due": f.due_on.isoformat(),
                "overdue": bool(f.overdue),  # type: ignore[attr-defined]
            }
            for f in followups
        ]
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
