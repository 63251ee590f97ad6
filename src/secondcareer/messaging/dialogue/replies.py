"""Channel-neutral replies, and LINE's limits for them.

A :class:`Reply` is one chat message: text, quick-reply choices (LINE shows the quick
replies of the last message of a batch only), an optional date picker (a quick-reply
item on LINE) and an optional link to the platform's own authenticated pages. The
LINE channel turns them into ``TextMessage`` + ``QuickReply`` objects; the web chat
simulator renders them as buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

# LINE Messaging API limits (reply/push message objects).
MAX_MESSAGES = 5  # message objects per reply
MAX_QUICK_REPLIES = 13  # quick-reply items per message
MAX_LABEL = 20  # characters in a quick-reply action label
MAX_TEXT = 5000  # characters in a text message
MAX_DATA = 300  # characters in postback data
MAX_DISPLAY_TEXT = 300  # characters in a postback's displayText


@dataclass(frozen=True)
class Choice:
    """A quick-reply button that answers with a postback. ``display_text`` is what the
    chat shows as the user's own message (the label when empty)."""

    label: str
    data: str
    display_text: str = ""

    @property
    def shown(self) -> str:
        return self.display_text or self.label


@dataclass(frozen=True)
class DatePicker:
    """LINE's date/time picker (a ``datetimepicker`` action): ``initial``, ``min`` and
    ``max`` in LINE's formats (``2026-12-03``, ``14:00``, ``2026-12-03T14:00``)."""

    label: str
    data: str
    mode: str = "date"  # date | time | datetime
    initial: str | None = None
    min: str | None = None
    max: str | None = None


@dataclass(frozen=True)
class Link:
    """A link to one of the platform's own pages (never to content on the SNS)."""

    label: str
    url: str


@dataclass(frozen=True)
class Reply:
    text: str
    choices: tuple[Choice, ...] = ()
    date_picker: DatePicker | None = None
    link: Link | None = None

    @property
    def quick_reply_count(self) -> int:
        return len(self.choices) + (1 if self.date_picker else 0)


def shorten(label: str, limit: int = MAX_LABEL) -> str:
    """``label`` cut to ``limit`` characters, with 「…」 when cut."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def line_limit_problems(replies: Sequence[Reply]) -> list[str]:
    """Every way ``replies`` would break LINE's limits (empty when they fit)."""
    problems: list[str] = []
    if len(replies) > MAX_MESSAGES:
        problems.append(f"{len(replies)} messages > {MAX_MESSAGES}")
    for i, reply in enumerate(replies):
        if not reply.text.strip():
            problems.append(f"message {i}: empty text")
        if len(reply.text) > MAX_TEXT:
            problems.append(f"message {i}: text of {len(reply.text)} characters")
        if reply.quick_reply_count > MAX_QUICK_REPLIES:
            problems.append(f"message {i}: {reply.quick_reply_count} quick replies")
        if reply.quick_reply_count and i != len(replies) - 1:
            problems.append(f"message {i}: quick replies on a message that is not the last")
        labels = [c.label for c in reply.choices]
        if reply.date_picker:
            labels.append(reply.date_picker.label)
        problems.extend(
            f"message {i}: label {label!r} is empty or longer than {MAX_LABEL}"
            for label in labels
            if not label or len(label) > MAX_LABEL
        )
        for choice in reply.choices:
            if len(choice.data) > MAX_DATA or len(choice.shown) > MAX_DISPLAY_TEXT:
                problems.append(f"message {i}: postback of {choice.label!r} too long")
        if reply.date_picker and len(reply.date_picker.data) > MAX_DATA:
            problems.append(f"message {i}: date picker data too long")
    return problems


def fit_line_limits(replies: Sequence[Reply]) -> list[Reply]:
    """Defensive last step before sending: at most five messages (the rest merged into
    the fifth), quick replies only on the last one, texts and labels cut to size."""
    fitted = [
        replace(
            r,
            text=r.text[:MAX_TEXT] if r.text.strip() else "…",
            choices=tuple(
                replace(c, label=shorten(c.label), display_text=c.shown[:MAX_DISPLAY_TEXT])
                for c in r.choices
                if len(c.data) <= MAX_DATA
            ),
            date_picker=(
                replace(r.date_picker, label=shorten(r.date_picker.label))
                if r.date_picker
                else None
            ),
        )
        for r in replies
    ]
    if len(fitted) > MAX_MESSAGES:
        head, tail = fitted[: MAX_MESSAGES - 1], fitted[MAX_MESSAGES - 1 :]
        merged = replace(
            tail[-1],
            text="\n\n".join(r.text for r in tail)[:MAX_TEXT],
            link=next((r.link for r in reversed(tail) if r.link), None),
        )
        fitted = [*head, merged]
    last = len(fitted) - 1
    result = []
    for i, reply in enumerate(fitted):
        if i != last:
            reply = replace(reply, choices=(), date_picker=None)
        else:
            room = MAX_QUICK_REPLIES - (1 if reply.date_picker else 0)
            reply = replace(reply, choices=reply.choices[:room])
        result.append(reply)
    return result
