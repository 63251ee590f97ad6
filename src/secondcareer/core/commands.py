"""Small helpers shared by the project's management commands."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def iso_date(value: str | dt.date) -> dt.date:
    """A ``--date``-style option: YYYY-MM-DD, or a clear error naming what was given.
    Also accepts a date, since ``call_command()`` passes keyword options unparsed."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("日付は YYYY-MM-DD で指定してください: %(value)s") % {"value": value}
        ) from exc
