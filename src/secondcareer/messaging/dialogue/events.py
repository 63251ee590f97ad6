"""What the machine reacts to: what the user sent, and the results of its commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl


@dataclass(frozen=True)
class Text:
    """A text message the user typed."""

    text: str


@dataclass(frozen=True)
class Postback:
    """A tapped button: a quick reply, a rich-menu area, or LINE's date picker, whose
    choice arrives in ``params`` (``{"date": "2026-12-03"}``, ``{"time": "14:00"}`` or
    ``{"datetime": "2026-12-03T14:00"}``)."""

    data: str
    params: Mapping[str, str] = field(default_factory=dict)

    def fields(self) -> dict[str, str]:
        """``data`` read as a query string (``action=book`` → ``{"action": "book"}``)."""
        try:
            return dict(parse_qsl(self.data[:1000], keep_blank_values=True))
        except ValueError:
            return {}


@dataclass(frozen=True)
class CommandResult:
    """What came of the last command, fed back by the caller.

    ``code`` is the ``DomainError`` code when ``ok`` is False (``full``, ``overlap``,
    ``too_late``, ``too_many``, ``no_slot``, ``conflict``…; ``not_confident`` for an
    unanswered FAQ). ``message`` is read only for :class:`~.commands.AnswerFaq`, where it
    is the answer; error messages are never shown as such (the machine has its own
    wording). ``alternatives`` are the starts of the nearest free slots of the same
    service and venue, for a 満席 answer. ``page_url`` is the platform's own page of
    what the command made (a video booking's seeker page, where the room is given),
    or empty."""

    ok: bool
    code: str = ""
    message: str = ""
    alternatives: tuple[dt.datetime, ...] = ()
    page_url: str = ""


UserInput = Text | Postback
Event = Text | Postback | CommandResult
