"""What the consultations commands share: the program, the day and the format."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.booking.selectors import get_program
from secondcareer.core.commands import iso_date
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.programs.models import Program


def add_common_arguments(parser: CommandParser, formats: tuple[str, ...]) -> None:
    # Checked in handle() rather than by argparse, whose messages are English.
    parser.add_argument("--program", default=None, help=_("事業の識別子（kobe, saitama …）"))
    parser.add_argument("--on", default=None, help=_("基準日 YYYY-MM-DD（省略すると今日）"))
    parser.add_argument(
        "--format",
        default=formats[0],
        help=_("出力の形式（%(formats)s）") % {"formats": " | ".join(formats)},
    )


def common_options(
    options: dict[str, Any], formats: tuple[str, ...]
) -> tuple[Program, dt.date, str]:
    if not options.get("program"):
        raise CommandError(
            _("--program で事業の識別子を指定してください（例: --program saitama）。")
        )
    fmt = options.get("format") or formats[0]
    if fmt not in formats:
        raise CommandError(
            _("--format には %(formats)s のいずれかを指定してください: %(value)s")
            % {"formats": ", ".join(formats), "value": fmt}
        )
    on = options.get("on")
    day = iso_date(on) if on else timezone.localtime(timezone.now(), TOKYO).date()
    try:
        program = get_program(options["program"])
    except DomainError as exc:
        raise CommandError(exc.message) from exc
    return program, day, fmt
