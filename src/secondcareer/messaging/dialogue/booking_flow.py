"""Booking a consultation.

Booking asks only what is still open, in this order: service → method (when the
service has several, e.g. オンライン: チャット/電話/ビデオ) → venue (when several; by area
first when they do not fit on one screen) → date → time → confirm → :class:`BookSlot`.
Typed text is read at every step for whatever it contains (「電話で明日の14時」 fills the
method, the date and the time at once); buttons carry ``pick=<kind>&v=<value>``.
Every value is checked against the context (a stale or forged postback is treated
like text that was not understood), and a date or time is only accepted with a free
slot behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _

from secondcareer.messaging.dialogue.base import (
    PAGE,
    Turn,
    action,
    moment_text,
    paginate,
    pick,
    plain,
)
from secondcareer.messaging.dialogue.commands import BookSlot, Command
from secondcareer.messaging.dialogue.context import FlowContext, ServiceOption, VenueOption
from secondcareer.messaging.dialogue.events import CommandResult
from secondcareer.messaging.dialogue.replies import Link, Reply, shorten
from secondcareer.messaging.dialogue.slot_picking import SlotPicking, join_lines, menu_turn
from secondcareer.messaging.dialogue.state import DialogueState


def _place_keys(service: ServiceOption) -> set[str]:
    keys = {plain(service.name), plain(service.name.removesuffix("相談"))}
    keys |= {plain(_("オンライン"))} if service.remote else {plain(_("対面")), plain(_("窓口"))}
    return {k for k in keys if len(k) >= 2}


def _method_keys(label: str, code: str) -> set[str]:
    keys = {plain(label), plain(label.removesuffix("通話")), plain(code)}
    return {k for k in keys if len(k) >= 2}


def _area_key(area: str) -> str:
    key = plain(area)
    return key[:-1] if len(key) >= 3 and key[-1] in "市町村区" else key


def _venue_named(venue: VenueOption, words: str) -> bool:
    name = plain(venue.name)
    return bool(name) and name in words


def _venue_near(venue: VenueOption, words: str) -> bool:
    """Part of the venue's name (「三宮」), or its town (「所沢」)."""
    if len(words) >= 2 and words in plain(venue.name):
        return True
    area = _area_key(venue.area) if venue.area else ""
    return len(area) >= 2 and area in words


