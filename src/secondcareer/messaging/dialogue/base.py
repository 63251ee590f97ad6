"""What every flow is made of: the :class:`Turn` a flow returns, the :class:`Flow`
protocol and its registry, and small helpers for choices, dates and typed words."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from secondcareer.core.inputs import date_in_range
from secondcareer.core.jpcalendar import TOKYO, format_date_ja
from secondcareer.messaging.dialogue.commands import Command
from secondcareer.messaging.dialogue.context import FlowContext
from secondcareer.messaging.dialogue.events import Event
from secondcareer.messaging.dialogue.replies import MAX_QUICK_REPLIES, Choice, Reply
from secondcareer.messaging.dialogue.state import DialogueState

NAV_MENU_DATA = "action=menu"
NAV_HUMAN_DATA = "action=ask_human"
NAV_COUNT = 2
# What a flow may put in one prompt: LINE's 13 quick replies less the two nav buttons.
ROOM = MAX_QUICK_REPLIES - NAV_COUNT
PAGE = ROOM - 1  # choices per page when a "more" button is needed


@dataclass
class Turn:
    """What a flow answers to one event. ``misunderstood`` asks the machine to say so
    and count it (after two in a row it offers a consultant prominently)."""

    state: DialogueState
    replies: list[Reply] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    misunderstood: bool = False


class Flow(Protocol):
    """A conversation the router can start by name (``action=<name>`` postbacks).

    ``steps`` are the step names a stored state of this flow may have (anything else
    is reset to the menu); ``pending_steps`` those waiting for a command's result.
    A flow never sees the global commands (最初に戻る, 相談員に聞く, rich-menu actions):
    the machine handles them before calling :meth:`handle`."""

    @property
    def name(self) -> str: ...

    @property
    def steps(self) -> tuple[str, ...]: ...

    @property
    def pending_steps(self) -> frozenset[str]: ...

    def menu_label(self) -> str | None:
        """The top menu's button for this flow, or None to leave it off the menu."""
        ...

    def start(self, ctx: FlowContext, params: Mapping[str, str]) -> Turn: ...

    def handle(self, state: DialogueState, event: Event, ctx: FlowContext) -> Turn: ...


class FlowRegistry:
    """Flows by name, in the order the top menu lists them."""

    def __init__(self) -> None:
        self._flows: dict[str, Flow] = {}

    def register(self, flow: Flow) -> Flow:
        self._flows[flow.name] = flow
        return flow

    def get(self, name: str) -> Flow | None:
        return self._flows.get(name)

    def __iter__(self) -> Iterator[Flow]:
        return iter(list(self._flows.values()))

    def __contains__(self, name: object) -> bool:
        return name in self._flows


# --- choices -----------------------------------------------------------------------------


def nav_choices(*, human_first: bool = False) -> tuple[Choice, ...]:
    menu = Choice(_("最初に戻る"), NAV_MENU_DATA)
    human = Choice(_("相談員に聞く"), NAV_HUMAN_DATA)
    return (human, menu) if human_first else (menu, human)


def pick(kind: str, value: str, label: str, display_text: str = "") -> Choice:
    """A choice answering ``pick=<kind>&v=<value>``."""
    return Choice(label, urlencode({"pick": kind, "v": value}), display_text)


def action(name: str, label: str) -> Choice:
    return Choice(label, urlencode({"action": name}))


def paginate(choices: Sequence[Choice], page: int) -> tuple[Choice, ...]:
    """At most :data:`ROOM` choices: a page of them and a 「ほかの候補」 button that shows
    the next page (and goes round to the first after the last)."""
    if len(choices) <= ROOM:
        return tuple(choices)
    pages = (len(choices) + PAGE - 1) // PAGE
    page = page % pages
    following = (page + 1) % pages
    label = _("ほかの候補") if following else _("はじめの候補")
    return (*choices[page * PAGE : (page + 1) * PAGE], pick("more", str(following), label))


def read_page(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < 4 else 0


# --- dates and times as a chat shows them -----------------------------------------------------


def date_text(day: dt.date, today: dt.date) -> str:
    """12月3日(木); with the year when it is not this year's."""
    full = format_date_ja(day)
    return full if day.year != today.year else full.split("年", 1)[1]


def time_text(moment: dt.datetime) -> str:
    return f"{moment.astimezone(TOKYO):%H:%M}"


def moment_text(moment: dt.datetime, today: dt.date) -> str:
    """12月3日(木) 14:00"""
    local = moment.astimezone(TOKYO)
    return f"{date_text(local.date(), today)} {local:%H:%M}"


def date_label(day: dt.date) -> str:
    """A quick-reply label: 12/3(木)."""
    return f"{day.month}/{day.day}{format_date_ja(day)[-3:]}"


def moment_label(moment: dt.datetime) -> str:
    """A quick-reply label: 12/3(木) 14:00."""
    local = moment.astimezone(TOKYO)
    return f"{date_label(local.date())} {local:%H:%M}"


def read_date(value: str) -> dt.date | None:
    """A postback's ISO date; None when unreadable or outside core.inputs' range."""
    try:
        day = dt.date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None
    return day if day is not None and date_in_range(day) else None


def read_time(value: str) -> dt.time | None:
    match = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})", value.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return dt.time(int(match[1]), int(match[2]))


def at(day: dt.date, moment: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, moment, tzinfo=TOKYO)


# --- the booking dial ---------------------------------------------------------------------


def phone_lines(ctx: FlowContext) -> str:
    """「予約ダイヤル 078-000-0000」 and its hours on the next line, for every reply that
    suggests phoning; "" when the program publishes no number."""
    if not ctx.phone:
        return ""
    lines = [_("予約ダイヤル {phone}").format(phone=ctx.phone)]
    if ctx.phone_hours:
        lines.append(_("受付時間: {hours}").format(hours=ctx.phone_hours))
    return "\n".join(lines)


# --- typed words ------------------------------------------------------------------------

_PUNCTUATION = re.compile(r"[\s。、,.!！?？「」『』()（）・~〜ー-]+")


def plain(text: str) -> str:
    """``text`` for matching typed words: NFKC, lower case, no spaces or punctuation."""
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text[:500]).lower())


_YES = re.compile(r"^(はい|ok|おk|yes|お願いします|おねがいします|それで|うん|了解|確定)")
_NO = re.compile(r"^(いいえ|いえ|no|やめ|止め|違|ちが|だめ|ダメ|結構です|しない|しません)")


def is_yes(text: str) -> bool:
    return bool(_YES.match(plain(text)))


def is_no(text: str) -> bool:
    return bool(_NO.match(plain(text)))
