"""What the caller must do through the services; the machine never touches the
database. Each command with ``expects_result`` gets its :class:`~.events.CommandResult`
fed back as the next event (:func:`~.machine.run_turn` does that loop)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class BookSlot:
    """``reservation_create`` for the seeker: service and venue by code (venue None for
    a remote service), ``start`` aware, ``method`` a method code of the service."""

    service: str
    venue: str | None
    start: dt.datetime
    method: str
    expects_result: ClassVar[bool] = True


@dataclass(frozen=True)
class CancelReservation:
    """``reservation_cancel`` of one of the seeker's own bookings (the caller checks
    that ``reservation_id`` is theirs again)."""

    reservation_id: int
    expects_result: ClassVar[bool] = True


@dataclass(frozen=True)
class RescheduleReservation:
    """``reservation_reschedule`` of one of the seeker's own bookings to ``start``."""

    reservation_id: int
    start: dt.datetime
    expects_result: ClassVar[bool] = True


@dataclass(frozen=True)
class AnswerFaq:
    """Look ``text`` up in the FAQ; the result's ``message`` is the answer, or
    ``ok=False, code="not_confident"``."""

    text: str
    expects_result: ClassVar[bool] = True


@dataclass(frozen=True)
class HandToHuman:
    """Open (or, for ``follow_up``, add to) an inquiry for a consultant, who answers
    within the program's hours. ``text`` is the user's question (never empty: the
    machine asks for it first), ``reason`` one of ``requested``, ``faq_not_confident``,
    ``follow_up``; ``origin`` the ``flow.step`` the user was in. No result is fed back."""

    text: str
    reason: str
    origin: str
    expects_result: ClassVar[bool] = False


Command = BookSlot | CancelReservation | RescheduleReservation | AnswerFaq | HandToHuman
