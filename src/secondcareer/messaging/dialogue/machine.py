"""The dialogue engine: ``step(state, event, ctx) -> (state, replies, commands)``.

Pure: it reads the context snapshot the caller gives it and asks for every write
through a command, whose result comes back as the next event. What it does on every
event, before any flow sees it:

- 「最初に戻る」 (``action=menu``, or typed) → the top menu, from any state;
- 「相談員に聞く」 (``action=ask_human``, or typed) → the consultant flow, from any state: it
  asks for the question and only then files it (:class:`HandToHuman`) and promises an
  answer within the program's hours;
- a rich-menu postback ``action=<name>`` → starts the flow registered as ``<name>``,
  or answers 「準備中です」 when there is none (events, jobs: later issues).

Then the current flow handles the event. A text or a tap the flow does not understand
is answered with a gentle re-prompt; after two in a row the consultant button comes
first. Every last message of a step carries 最初に戻る and 相談員に聞く as quick replies.
At the top level typed text is read for a request first (「予約したい」, 「12/3 14時に予約」
→ booking with the date and time understood, 「電話で予約」 → the booking dial), then
goes to the FAQ (:class:`AnswerFaq`); a question the FAQ is not confident about goes to
a consultant, with the 24-hour promise said once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from django.utils.translation import gettext as _

from secondcareer.messaging.dialogue.base import (
    NAV_HUMAN_DATA,
    NAV_MENU_DATA,
    Flow,
    FlowRegistry,
    Turn,
    action,
    nav_choices,
    phone_lines,
    plain,
)
from secondcareer.messaging.dialogue.booking_flow import BookFlow
from secondcareer.messaging.dialogue.commands import AnswerFaq, Command, HandToHuman
from secondcareer.messaging.dialogue.context import FlowContext
from secondcareer.messaging.dialogue.dates import parse_when
from secondcareer.messaging.dialogue.events import CommandResult, Event, Postback, Text
from secondcareer.messaging.dialogue.my_bookings_flow import (
    CancelFlow,
    MyBookingsFlow,
    RescheduleFlow,
)
from secondcareer.messaging.dialogue.replies import MAX_TEXT, Reply, fit_line_limits
from secondcareer.messaging.dialogue.state import MAX_VALUE, DialogueState

MAX_ROUNDS = 4  # steps in one run_turn: the user's event and the results it leads to

_MENU_WORDS = {
    plain(w)
    for w in (
        "最初に戻る",
        "最初から",
        "はじめから",
        "初めから",
        "はじめに戻る",
        "メニュー",
        "menu",
        "トップ",
        "戻る",
        "もどる",
        "やり直し",
        "やりなおし",
        "やめる",
        "やめます",
        "中止",
    )
}
_HUMAN_WORDS = {
    plain(w)
    for w in (
        "相談員に聞く",
        "相談員",
        "相談員と話したい",
        "相談員に相談したい",
        "担当者",
        "担当者と話したい",
        "人と話したい",
        "オペレーター",
        "有人対応",
    )
}
_DO = r"(を?(したい|する|します|お願いします|おねがいします|取りたい|とりたい))?"
_PHONE_BOOK = r"(お?電話|でんわ|tel)(で|での|から)?(の)?(予約|よやく|申し?込み?|問い?合わ?せ)"
_PHONE_NUMBER = r"(予約ダイヤル|(予約|問い?合わ?せ|センター|窓口)?(の|先の?)?電話番号)"
_INTENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cancel", re.compile(rf"^(予約[のを]?)?(キャンセル|取り?消し?|とりけし){_DO}$")),
    ("reschedule", re.compile(rf"^(予約[のを]?)?(日時[のを]?|日程[のを]?)?(変更|へんこう){_DO}$")),
    ("my_bookings", re.compile(rf"^(予約[のを]?)?(確認|一覧){_DO}$")),
    ("book", re.compile(rf"^(相談[のを]?)?(予約|よやく){_DO}$")),
    (
        "phone",
        re.compile(
            rf"^({_PHONE_BOOK}(を|は)?(したい|する|します|お願いします|おねがいします|"
            r"できますか|できる|できない|できません(か)?|方法|のしかた|の仕方)?"
            rf"|{_PHONE_NUMBER}(を|は)?(教えて(ください|下さい)?|知りたい|何番(ですか)?|なんばん|"
            r"ですか|なんですか|何ですか)?"
            r"|電話(を|が)?(したい|かけたい|します|できますか))$"
        ),
    ),
)

# Booking-like text from the top level that is more than a short request: a booking
# word and a date or time (「12/3 14時に予約」), or a booking word with a wish
# (「明日予約したい」). Not a booking: questions about bookings (「予約はいつまでに？」),
# other intents (取消, 変更, 確認) and talk about a booking already made (「予約した件」).
_BOOKING_WORD = re.compile(r"(予約|よやく|申し?込)")
_NOT_A_NEW_BOOKING = re.compile(
    r"(キャンセル|取り?消|とりけし|変更|へんこう|確認|一覧|"
    r"予約(した(?!い)|してい|してる|して(あ|お)る|済|ずみ|が取れ|がとれ|でき(な|ませ)))"
)
_BOOKING_WISH = re.compile(
    r"(予約|よやく|申し?込み?)(を|が)?(したい|する|します|お願い|おねがい|取りたい|とりたい|"
    r"入れたい|いれたい|希望|できますか|できる|可能ですか)?(です|します|ください|下さい)?$"
)
# An FAQ answer that tells the user to phone gets the program's booking dial added.
_SUGGESTS_PHONING = re.compile(r"(お電話|予約ダイヤル)")


def keyword_intent(text: str) -> str | None:
    """The flow a short request names (「予約したい」 → ``book``), or None."""
    words = plain(text)
    return next((name for name, pattern in _INTENTS if pattern.match(words)), None)


def wants_new_booking(text: str, ctx: FlowContext) -> bool:
    """Whether typed text asks for a new booking, with or without a date and time
    (「12/3 14時に予約」, 「明日予約したい」, 「来週の火曜に予約」)."""
    words = plain(text)
    if not _BOOKING_WORD.search(words) or _NOT_A_NEW_BOOKING.search(words):
        return False
    if _BOOKING_WISH.search(words):
        return True
    return parse_when(text, today=ctx.today, assume_pm_below=ctx.assume_pm_below) is not None


def text_intent(text: str, ctx: FlowContext) -> str | None:
    """The flow typed text at the top level asks for: a short request names it, and
    booking-like text with a date or a wish starts ``book``."""
    intent = keyword_intent(text)
    if intent is not None:
        return intent
    return "book" if wants_new_booking(text, ctx) else None


def _not_ready() -> Turn:
    return Turn(DialogueState(), [Reply(_("申し訳ありません。こちらは準備中です。"))])


def _start(registry: FlowRegistry, name: str, ctx: FlowContext, params: Mapping[str, str]) -> Turn:
    flow = registry.get(name)
    return _not_ready() if flow is None else flow.start(ctx, params)


# --- the built-in flows ---------------------------------------------------------------------


class MenuFlow:
    """The top level: the menu of registered flows; typed text to the FAQ."""

    name = "menu"
    steps = ("start",)
    pending_steps: frozenset[str] = frozenset()

    def __init__(self, registry: FlowRegistry) -> None:
        self.registry = registry

    def menu_label(self) -> str | None:
        return None

    def reply(self) -> Reply:
        choices = tuple(
            action(flow.name, label) for flow in self.registry if (label := flow.menu_label())
        )
        text = _("ご用件をお選びください。\nご質問は、そのまま文章でお送りください。")
        return Reply(text, choices)

    def start(self, ctx: FlowContext, params: Mapping[str, str]) -> Turn:
        return Turn(DialogueState(), [self.reply()])

    def handle(self, state: DialogueState, event: Event, ctx: FlowContext) -> Turn:
        if isinstance(event, CommandResult):
            return Turn(state)
        if isinstance(event, Postback) or not plain(event.text):
            return Turn(DialogueState(), [self.reply()], misunderstood=True)
        return route_text(self.registry, event.text, ctx)


def route_text(registry: FlowRegistry, text: str, ctx: FlowContext) -> Turn:
    """Typed text at the top level: a named request starts its flow, booking-like text
    starts a booking with what it says (date, time, place), anything else is a question
    for the FAQ (or for a consultant when there is no FAQ flow)."""
    intent = text_intent(text, ctx)
    if intent is not None and intent in registry:
        params = {"text": text[:MAX_VALUE]} if intent == "book" else {}
        return _start(registry, intent, ctx, params)
    faq = registry.get("faq")
    if isinstance(faq, FaqFlow):
        return faq.ask(text)
    return _start(registry, "human", ctx, {"text": text, "origin": "menu.start"})


class FaqFlow:
    name = "faq"
    steps = ("ask", "pending")
    pending_steps = frozenset({"pending"})

    def __init__(self, registry: FlowRegistry) -> None:
        self.registry = registry

    def menu_label(self) -> str | None:
        return _("よくある質問")

    def _prompt(self) -> Reply:
        return Reply(_("ご質問をそのまま文章でお送りください。"))

    def start(self, ctx: FlowContext, params: Mapping[str, str]) -> Turn:
        return Turn(DialogueState("faq", "ask"), [self._prompt()])

    def ask(self, text: str) -> Turn:
        question = text[:MAX_VALUE]
        return Turn(DialogueState("faq", "pending", {"q": question}), [], [AnswerFaq(question)])

    def handle(self, state: DialogueState, event: Event, ctx: FlowContext) -> Turn:
        if isinstance(event, CommandResult):
            if state.step != "pending":
                return Turn(state)
            answer = event.message.strip()
            if event.ok and answer:
                answer = answer[: MAX_TEXT - 300]
                if ctx.phone and _SUGGESTS_PHONING.search(answer):
                    # FAQ answers hold no numbers; the program's dial is added here.
                    answer = f"{answer}\n{phone_lines(ctx)}"
                follow = Reply(
                    _("ほかにご質問があれば、そのままお送りください。"),
                    (action("book", _("相談を予約する")),),
                )
                return Turn(DialogueState("faq", "ask"), [Reply(answer), follow])
            handover = HandToHuman(state.get("q"), "faq_not_confident", "faq.pending")
            text = _(
                "このご質問は相談員がお調べします。\n"
                "担当のキャリアコンサルタントが{hours}時間以内にお答えします。"
            ).format(hours=ctx.inquiry_reply_hours)
            return Turn(DialogueState("human", "open"), [Reply(text)], [handover])
        if isinstance(event, Postback) or not plain(event.text):
            return Turn(DialogueState("faq", "ask"), [self._prompt()], misunderstood=True)
        return route_text(self.registry, event.text, ctx)


class HumanFlow:
    """Asking a consultant: first the question, then the inquiry (filed with the
    question's text) and the promise to answer; later texts are added to it."""

    name = "human"
    steps = ("ask", "open")
    pending_steps: frozenset[str] = frozenset()

    def menu_label(self) -> str | None:
        return None

    def _ask(self) -> Reply:
        return Reply(
            _(
                "相談員にお尋ねになりたいことを、このまま文章でお送りください。\n"
                "※お名前・電話番号・ご住所などは書かないでください。"
            )
        )

    def _filed(self, text: str, reason: str, origin: str, ctx: FlowContext) -> Turn:
        reply = _(
            "ご質問ありがとうございます。相談員にお伝えしました。\n"
            "担当のキャリアコンサルタントが{hours}時間以内にお答えします。"
        ).format(hours=ctx.inquiry_reply_hours)
        return Turn(
            DialogueState("human", "open"),
            [Reply(reply)],
            [HandToHuman(text[:MAX_VALUE], reason, origin[:100])],
        )

    def start(self, ctx: FlowContext, params: Mapping[str, str]) -> Turn:
        text = params.get("text", "")
        origin = params.get("origin", "menu.start")[:100]
        if plain(text):
            return self._filed(text, "requested", origin, ctx)
        return Turn(DialogueState("human", "ask", {"origin": origin}), [self._ask()])

    def handle(self, state: DialogueState, event: Event, ctx: FlowContext) -> Turn:
        if isinstance(event, CommandResult):
            return Turn(state)
        if isinstance(event, Postback) or not plain(event.text):
            return Turn(state, [self._ask()], misunderstood=True)
        if state.step == "ask":
            return self._filed(event.text, "requested", state.get("origin") or "human.ask", ctx)
        text = _("承りました。担当のキャリアコンサルタントにお伝えします。")
        forward = HandToHuman(event.text[:MAX_VALUE], "follow_up", "human.open")
        return Turn(state, [Reply(text)], [forward])


class PhoneFlow:
    """「電話で予約」: the centre's booking dial and its hours, and the way back to booking
    by chat (a flow of one answer; also a rich-menu action ``action=phone``)."""

    name = "phone"
    steps: tuple[str, ...] = ()
    pending_steps: frozenset[str] = frozenset()

    def menu_label(self) -> str | None:
        return None

    def start(self, ctx: FlowContext, params: Mapping[str, str]) -> Turn:
        book = (action("book", _("相談を予約する")),)
        if not ctx.phone:
            text = _(
                "申し訳ありません。お電話の受付先は、ただいまご案内できません。\n"
                "このままLINEでご予約いただけます。"
            )
            return Turn(DialogueState(), [Reply(text, book)])
        by_phone = any(m.code == "phone" for s in ctx.services for m in s.methods)
        chat = (
            _("このままLINEでもご予約いただけます（電話での相談も選べます）。")
            if by_phone
            else _("このままLINEでもご予約いただけます。")
        )
        text = "\n".join(
            (
                _("お電話でのご予約・お問い合わせは、こちらへおかけください。"),
                phone_lines(ctx),
                chat,
            )
        )
        return Turn(DialogueState(), [Reply(text, book)])

    def handle(self, state: DialogueState, event: Event, ctx: FlowContext) -> Turn:
        return self.start(ctx, {})


def build_registry(*extra: Flow) -> FlowRegistry:
    """The flows the bot offers, menu order first; later issues pass their flows (events,
    jobs) as ``extra`` or register them on the result."""
    registry = FlowRegistry()
    registry.register(MenuFlow(registry))
    registry.register(BookFlow())
    registry.register(MyBookingsFlow())
    registry.register(FaqFlow(registry))
    registry.register(CancelFlow())
    registry.register(RescheduleFlow())
    registry.register(HumanFlow())
    registry.register(PhoneFlow())
    for flow in extra:
        registry.register(flow)
    return registry


DEFAULT_REGISTRY = build_registry()


# --- the engine --------------------------------------------------------------------------------


def _global(
    state: DialogueState, event: Text | Postback, ctx: FlowContext, registry: FlowRegistry
) -> Turn | None:
    """最初に戻る, 相談員に聞く and rich-menu actions, whatever the state."""
    origin = f"{state.flow}.{state.step}"
    if isinstance(event, Text):
        words = plain(event.text)
        if words in _MENU_WORDS:
            return _start(registry, "menu", ctx, {})
        if words in _HUMAN_WORDS:
            return _start(registry, "human", ctx, {"origin": origin})
        return None
    fields = event.fields()
    name = fields.get("action")
    if name is None:
        return None
    if event.data == NAV_MENU_DATA or name == "menu":
        return _start(registry, "menu", ctx, {})
    if event.data == NAV_HUMAN_DATA or name in {"ask_human", "human"}:
        return _start(registry, "human", ctx, {"origin": origin})
    return _start(registry, name, ctx, fields)


def _finish(
    before: DialogueState, turn: Turn, ctx: FlowContext, registry: FlowRegistry
) -> tuple[DialogueState, list[Reply], list[Command]]:
    misses = min(before.misses + 1, 99) if turn.misunderstood else 0
    state = replace(turn.state, misses=misses)
    replies = list(turn.replies)
    if not replies and not any(c.expects_result for c in turn.commands):
        replies = _start(registry, "menu", ctx, {}).replies
        state = DialogueState()
    if replies:
        last = replies[-1]
        text = last.text
        if turn.misunderstood:
            sorry = (
                _(
                    "うまく読み取れず申し訳ありません。\n"
                    "相談員にお尋ねになる場合は「相談員に聞く」を押してください。"
                )
                if misses >= 2
                else _("すみません、うまく読み取れませんでした。")
            )
            text = f"{sorry}\n{text}"
        nav = nav_choices(human_first=misses >= 2)
        nav_data = {c.data for c in nav}
        own = tuple(c for c in last.choices if c.data not in nav_data)
        choices = (*nav[:1], *own, *nav[1:]) if misses >= 2 else (*own, *nav)
        replies[-1] = replace(last, text=text, choices=choices)
    return state, fit_line_limits(replies), list(turn.commands)


def step(
    state: DialogueState,
    event: Event,
    ctx: FlowContext,
    *,
    registry: FlowRegistry | None = None,
) -> tuple[DialogueState, list[Reply], list[Command]]:
    """One event → the next state, the replies to send (LINE-sized), and the commands
    the caller must carry out (feeding back a :class:`CommandResult` for each that
    ``expects_result``). A state of an unknown flow or step starts over at the menu."""
    registry = registry or DEFAULT_REGISTRY
    menu = registry.get("menu")
    if menu is None:
        raise LookupError("a flow registry needs a 'menu' flow")
    flow = registry.get(state.flow)
    if flow is None or state.step not in flow.steps:
        state, flow = DialogueState(misses=state.misses), menu
    if isinstance(event, CommandResult):
        if state.step not in flow.pending_steps:
            return state, [], []  # a result nobody waits for (a retry, a stale event)
        turn = flow.handle(state, event, ctx)
    else:
        if state.step in flow.pending_steps:
            # The result never came (the caller failed mid-turn): start over.
            state, flow = DialogueState(), menu
        turn = _global(state, event, ctx, registry) or flow.handle(state, event, ctx)
    return _finish(state, turn, ctx, registry)


def run_turn(
    state: DialogueState,
    event: Event,
    ctx: FlowContext,
    execute: Callable[[Command], CommandResult | None],
    *,
    registry: FlowRegistry | None = None,
) -> tuple[DialogueState, list[Reply], list[Command]]:
    """A whole turn for one user event: :func:`step`, then each command through
    ``execute`` (the caller's bridge to the services), each result fed back, until
    nothing waits. Returns the final state, the replies (at most five, quick replies on
    the last) and every command carried out. ``execute`` returning None for a command
    that expects a result counts as a failure."""
    replies: list[Reply] = []
    done: list[Command] = []
    events: list[Event] = [event]
    for _round in range(MAX_ROUNDS):
        if not events:
            break
        state, out, commands = step(state, events.pop(0), ctx, registry=registry)
        replies.extend(out)
        for command in commands:
            result = execute(command)
            done.append(command)
            if command.expects_result:
                events.append(result if result is not None else CommandResult(False, "error"))
    return state, fit_line_limits(replies), done