class BookFlow(SlotPicking):
    name = "book"
    steps = (
        "service",
        "method",
        "area",
        "venue",
        "date",
        "time",
        "confirm",
        "pending",
        "alternatives",
    )

    def menu_label(self) -> str | None:
        return _("相談を予約する")

    def start(self, ctx: FlowContext, params: Mapping[str, str]) -> Turn:
        if not ctx.services:
            return menu_turn(Reply(_("ただいまチャットでご予約いただける相談はありません。")))
        state = DialogueState("book", "service")
        for kind in ("service", "method", "venue"):
            if params.get(kind):
                state = self._apply_pick(state, kind, params[kind], ctx) or state
        if params.get("text"):
            # Typed at the top level (「12/3 14時に予約」): keep what it says.
            state, _understood = self._read_text(state, params["text"], ctx)
        return self._advance(state, ctx)

    # -- the place --

    def _service(self, state: DialogueState, ctx: FlowContext) -> ServiceOption | None:
        return ctx.service(state.get("service"))

    def _where(self, state: DialogueState, ctx: FlowContext) -> tuple[str, str | None] | None:
        service = self._service(state, ctx)
        if service is None:
            return None
        if service.remote:
            return service.code, None
        venue = service.venue(state.get("venue"))
        return (service.code, venue.code) if venue is not None else None

    def _place_text(self, state: DialogueState, ctx: FlowContext) -> str:
        service = self._service(state, ctx)
        if service is None:
            return ""
        venue = service.venue(state.get("venue"))
        if venue is not None:
            return venue.name
        method = service.method(state.get("method"))
        if method is not None and len(service.methods) > 1:
            return _("{service}（{method}）").format(service=service.name, method=method.label)
        return service.name

    def _with_service(self, state: DialogueState, service: ServiceOption) -> DialogueState:
        """``state`` at ``service``. Changing the service forgets what belonged to the
        old one; choosing the first keeps a date and time already typed."""
        if state.get("service") == service.code:
            return state
        if not state.get("service"):
            return state.moved(state.step, service=service.code)
        return state.moved(
            state.step,
            service=service.code,
            method=None,
            venue=None,
            area=None,
            near=None,
            date=None,
            time=None,
        )

    def _apply_pick(
        self, state: DialogueState, kind: str, value: str, ctx: FlowContext
    ) -> DialogueState | None:
        service = self._service(state, ctx)
        if kind == "service":
            chosen = ctx.service(value)
            return None if chosen is None else self._with_service(state, chosen)
        if kind == "method":
            if service is None or service.method(value) is None:
                return None
            return state.moved(state.step, method=value)
        if kind == "venue":
            owners = [s for s in ctx.services if s.venue(value) is not None]
            if service is not None and service.venue(value) is not None:
                owners = [service]
            if len(owners) != 1:
                return None
            return self._with_service(state, owners[0]).moved(state.step, venue=value, near=None)
        if kind == "area":
            if service is None or value not in {v.area for v in service.venues if v.area}:
                return None
            return state.moved(state.step, area=value)
        return super()._apply_pick(state, kind, value, ctx)

    def _read_place(
        self, state: DialogueState, text: str, ctx: FlowContext
    ) -> DialogueState | None:
        """Service, method and venue named in ``text``, where they are unambiguous."""
        words = plain(text)
        if not words:
            return None
        methods = [
            (s, m.code)
            for s in ctx.services
            for m in s.methods
            if len(s.methods) > 1 and any(k in words for k in _method_keys(m.label, m.code))
        ]
        venues = [(s, v) for s in ctx.services for v in s.venues if _venue_named(v, words)]
        if not venues:
            venues = [(s, v) for s in ctx.services for v in s.venues if _venue_near(v, words)]
        services = [s for s in ctx.services if any(k in words for k in _place_keys(s))]
        moved: DialogueState | None = None
        if len(methods) == 1:
            service, method = methods[0]
            moved = self._with_service(state, service).moved(state.step, method=method)
        elif len({s.code for s in services}) == 1:
            moved = self._with_service(state, services[0])
        if len({owner.code for owner, _venue in venues}) == 1:
            service = venues[0][0]
            base = self._with_service(moved or state, service)
            if len(venues) == 1:
                moved = base.moved(state.step, venue=venues[0][1].code, near=None)
            else:
                near = ",".join(venue.code for _owner, venue in venues)
                moved = base.moved(state.step, venue=None, near=near)
        return moved

    def _read_text(
        self, state: DialogueState, text: str, ctx: FlowContext
    ) -> tuple[DialogueState, bool]:
        placed = self._read_place(state, text, ctx)
        when = self._read_when(placed or state, text, ctx)
        if when is not None:
            return when, True
        return (placed, True) if placed is not None else (state, False)

    # -- the steps before the date --

    def _advance(
        self, state: DialogueState, ctx: FlowContext, note: str = "", page: int = 0
    ) -> Turn:
        service = self._service(state, ctx)
        if service is None:
            if len(ctx.services) != 1:
                return self._ask_service(state, ctx, note, page)
            service = ctx.services[0]
            state = state.moved(state.step, service=service.code)
        if service.method(state.get("method")) is None:
            if len(service.methods) > 1:
                return self._ask_method(state, service, note, page)
            state = state.moved(
                state.step, method=service.methods[0].code if service.methods else None
            )
        if service.venues and service.venue(state.get("venue")) is None:
            if len(service.venues) > 1:
                return self._ask_venue(state, service, note, page)
            state = state.moved(state.step, venue=service.venues[0].code)
        return super()._advance(state, ctx, note, page)

    def _ask_service(self, state: DialogueState, ctx: FlowContext, note: str, page: int) -> Turn:
        choices = [pick("service", s.code, shorten(s.name), s.name) for s in ctx.services]
        text = join_lines(note, _("ご希望の相談をお選びください。"))
        return Turn(state.moved("service"), [Reply(text, paginate(choices, page))])

    def _ask_method(
        self, state: DialogueState, service: ServiceOption, note: str, page: int
    ) -> Turn:
        choices = [pick("method", m.code, shorten(m.label), m.label) for m in service.methods]
        text = join_lines(note, _("{service}の方法をお選びください。").format(service=service.name))
        return Turn(state.moved("method"), [Reply(text, paginate(choices, page))])

    def _ask_venue(
        self, state: DialogueState, service: ServiceOption, note: str, page: int
    ) -> Turn:
        near = [v for code in state.get("near").split(",") if (v := service.venue(code))]
        areas = list(dict.fromkeys(v.area for v in service.venues if v.area))
        venues: Sequence[VenueOption] = service.venues
        if near:
            venues = near
        elif len(service.venues) > PAGE + 1 and len(areas) > 1:
            area = state.get("area")
            if area not in areas:
                choices = [pick("area", a, shorten(a), a) for a in areas]
                text = join_lines(note, _("会場のある地域をお選びください。"))
                return Turn(state.moved("area"), [Reply(text, paginate(choices, page))])
            venues = [v for v in service.venues if v.area == area]
        choices = [pick("venue", v.code, shorten(v.name), v.name) for v in venues]
        text = join_lines(note, _("会場をお選びください。"))
        return Turn(state.moved("venue"), [Reply(text, paginate(choices, page))])

    # -- confirmation and result --

    def _confirm_text(self, state: DialogueState, ctx: FlowContext, start: dt.datetime) -> str:
        return _("{when} {place}で予約しますか？").format(
            when=moment_text(start, ctx.today), place=self._place_text(state, ctx)
        )

    def _command(self, state: DialogueState, start: dt.datetime) -> Command | None:
        service = state.get("service")
        if not service:
            return None
        return BookSlot(
            service=service,
            venue=state.get("venue") or None,
            start=start,
            method=state.get("method"),
        )

    def _done(
        self, state: DialogueState, ctx: FlowContext, start: dt.datetime, result: CommandResult
    ) -> Turn:
        text = _("ご予約が確定しました。\n{when}\n{place}").format(
            when=moment_text(start, ctx.today), place=self._place_text(state, ctx)
        )
        link = Link(_("予約の確認・変更"), ctx.bookings_url) if ctx.bookings_url else None
        if result.page_url:
            # A video booking: the room is given on the platform's own page, never here.
            text = join_lines(text, _("ビデオ通話への入り方は、こちらのページでご確認ください。"))
            link = Link(_("ご予約のページ"), result.page_url)
        choices = (action("my_bookings", _("予約の確認・変更")),)
        return menu_turn(Reply(text, choices, link=link))

    def _too_late_note(self, ctx: FlowContext) -> str:
        return _("開始が近いため、チャットではご予約できません。\n別の日時をお選びください。")
