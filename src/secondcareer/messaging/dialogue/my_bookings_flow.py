"""The seeker's own bookings: list them, cancel one, move one to another time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils.translation import gettext as _

from secondcareer.core.jpcalendar import TOKYO
from secondcareer.messaging.dialogue.base import (
    Turn,
    action,
    is_no,
    is_yes,
    moment_label,
    moment_text,
    paginate,
    phone_lines,
    pick,
    read_page,
)
from secondcareer.messaging.dialogue.commands import (
    CancelReservation,
    Command,
    RescheduleReservation,
)
from secondcareer.messaging.dialogue.context import BookingSummary, FlowContext
from secondcareer.messaging.dialogue.dates import parse_when
from secondcareer.messaging.dialogue.events import CommandResult, Event, Postback
from secondcareer.messaging.dialogue.replies import Link, Reply
from secondcareer.messaging.dialogue.slot_picking import (
    SlotPicking,
    booking_place,
    generic_failure,
    join_lines,
    menu_turn,
    read_booking_id,
)
from secondcareer.messaging.dialogue.state import DialogueState

# --- my bookings ---------------------------------------------------------------------------

MAX_LISTED = 10


class MyBookingsFlow:
    """Lists the seeker's upcoming bookings and offers to change or cancel one."""

    name = "my_bookings"
    steps: tuple[str, ...] = ()
    pending_steps: frozenset[str] = frozenset()

    def menu_label(self) -> str | None:
        return _("予約の確認・変更")

    def start(self, ctx: FlowContext, params: Mapping[str, str]) -> Turn:
        upcoming = ctx.upcoming()
        if not upcoming:
            return menu_turn(
                Reply(_("現在、ご予約はありません。"), (action("book", _("相談を予約する")),))
            )
        lines = [_("ご予約は次のとおりです。")]
        for booking in upcoming[:MAX_LISTED]:
            lines.append(f"・{moment_text(booking.start, ctx.today)}\n　{booking_place(booking)}")
        if len(upcoming) > MAX_LISTED:
            lines.append(_("ほか{count}件").format(count=len(upcoming) - MAX_LISTED))
        choices = (
            action("reschedule", _("日時を変更する")),
            action("cancel", _("予約を取り消す")),
            action("book", _("相談を予約する")),
        )
        link = Link(_("予約の確認・変更"), ctx.bookings_url) if ctx.bookings_url else None
        return menu_turn(Reply("\n".join(lines), choices, link=link))

    def handle(self, state: DialogueState, event: Event, ctx: FlowContext) -> Turn:
        return self.start(ctx, {})


# --- choosing one of my bookings ---------------------------------------------------------


def _no_bookings() -> Turn:
    return menu_turn(Reply(_("現在、ご予約はありません。"), (action("book", _("相談を予約する")),)))


def _choose_booking(state: DialogueState, ctx: FlowContext, question: str, page: int) -> Turn:
    upcoming = ctx.upcoming()
    if not upcoming:
        return _no_bookings()
    choices = [
        pick("booking", str(b.id), moment_label(b.start), moment_text(b.start, ctx.today))
        for b in upcoming
    ]
    return Turn(state.moved("choose", rid=None), [Reply(question, paginate(choices, page))])


def _booking_from_text(text: str, ctx: FlowContext) -> BookingSummary | None:
    when = parse_when(text, today=ctx.today, assume_pm_below=ctx.assume_pm_below)
    if when is None or when.date is None:
        return None
    found = [b for b in ctx.upcoming() if b.start.astimezone(TOKYO).date() == when.date]
    if when.time is not None:
        found = [b for b in found if b.start.astimezone(TOKYO).time() == when.time]
    return found[0] if len(found) == 1 else None


