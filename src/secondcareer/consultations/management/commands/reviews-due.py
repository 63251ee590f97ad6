"""``secondcareer reviews-due --program P --on DATE --format json``: the open reviews of
support plans due on or before DATE (default today), overdue ones first.

A stable interface (docs/consultations.md): a JSON list of objects with ``seeker_id``,
``kind`` (``consultant`` for the 3-month review, ``manager`` from 6 months), ``due``
(ISO date) and ``assignee`` (username, or null for a manager's review nobody took yet).
Writes one audit entry (出力, ``reviews-due``) per seeker listed.
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
from secondcareer.consultations.selectors import review_assignee, reviews_due
from secondcareer.core.audit import audit_records_shown
from secondcareer.core.models import AuditAction

FORMATS = ("json",)


class Command(BaseCommand):
    help = _("期日が来た（過ぎた）支援計画の見直しを一覧にします。")

    def add_arguments(self, parser: CommandParser) -> None:
        add_common_arguments(parser, FORMATS)

    def handle(self, *args: Any, **options: Any) -> None:
        program, day, _fmt = common_options(options, FORMATS)
        reviews = list(reviews_due(program, day))
        audit_records_shown(
            actor=None,
            objs=[review.case.seeker for review in reviews],
            program_slug=program.slug,
            note="reviews-due",
            action=AuditAction.EXPORT,
        )
        rows = []
        for review in reviews:
            assignee = review_assignee(review)
            rows.append(
                {
                    "seeker_id": review.case.seeker_id,
                    "kind": review.kind,
                    "due": review.due_on.isoformat(),
                    "assignee": assignee.get_username() if assignee is not None else None,
                }
            )
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
