"""Background work for booking (django-tasks). Thin: parse the arguments, call the
function that does the work, return JSON-serialisable counts."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from secondcareer.booking.reminders import reminders_send


@task()
def send_day_before_reminders(day_iso: str | None = None) -> dict[str, object]:
    """Remind everyone booked on ``day_iso`` (YYYY-MM-DD; default: tomorrow in
    Asia/Tokyo) through the registered notifiers. Safe to run again: a reservation is
    reminded once; the rest are on reception's call list (``secondcareer call-list``)."""
    day = dt.date.fromisoformat(day_iso) if day_iso else None
    return reminders_send(day=day).as_dict()
