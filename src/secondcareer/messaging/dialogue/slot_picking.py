"""Picking a date and a time for a place, then confirming: the part booking and moving
a booking share. A subclass says where (``_where``), what the confirmation asks, which
command it sends and what success looks like; this class does the rest (free dates as
quick replies and LINE's date picker, free times in pages, typed dates and times
through :func:`~.dates.parse_when`, and every error result of the booking services).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.utils.translation import gettext as _

from secondcareer.core.inputs import date_in_range
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.messaging.dialogue.base import (
    PAGE,
    Turn,
    action,
    at,
    date_label,
    date_text,
    is_no,
    is_yes,
    moment_label,
    moment_text,
    paginate,
    phone_lines,
    pick,
    plain,
    read_date,
    read_page,
    read_time,
)
from secondcareer.messaging.dialogue.commands import Command
from secondcareer.messaging.dialogue.context import BookingSummary, FlowContext
from secondcareer.messaging.dialogue.dates import PartOfDay, filter_by_part, parse_when
from secondcareer.messaging.dialogue.events import CommandResult, Event, Postback
from secondcareer.messaging.dialogue.replies import DatePicker, Reply
from secondcareer.messaging.dialogue.state import DialogueState

DATES_OFFERED = 9  # + the date picker + the two nav buttons = 12 quick replies


def join_lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def menu_turn(*replies: Reply) -> Turn:
    return Turn(DialogueState(), list(replies))


def generic_failure() -> Reply:
    return Reply(
        _(
            "申し訳ありません。ただいまお手続きができませんでした。\n"
            "時間をおいてお試しいただくか、相談員にお尋ねください。"
        )
    )


def booking_place(booking: BookingSummary) -> str:
    if booking.venue_name:
        return booking.venue_name
    if booking.method_label:
        return _("{service}（{method}）").format(
            service=booking.service_name, method=booking.method_label
        )
    return booking.service_name


def read_booking_id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 19 else None


# --- picking a date and a time ----------------------------------------------------------


class SlotPicking:
    """date → time → confirm → pending (→ alternatives) for the place ``_where`` gives.
    Subclasses add the steps before the date and say what the confirmation means."""

    name = ""
    steps: tuple[str, ...] = ()
    pending_steps = frozenset({"pending"})

    # -- hooks --

    def menu_label(self) -> str | None:
        return None

    def _where(self, state: DialogueState, ctx: FlowContext) -> tuple[str, str | None] | None:
        raise NotImplementedError

    def _confirm_text(self, state: DialogueState, ctx: FlowContext, start: dt.datetime) -> str:
        raise NotImplementedError

    def _command(self, state: DialogueState, start: dt.datetime) -> Command | None:
        raise NotImplementedError

    def _done(
        self, state: DialogueState, ctx: FlowContext, start: dt.datetime, result: CommandResult
    ) -> Turn:
        raise NotImplementedError

    def _too_late_note(self, ctx: FlowContext) -> str:
        raise NotImplementedError

    def _lost(self, ctx: FlowContext) -> Turn:
        """The place is gone (a booking cancelled elsewhere, a service removed)."""
        return menu_turn(
            Reply(_("申し訳ありません。お手続きを続けられませんでした。\n最初からお試しください。"))
        )

    # -- events --

    def handle(self, state: DialogueState, event: Event, ctx: FlowContext) -> Turn:
        if isinstance(event, CommandResult):
            return self._result(state, event, ctx)
        if isinstance(event, Postback):
            return self._on_postback(state, event, ctx)
        return self._on_text(state, event.text, ctx)

    def _on_postback(self, state: DialogueState, event: Postback, ctx: FlowContext) -> Turn:
        fields = event.fields()
        kind, value = fields.get("pick", ""), fields.get("v", "")
        if kind == "more":
            return self._reprompt(state, ctx, page=read_page(value))
        if kind in {"yes", "no"}:
            if state.step != "confirm":
                return self._misunderstood(state, ctx)
            return self._confirm(state, ctx, yes=kind == "yes")
        if kind == "redo":
            cleared = state.moved("date", date=None, time=None, part=None, alts=None)
            return self._ask_date(cleared, ctx)
        if kind == "date" and not value:  # LINE's date picker
            if event.params.get("datetime"):
                kind, value = "slot", event.params["datetime"]
            else:
                value = event.params.get("date", "")
        if kind == "time" and not value:
            value = event.params.get("time", "")
        moved = self._apply_pick(state, kind, value, ctx)
        if moved is None:
            return self._misunderstood(state, ctx)
        return self._advance(moved, ctx)

    def _on_text(self, state: DialogueState, text: str, ctx: FlowContext) -> Turn:
        if state.step == "confirm":
            if is_yes(text):
                return self._confirm(state, ctx, yes=True)
            if is_no(text):
                return self._confirm(state, ctx, yes=False)
        moved, understood = self._read_text(state, text, ctx)
        if not understood:
            return self._misunderstood(state, ctx)
        return self._advance(moved, ctx)

    def _misunderstood(self, state: DialogueState, ctx: FlowContext) -> Turn:
        turn = self._reprompt(state, ctx)
        turn.misunderstood = True
        return turn

    def _reprompt(self, state: DialogueState, ctx: FlowContext, page: int = 0) -> Turn:
        if state.step == "alternatives":
            return self._ask_alternatives(state, ctx, page=page)
        return self._advance(state, ctx, page=page)

    # -- reading values --

    def _apply_pick(
        self, state: DialogueState, kind: str, value: str, ctx: FlowContext
    ) -> DialogueState | None:
        if kind == "date":
            day = read_date(value)
            if day is None:
                return None
            return state.moved(state.step, date=day.isoformat(), time=None, part=None)
        if kind == "time":
            moment = read_time(value)
            return None if moment is None else state.moved(state.step, time=f"{moment:%H:%M}")
        if kind == "slot":
            try:
                start = dt.datetime.fromisoformat(value[:40])
            except ValueError:
                return None
            if not date_in_range(start):  # year 9999 would overflow the conversion
                return None
            if start.tzinfo is not None:
                start = start.astimezone(TOKYO)
            return state.moved(
                state.step, date=start.date().isoformat(), time=f"{start:%H:%M}", part=None
            )
        return None

    def _read_when(self, state: DialogueState, text: str, ctx: FlowContext) -> DialogueState | None:
        words = plain(text)
        if state.step == "time" and re.fullmatch(r"[0-9]{1,2}", words):
            text = f"{words}時"  # a bare 「14」 where a time is asked for
        when = parse_when(text, today=ctx.today, assume_pm_below=ctx.assume_pm_below)
        if when is None:
            return None
        if when.date is not None:
            state = state.moved(state.step, date=when.date.isoformat(), time=None, part=None)
        if when.time is not None:
            state = state.moved(state.step, time=f"{when.time:%H:%M}", part=None)
        if when.part_of_day is not None:
            state = state.moved(state.step, part=when.part_of_day.value, time=None)
        return state

    def _read_text(
        self, state: DialogueState, text: str, ctx: FlowContext
    ) -> tuple[DialogueState, bool]:
        moved = self._read_when(state, text, ctx)
        return (moved, True) if moved is not None else (state, False)

    # -- the date, the time, the confirmation --

    def _advance(
        self, state: DialogueState, ctx: FlowContext, note: str = "", page: int = 0
    ) -> Turn:
        where = self._where(state, ctx)
        if where is None:
            return self._lost(ctx)
        service, venue = where
        today = ctx.today
        day = read_date(state.get("date"))
        if day is None:
            return self._ask_date(state, ctx, note=note, page=page)
        if day < today:
            past = _("{date}はすでに過ぎています。").format(date=date_text(day, today))
            return self._ask_date(state.moved("date", date=None, time=None), ctx, note=past)
        starts = [
            s for s in ctx.slots.free_starts(service=service, venue=venue, day=day) if s > ctx.now
        ]
        if not starts:
            full = _("{date}は空きがありません。\n近い日にちからお選びください。").format(
                date=date_text(day, today)
            )
            return self._ask_date(
                state.moved("date", date=None, time=None),
                ctx,
                note=join_lines(note, full),
                from_day=day,
            )
        wanted = read_time(state.get("time"))
        if wanted is not None:
            start = at(day, wanted)
            if start in starts:
                return self._ask_confirm(state.moved("confirm"), ctx, start, note=note)
            taken = _("{date} {time}は空いていません。").format(
                date=date_text(day, today), time=f"{wanted:%H:%M}"
            )
            return self._ask_time(state.moved("time", time=None), ctx, day, starts, note=taken)
        return self._ask_time(state, ctx, day, starts, note=note, page=page)

    def _ask_date(
        self,
        state: DialogueState,
        ctx: FlowContext,
        note: str = "",
        from_day: dt.date | None = None,
        page: int = 0,
    ) -> Turn:
        where = self._where(state, ctx)
        if where is None:
            return self._lost(ctx)
        service, venue = where
        today = ctx.today
        first = from_day if from_day is not None and from_day > today else today
        dates = [
            d
            for d in ctx.slots.free_dates(
                service=service, venue=venue, start=first, limit=DATES_OFFERED
            )
            if d >= today
        ]
        if not dates and first != today:
            dates = list(
                ctx.slots.free_dates(service=service, venue=venue, start=today, limit=DATES_OFFERED)
            )
        dates = sorted(set(dates))[:DATES_OFFERED]
        if not dates:
            return menu_turn(
                Reply(
                    join_lines(
                        note,
                        _(
                            "申し訳ありません。ただいま空いている日がありません。\n"
                            "相談員にお尋ねいただくか、お電話でお問い合わせください。"
                        )
                        if ctx.phone
                        else _(
                            "申し訳ありません。ただいま空いている日がありません。\n"
                            "相談員にお尋ねください。"
                        ),
                        phone_lines(ctx),
                    )
                )
            )
        choices = [pick("date", d.isoformat(), date_label(d), date_text(d, today)) for d in dates]
        picker = DatePicker(
            label=_("カレンダーから選ぶ"),
            data="pick=date",
            mode="date",
            initial=dates[0].isoformat(),
            min=today.isoformat(),
            max=(today + dt.timedelta(days=max(ctx.window_days, 1))).isoformat(),
        )
        text = join_lines(
            note,
            _("ご希望の日にちをお選びください。\n「12/3」「来週の火曜」などの入力もできます。"),
        )
        return Turn(state.moved("date"), [Reply(text, tuple(choices), picker)])

    def _ask_time(
        self,
        state: DialogueState,
        ctx: FlowContext,
        day: dt.date,
        starts: Sequence[dt.datetime],
        note: str = "",
        page: int = 0,
    ) -> Turn:
        part_value = state.get("part")
        part = PartOfDay(part_value) if part_value in PartOfDay._value2member_map_ else None
        shown = filter_by_part(starts, part, time_of=lambda s: s.astimezone(TOKYO).time())
        if part is not None and not shown:
            note = join_lines(note, _("ご希望の時間帯には空きがありません。"))
            shown = list(starts)
        today = ctx.today
        choices = [
            pick(
                "time",
                f"{s.astimezone(TOKYO):%H:%M}",
                f"{s.astimezone(TOKYO):%H:%M}",
                moment_text(s, today),
            )
            for s in shown
        ]
        text = join_lines(
            note,
            _("{date}の空いている時間です。\nご希望の時間をお選びください。").format(
                date=date_text(day, today)
            ),
        )
        return Turn(state.moved("time"), [Reply(text, paginate(choices, page))])

    def _ask_confirm(
        self, state: DialogueState, ctx: FlowContext, start: dt.datetime, note: str = ""
    ) -> Turn:
        choices = (pick("yes", "", _("はい")), pick("no", "", _("いいえ")))
        text = join_lines(note, self._confirm_text(state, ctx, start))
        return Turn(state.moved("confirm"), [Reply(text, choices)])

    def _start_of(self, state: DialogueState) -> dt.datetime | None:
        day, moment = read_date(state.get("date")), read_time(state.get("time"))
        return at(day, moment) if day is not None and moment is not None else None

    def _confirm(self, state: DialogueState, ctx: FlowContext, *, yes: bool) -> Turn:
        start = self._start_of(state)
        if start is None:
            return self._advance(state, ctx)
        if not yes:
            note = _("まだ確定していません。別の日にちをお選びください。")
            return self._ask_date(state.moved("date", date=None, time=None), ctx, note=note)
        command = self._command(state, start)
        if command is None:
            return self._lost(ctx)
        return Turn(state.moved("pending"), [], [command])

    # -- the result --

    def _result(self, state: DialogueState, result: CommandResult, ctx: FlowContext) -> Turn:
        start = self._start_of(state)
        if state.step != "pending":
            return Turn(state)
        if start is None:
            return menu_turn(generic_failure())
        if result.ok:
            return self._done(state, ctx, start, result)
        code = result.code
        if code == "full":
            alternatives = sorted({a for a in result.alternatives if a > ctx.now})[:PAGE]
            full = _("申し訳ありません。その時間は満席になりました。")
            if alternatives:
                alts = ",".join(f"{a.astimezone(TOKYO):%Y-%m-%dT%H:%M}" for a in alternatives)
                moved = state.moved("alternatives", time=None, alts=alts)
                return self._ask_alternatives(moved, ctx, note=full)
            cleared = state.moved("date", date=None, time=None)
            return self._ask_date(cleared, ctx, note=full, from_day=start.date())
        if code == "overlap":
            note = _("同じ時間帯に別のご予約があります。\n別の時間をお選びください。")
            return self._advance(state.moved("time", time=None), ctx, note=note)
        if code in {"too_late", "past"}:
            cleared = state.moved("date", date=None, time=None)
            return self._ask_date(cleared, ctx, note=self._too_late_note(ctx))
        if code == "too_early":
            note = _("その日はまだ予約を受け付けていません。\n別の日にちをお選びください。")
            return self._ask_date(state.moved("date", date=None, time=None), ctx, note=note)
        if code == "no_slot":
            note = _("その時間は予約を受け付けていません。\n別の時間をお選びください。")
            return self._advance(state.moved("time", time=None), ctx, note=note)
        if code == "too_many":
            return menu_turn(
                Reply(
                    _(
                        "お持ちいただける予約の数の上限に達しています。\n"
                        "不要なご予約を取り消してからお申し込みください。"
                    ),
                    (action("my_bookings", _("予約の確認・変更")),),
                )
            )
        if code == "conflict":
            return menu_turn(Reply(_("このご予約はすでに取り消されているか、終了しています。")))
        return menu_turn(generic_failure())

    def _ask_alternatives(
        self, state: DialogueState, ctx: FlowContext, note: str = "", page: int = 0
    ) -> Turn:
        alternatives: list[dt.datetime] = []
        for value in state.get("alts").split(","):
            try:
                moment = dt.datetime.fromisoformat(value).replace(tzinfo=TOKYO)
            except ValueError:
                continue
            if moment > ctx.now:
                alternatives.append(moment)
        if not alternatives:
            cleared = state.moved("date", date=None, time=None, alts=None)
            return self._ask_date(cleared, ctx, note=note)
        choices = [
            pick("slot", f"{a:%Y-%m-%dT%H:%M}", moment_label(a), moment_text(a, ctx.today))
            for a in alternatives[:PAGE]
        ]
        choices.append(pick("redo", "", _("ほかの日にち")))
        text = join_lines(note, _("近い空き時間からお選びください。"))
        return Turn(state.moved("alternatives"), [Reply(text, tuple(choices))])
