"""``secondcareer inactive --program P --on DATE --format json|csv|labels [--out FILE]``: the seekers whose
last contact is more than the preset's ``inactivity_followup_months`` before DATE
(default today): the phone calls and postcards of Saitama 2(2)ケ.

A stable interface (docs/consultations.md): ``json`` is a list of objects with
``seeker_id`` and ``last_contact`` (ISO date); ``csv`` has a header row and adds the
card number, name, kana and phone for the calls; ``labels`` writes an A4 PDF of postcard
address labels (12 to a sheet) to ``--out`` for the postcards, one per listed seeker with
an address on record (those without one are counted on stderr). Writes one audit entry (出力,
``inactive``) per seeker listed.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from secondcareer.consultations.management.commands._common import (
    add_common_arguments,
    common_options,
)
from secondcareer.consultations.selectors import inactive_seekers
from secondcareer.core.audit import audit_records_shown
from secondcareer.core.errors import DomainError
from secondcareer.core.models import AuditAction
from secondcareer.core.pdf import AddressLabel, address_labels

FORMATS = ("json", "csv", "labels")
CSV_FIELDS = ("seeker_id", "last_contact", "card_number", "name", "name_kana", "phone")


class Command(BaseCommand):
    help = _(
        "最後の接触から一定の月数が過ぎた利用者（電話・はがきで状況を確認する相手）を一覧にします。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_common_arguments(parser, FORMATS)
        parser.add_argument("--out", default=None, help=_("labels の PDF を書き出すファイル"))

    def handle(self, *args: Any, **options: Any) -> None:
        program, day, fmt = common_options(options, FORMATS)
        out = options.get("out")
        if fmt == "labels" and not out:
            raise CommandError(
                _("--format labels では --out で PDF の書き出し先を指定してください。")
            )
        try:
            rows = inactive_seekers(program, day)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        audit_records_shown(
            actor=None,
            objs=[row.seeker for row in rows],
            program_slug=program.slug,
            note="inactive",
            action=AuditAction.EXPORT,
        )
        if fmt == "json":
            data = [
                {"seeker_id": row.seeker.pk, "last_contact": row.last_contact.isoformat()}
                for row in rows
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if fmt == "labels":
            self._labels(rows, Path(str(out)))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(CSV_FIELDS)
        for row in rows:
            seeker = row.seeker
            writer.writerow(
                (
                    seeker.pk,
                    row.last_contact.isoformat(),
                    seeker.card_number,
                    seeker.full_name,
                    seeker.full_name_kana,
                    seeker.phone,
                )
            )

    def _labels(self, rows: list[Any], out: Path) -> None:
        labels = [
            AddressLabel(row.seeker.postal_code, row.seeker.address, row.seeker.full_name)
            for row in rows
            if row.seeker.address.strip()
        ]
        try:
            out.write_bytes(address_labels(labels, title=_("利用状況確認はがき 宛名ラベル")))
        except OSError as exc:
            raise CommandError(
                _("%(path)s に書き出せません: %(reason)s") % {"path": out, "reason": exc.strerror}
            ) from exc
        skipped = len(rows) - len(labels)
        self.stderr.write(
            _("宛名ラベル %(count)s 件を %(path)s に書き出しました。")
            % {"count": len(labels), "path": out}
            + (_("（住所の登録がない %(n)s 人は除きました）") % {"n": skipped} if skipped else "")
        )