class CancelFlow:
    name = "cancel"
    steps = ("choose", "confirm", "pending")
    pending_steps = frozenset({"pending"})

    def menu_label(self) -> str | None:
        return None

    def start(self, ctx: FlowContext, params: Mapping[str, str]) -> Turn:
        state = DialogueState("cancel", "choose")
        upcoming = ctx.upcoming()
        if len(upcoming) == 1:
            return self._ask_confirm(state, ctx, upcoming[0])
        chosen = ctx.booking(read_booking_id(params.get("id", "")) or -1)
        if chosen is not None and chosen in upcoming:
            return self._ask_confirm(state, ctx, chosen)
        return self._choose(state, ctx)

    def _choose(self, state: DialogueState, ctx: FlowContext, page: int = 0) -> Turn:
        return _choose_booking(state, ctx, _("取り消すご予約をお選びください。"), page)

    def _selected(self, state: DialogueState, ctx: FlowContext) -> BookingSummary | None:
        booking = ctx.booking(read_booking_id(state.get("rid")) or -1)
        return booking if booking is not None and booking.start > ctx.now else None

    def _ask_confirm(self, state: DialogueState, ctx: FlowContext, booking: BookingSummary) -> Turn:
        text = _("{when}\n{place}\nこのご予約を取り消しますか？").format(
            when=moment_text(booking.start, ctx.today), place=booking_place(booking)
        )
        choices = (pick("yes", "", _("はい")), pick("no", "", _("いいえ")))
        return Turn(state.moved("confirm", rid=str(booking.id)), [Reply(text, choices)])

    def _reprompt(self, state: DialogueState, ctx: FlowContext, page: int = 0) -> Turn:
        booking = self._selected(state, ctx)
        if state.step == "confirm" and booking is not None:
            return self._ask_confirm(state, ctx, booking)
        return self._choose(state, ctx, page)

    def _misunderstood(self, state: DialogueState, ctx: FlowContext) -> Turn:
        turn = self._reprompt(state, ctx)
        turn.misunderstood = True
        return turn

    def _answer(self, state: DialogueState, ctx: FlowContext, *, yes: bool) -> Turn:
        booking = self._selected(state, ctx)
        if booking is None:
            return self._choose(state, ctx)
        if not yes:
            return menu_turn(Reply(_("ご予約はそのままです。")))
        return Turn(state.moved("pending"), [], [CancelReservation(booking.id)])

    def handle(self, state: DialogueState, event: Event, ctx: FlowContext) -> Turn:
        if isinstance(event, CommandResult):
            return self._result(state, event, ctx)
        if isinstance(event, Postback):
            fields = event.fields()
            kind, value = fields.get("pick", ""), fields.get("v", "")
            if kind == "more":
                return self._reprompt(state, ctx, page=read_page(value))
            if kind in {"yes", "no"} and state.step == "confirm":
                return self._answer(state, ctx, yes=kind == "yes")
            if kind == "booking":
                booking = ctx.booking(read_booking_id(value) or -1)
                if booking is not None and booking.start > ctx.now:
                    return self._ask_confirm(state, ctx, booking)
            return self._misunderstood(state, ctx)
        if state.step == "confirm":
            if is_yes(event.text):
                return self._answer(state, ctx, yes=True)
            if is_no(event.text):
                return self._answer(state, ctx, yes=False)
        booking = _booking_from_text(event.text, ctx)
        if booking is not None:
            return self._ask_confirm(state, ctx, booking)
        return self._misunderstood(state, ctx)

    def _result(self, state: DialogueState, result: CommandResult, ctx: FlowContext) -> Turn:
        booking = ctx.booking(read_booking_id(state.get("rid")) or -1)
        when = moment_text(booking.start, ctx.today) if booking is not None else ""
        if result.ok:
            return menu_turn(
                Reply(
                    join_lines(_("ご予約を取り消しました。"), when),
                    (action("book", _("相談を予約する")),),
                )
            )
        if result.code in {"too_late", "past"}:
            return menu_turn(
                Reply(
                    join_lines(
                        _(
                            "開始が近いため、チャットでは取り消せません。\n"
                            "お手数ですが、お電話でご連絡ください。"
                        ),
                        phone_lines(ctx),
                    )
                )
            )
        if result.code == "conflict":
            return menu_turn(Reply(_("このご予約はすでに取り消されているか、終了しています。")))
        return menu_turn(generic_failure())


# --- moving a booking ----------------------------------------------------------------------


