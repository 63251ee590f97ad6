"""Who can remind a seeker of tomorrow's consultation, and how.

Booking knows nothing about LINE or email: a channel that can deliver a day-before
reminder implements :class:`ReminderNotifier` and is made known to booking either in
the ``BOOKING_REMINDER_NOTIFIERS`` setting (dotted paths, default empty) or by calling
:func:`register_notifier` from its ``AppConfig.ready()`` (the LINE channel does, in
``messaging/line/apps.py``). Seekers no notifier reaches are phoned by reception instead (see
:mod:`secondcareer.booking.reminders`).

A notifier's contract:

- ``can_reach(seeker)`` is cheap and has no side effects (is the seeker linked to this
  channel and consenting to notices?);
- ``send_reminder(reservation)`` returns ``True`` only when the message was handed to
  the channel. It must be idempotent per reservation (the LINE push uses a retry key
  derived from the reservation id), because a worker that crashes between sending and
  recording sends again on the next run;
- what it sends follows invariant 2 of DESIGN.md: date, time, place and a link — no
  consultation content, no phone numbers or addresses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from secondcareer.booking.models import Reservation
    from secondcareer.people.models import Seeker


@runtime_checkable
class ReminderNotifier(Protocol):
    """A channel that can deliver a day-before reminder."""

    def can_reach(self, seeker: Seeker) -> bool: ...

    def send_reminder(self, reservation: Reservation) -> bool: ...


_registered: list[ReminderNotifier] = []


def register_notifier(notifier: ReminderNotifier) -> None:
    """Make ``notifier`` available to the reminder run (idempotent)."""
    if not isinstance(notifier, ReminderNotifier):
        raise TypeError(f"{notifier!r} does not implement ReminderNotifier")
    if notifier not in _registered:
        _registered.append(notifier)


def unregister_notifier(notifier: ReminderNotifier) -> None:
    if notifier in _registered:
        _registered.remove(notifier)


def _from_settings() -> list[ReminderNotifier]:
    notifiers = []
    for path in getattr(settings, "BOOKING_REMINDER_NOTIFIERS", []) or []:
        target = import_string(path)
        # A class is instantiated; an object (a module-level instance) is used as is.
        notifier = target() if isinstance(target, type) else target
        if not isinstance(notifier, ReminderNotifier):
            raise TypeError(f"BOOKING_REMINDER_NOTIFIERS: {path} is not a ReminderNotifier")
        notifiers.append(notifier)
    return notifiers


def reminder_notifiers() -> list[ReminderNotifier]:
    """The notifiers to try, in order: those named in settings, then those registered."""
    found = _from_settings()
    return found + [n for n in _registered if n not in found]
