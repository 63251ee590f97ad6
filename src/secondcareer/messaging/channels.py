"""How the core of messaging reaches the person behind an inquiry: through the channel
the question came in on, never through a channel's own models (ADR 0022).

An inquiry names its channel (``Inquiry.channel``, e.g. ``"line"``) and the channel's
opaque key for the person who asked (``Inquiry.contact_key``; for LINE the LINE user
id). A channel is a sub-package of messaging that implements :class:`Channel` and
registers itself from its ``AppConfig.ready()`` (``messaging/line/apps.py`` does);
the core looks it up by name with :func:`get_channel` and imports no channel.

A channel's contract:

- ``check_answer(inquiry, text)`` runs before a general (non-personal) answer is
  recorded and raises :class:`~secondcareer.core.errors.DomainError` when the text
  may not go out on this channel as it is (LINE's outbound policy), so staff learn at
  once that it must go as a link;
- ``deliver_answer(inquiry)`` sends a recorded answer — the text, or for
  ``AnswerDelivery.LINK`` the link to the verified page — and is called after the
  commit; an inquiry whose contact the channel cannot reach is left as it is;
- ``contact(inquiry)`` says who asked, as far as the channel knows, for the staff
  screens: the seeker the channel account is linked to now, or a label in the
  channel's words and the record the label shows (audited when staff see it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from django.db import models

    from secondcareer.messaging.models import ChatThread, Inquiry
    from secondcareer.people.models import Seeker
    from secondcareer.programs.models import Program


@dataclass(frozen=True)
class Contact:
    """Who asked an inquiry, in the channel's words. ``seeker``: the registered seeker
    the channel account is linked to (now, not only when asking); ``label``: how staff
    see an unregistered asker (e.g. 未登録のLINE利用者 with LINE's display name);
    ``record``: the channel's row whose data the label shows, for the access log."""

    seeker: Seeker | None = None
    label: str = ""
    record: models.Model | None = None


@runtime_checkable
class Channel(Protocol):
    """What the core of messaging needs from a channel to carry an inquiry."""

    def check_answer(self, inquiry: Inquiry, text: str) -> None: ...

    def deliver_answer(self, inquiry: Inquiry) -> None: ...

    def contact(self, inquiry: Inquiry) -> Contact: ...


_registered: dict[str, Channel] = {}


def register_channel(name: str, channel: Channel) -> None:
    """Make ``channel`` the implementation of the channel ``name`` (idempotent: an
    ``AppConfig.ready()`` run again registers the same kind of object; a second,
    different implementation of a name is a mistake)."""
    if not isinstance(channel, Channel):
        raise TypeError(f"{channel!r} does not implement Channel")
    current = _registered.get(name)
    if current is not None and type(current) is not type(channel):
        raise ValueError(f"channel {name!r} is already registered as {current!r}")
    _registered[name] = channel


def unregister_channel(name: str) -> None:
    _registered.pop(name, None)


def get_channel(name: str) -> Channel:
    """The registered channel ``name``; :class:`LookupError` when none is (an inquiry
    on a channel nobody implements cannot be answered, which is a configuration error,
    not something to skip silently)."""
    try:
        return _registered[name]
    except KeyError:
        raise LookupError(f"no messaging channel is registered as {name!r}") from None


@runtime_checkable
class ChatCarrier(Protocol):
    """What the secure chat needs from a channel: tell a seeker that a staff message is
    waiting (only that, and the link: never the text), and say which seeker a
    channel's proof of identity (for LINE an ID token) belongs to."""

    def notify_chat(self, thread: ChatThread, url: str) -> bool: ...

    def verified_seeker_id(self, program: Program, proof: str) -> int | None: ...


_chat_carriers: dict[str, ChatCarrier] = {}


def register_chat_carrier(name: str, carrier: ChatCarrier) -> None:
    """Make ``carrier`` the way the chat reaches seekers on the channel ``name``."""
    if not isinstance(carrier, ChatCarrier):
        raise TypeError(f"{carrier!r} does not implement ChatCarrier")
    _chat_carriers[name] = carrier


def chat_carriers() -> dict[str, ChatCarrier]:
    """The registered chat carriers by channel name."""
    return dict(_chat_carriers)