class RescheduleFlow(SlotPicking):
    name = "reschedule"
    steps = ("choose", "date", "time", "confirm", "pending", "alternatives")

    def start(self, ctx: FlowContext, params: Mapping[str, str]) -> Turn:
        state = DialogueState("reschedule", "choose")
        upcoming = ctx.upcoming()
        chosen = ctx.booking(read_booking_id(params.get("id", "")) or -1)
        if len(upcoming) == 1:
            chosen = upcoming[0]
        if chosen is not None and chosen in upcoming:
            return self._chosen(state, ctx, chosen)
        return self._choose(state, ctx)

    def _choose(self, state: DialogueState, ctx: FlowContext, page: int = 0) -> Turn:
        return _choose_booking(state, ctx, _("変更するご予約をお選びください。"), page)

    def _chosen(self, state: DialogueState, ctx: FlowContext, booking: BookingSummary) -> Turn:
        note = _("{when}のご予約を変更します。").format(when=moment_text(booking.start, ctx.today))
        moved = state.moved("date", rid=str(booking.id), date=None, time=None, part=None)
        return self._ask_date(moved, ctx, note=note)

    def _booking(self, state: DialogueState, ctx: FlowContext) -> BookingSummary | None:
        booking = ctx.booking(read_booking_id(state.get("rid")) or -1)
        return booking if booking is not None and booking.start > ctx.now else None

    def _where(self, state: DialogueState, ctx: FlowContext) -> tuple[str, str | None] | None:
        booking = self._booking(state, ctx)
        return None if booking is None else (booking.service_code, booking.venue_code)

    def _reprompt(self, state: DialogueState, ctx: FlowContext, page: int = 0) -> Turn:
        if state.step == "choose" or self._booking(state, ctx) is None:
            return self._choose(state, ctx, page)
        return super()._reprompt(state, ctx, page)

    def _apply_pick(
        self, state: DialogueState, kind: str, value: str, ctx: FlowContext
    ) -> DialogueState | None:
        if state.step == "choose":
            return None
        return super()._apply_pick(state, kind, value, ctx)

    def _on_postback(self, state: DialogueState, event: Postback, ctx: FlowContext) -> Turn:
        fields = event.fields()
        if fields.get("pick") == "booking":
            booking = ctx.booking(read_booking_id(fields.get("v", "")) or -1)
            if booking is None or booking.start <= ctx.now:
                return self._misunderstood(state, ctx)
            return self._chosen(state, ctx, booking)
        return super()._on_postback(state, event, ctx)

    def _on_text(self, state: DialogueState, text: str, ctx: FlowContext) -> Turn:
        if state.step == "choose":
            booking = _booking_from_text(text, ctx)
            if booking is None:
                return self._misunderstood(state, ctx)
            return self._chosen(state, ctx, booking)
        return super()._on_text(state, text, ctx)

    def _lost(self, ctx: FlowContext) -> Turn:
        if not ctx.upcoming():
            return _no_bookings()
        return self._choose(DialogueState("reschedule", "choose"), ctx)

    def _confirm_text(self, state: DialogueState, ctx: FlowContext, start: dt.datetime) -> str:
        booking = self._booking(state, ctx)
        old = moment_text(booking.start, ctx.today) if booking is not None else ""
        return _("{old}のご予約を\n{new}に変更しますか？").format(
            old=old, new=moment_text(start, ctx.today)
        )

    def _command(self, state: DialogueState, start: dt.datetime) -> Command | None:
        booking_id = read_booking_id(state.get("rid"))
        return None if booking_id is None else RescheduleReservation(booking_id, start)

    def _done(
        self, state: DialogueState, ctx: FlowContext, start: dt.datetime, result: CommandResult
    ) -> Turn:
        booking = ctx.booking(read_booking_id(state.get("rid")) or -1)
        place = booking_place(booking) if booking is not None else ""
        text = join_lines(_("ご予約を変更しました。"), moment_text(start, ctx.today), place)
        link = Link(_("予約の確認・変更"), ctx.bookings_url) if ctx.bookings_url else None
        return menu_turn(Reply(text, (action("my_bookings", _("予約の確認・変更")),), link=link))

    def _too_late_note(self, ctx: FlowContext) -> str:
        return join_lines(
            _(
                "開始が近いため、チャットでは変更できません。\n"
                "別の日時をお選びいただくか、お電話でご連絡ください。"
            ),
            phone_lines(ctx),
        )
