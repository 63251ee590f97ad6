"""Day-before reminders and reception's call list.

Every confirmed reservation of the next day (Asia/Tokyo) is offered to the registered
:mod:`notifiers <secondcareer.booking.notifiers>` in turn; the first one that reaches
the seeker sends the reminder and ``reminder_sent_at`` is recorded. A reservation no
notifier could remind stays without ``reminder_sent_at`` and is on reception's call
list for that day, so reception phones exactly the people no channel reached.

Idempotent: a reservation whose reminder was recorded is never offered again, so the
task may run any number of times (a retry, a second worker). Logs carry ids and
counts, never names or phone numbers.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from secondcareer.booking.models import Reservation, ReservationStatus
from secondcareer.booking.notifiers import ReminderNotifier, reminder_notifiers
from secondcareer.booking.services import reservation_mark_reminded
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.programs.models import Program

logger = logging.getLogger(__name__)


def tomorrow(now: dt.datetime | None = None) -> dt.date:
    """The day after ``now`` (default: the current time) in Asia/Tokyo."""
    return (now or timezone.now()).astimezone(TOKYO).date() + dt.timedelta(days=1)


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(0), tzinfo=TOKYO)
    return start, start + dt.timedelta(days=1)


def confirmed_on(day: dt.date, program: Program | None = None) -> QuerySet[Reservation]:
    """Confirmed reservations starting on ``day`` (Asia/Tokyo), in start order."""
    start, end = _day_bounds(day)
    reservations = Reservation.objects.filter(
        status=ReservationStatus.CONFIRMED, starts_at__gte=start, starts_at__lt=end
    )
    if program is not None:
        reservations = reservations.filter(program=program)
    return reservations.order_by("starts_at", "id")


def call_list(*, program: Program, day: dt.date) -> list[Reservation]:
    """Reception's phone list for ``day``: confirmed reservations of that day whose seeker
    no notifier reminded (one query, whatever the length of the list)."""
    return list(
        confirmed_on(day, program)
        .filter(reminder_sent_at__isnull=True)
        .select_related("seeker", "service", "venue")
    )


@dataclass(frozen=True)
class ReminderRun:
    day: dt.date
    considered: int  # confirmed reservations of the day not reminded before this run
    sent: int
    to_call: int

    def as_dict(self) -> dict[str, object]:
        return {
            "day": self.day.isoformat(),
            "considered": self.considered,
            "sent": self.sent,
            "to_call": self.to_call,
        }


def _deliver(notifiers: list[ReminderNotifier], reservation: Reservation) -> bool:
    for notifier in notifiers:
        name = type(notifier).__name__
        try:
            if notifier.can_reach(reservation.seeker) and notifier.send_reminder(reservation):
                return True
        except Exception as exc:
            # The exception text may quote the message or the recipient: log its type only.
            logger.warning(
                "reminder notifier %s failed for reservation %s: %s",
                name,
                reservation.pk,
                type(exc).__name__,
            )
    return False


def reminders_send(*, day: dt.date | None = None, now: dt.datetime | None = None) -> ReminderRun:
    """Send the reminders for ``day`` (default: tomorrow in Asia/Tokyo), every program."""
    now = now or timezone.now()
    day = day or tomorrow(now)
    notifiers = reminder_notifiers()
    pending = list(
        confirmed_on(day)
        .filter(reminder_sent_at__isnull=True)
        .select_related("seeker", "service", "venue", "program")
    )
    sent = 0
    for reservation in pending:
        if not notifiers or not _deliver(notifiers, reservation):
            continue
        sent += reservation_mark_reminded(reservation=reservation, at=now)
    run = ReminderRun(day=day, considered=len(pending), sent=sent, to_call=len(pending) - sent)
    logger.info(
        "day-before reminders for %s: %d considered, %d sent, %d left for reception to call",
        day.isoformat(),
        run.considered,
        run.sent,
        run.to_call,
    )
    return run
