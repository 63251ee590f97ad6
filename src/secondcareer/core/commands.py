"""Small helpers shared by the project's management commands."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from secondcareer.core.inputs import DateOutOfRange, check_date_range


def iso_date(value: str | dt.date) -> dt.date:
    """A ``--date``-style option: YYYY-MM-DD within the platform's date range
    (:mod:`secondcareer.core.inputs`), or a clear error naming what was given. Also
    accepts a date, since ``call_command()`` passes keyword options unparsed."""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("日付は YYYY-MM-DD で指定してください: %(value)s") % {"value": value}
        ) from exc
    try:
        return check_date_range(day)
    except DateOutOfRange as exc:
        raise CommandError(f"{exc.message}: {value}") from exc
