"""A fake availability (the FreeSlots protocol), the two programs' service lists as
their presets declare them, and a scripted chat driver for the dialogue tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from secondcareer.core.jpcalendar import TOKYO
from secondcareer.messaging.dialogue import (
    BookingSummary,
    Choice,
    Command,
    CommandResult,
    DialogueState,
    FlowContext,
    MethodOption,
    Postback,
    Reply,
    ServiceOption,
    Text,
    VenueOption,
    line_limit_problems,
    step,
)

# Tuesday 1 December 2026, 09:30 in Tokyo.
NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=TOKYO)

ONLINE = ServiceOption(
    code="online",
    name="オンライン相談",
    methods=(
        MethodOption("chat", "チャット"),
        MethodOption("phone", "電話"),
        MethodOption("video", "ビデオ通話"),
    ),
)
IN_PERSON = ServiceOption(
    code="in_person",
    name="対面相談",
    methods=(MethodOption("in_person", "対面"),),
    venues=(VenueOption("sannomiya_east", "三宮ビル東館", "中央区"),),
)
KOBE = (ONLINE, IN_PERSON)

SAITAMA_VENUES = (
    VenueOption("tokorozawa_chiho_chosha", "所沢地方庁舎", "所沢市"),
    VenueOption("lark_tokorozawa", "ラーク所沢", "所沢市"),
    VenueOption("soka_kinro_fukushi_kaikan", "草加市立勤労福祉会館", "草加市"),
    VenueOption("westa_kawagoe", "ウェスタ川越", "川越市"),
    VenueOption("kasukabe_chiho_chosha", "春日部地方庁舎", "春日部市"),
    VenueOption("fureai_cube", "ふれあいキューブ", "春日部市"),
    VenueOption("shimin_plaza_kazo", "市民プラザかぞ", "加須市"),
    VenueOption("kamishiba_kominkan", "上柴公民館", "深谷市"),
    VenueOption("chichibu_kinrosha_fukushi_center", "秩父勤労者福祉センター", "秩父市"),
    VenueOption("kenmin_katsudo_sogo_center", "県民活動総合センター", "伊奈町"),
)
SAITAMA = (
    ServiceOption(
        code="consultation",
        name="就職相談",
        methods=(MethodOption("in_person", "対面"),),
        venues=SAITAMA_VENUES,
    ),
)


def _year_end(day: dt.date) -> bool:
    return (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3)


def kobe_hours(service: str, venue: str | None, day: dt.date) -> list[int]:
    if _year_end(day):
        return []
    if service == "online":
        return list(range(9, 21)) if day.weekday() < 5 else list(range(9, 18))
    if service == "in_person" and venue == "sannomiya_east" and day.weekday() < 5:
        return list(range(10, 17))
    return []


def saitama_hours(service: str, venue: str | None, day: dt.date) -> list[int]:
    if _year_end(day) or service != "consultation" or venue is None:
        return []
    index = [v.code for v in SAITAMA_VENUES].index(venue) if venue in _SAITAMA_CODES else -1
    if index < 0 or day.weekday() == 6:
        return []
    # Each venue on two weekdays of its own (a simplification of the preset).
    if day.weekday() not in {index % 6, (index + 3) % 6}:
        return []
    return [10, 11, 13, 14, 15]


_SAITAMA_CODES = {v.code for v in SAITAMA_VENUES}


@dataclass
class FakeSlots:
    """Free slots from an hours rule, minus ``taken`` (service, venue, start)."""

    hours: Callable[[str, str | None, dt.date], list[int]]
    now: dt.datetime = NOW
    taken: set[tuple[str, str | None, dt.datetime]] = field(default_factory=set)
    horizon_days: int = 60

    def free_starts(
        self, *, service: str, venue: str | None, day: dt.date
    ) -> Sequence[dt.datetime]:
        if day > self.now.date() + dt.timedelta(days=self.horizon_days):
            return []
        starts = [
            dt.datetime.combine(day, dt.time(h), tzinfo=TOKYO)
            for h in self.hours(service, venue, day)
        ]
        return [s for s in starts if s > self.now and (service, venue, s) not in self.taken]

    def free_dates(
        self, *, service: str, venue: str | None, start: dt.date, limit: int
    ) -> Sequence[dt.date]:
        found: list[dt.date] = []
        day = start
        while len(found) < limit and day <= self.now.date() + dt.timedelta(days=self.horizon_days):
            if self.free_starts(service=service, venue=venue, day=day):
                found.append(day)
            day += dt.timedelta(days=1)
        return found

    def take_day(self, service: str, venue: str | None, day: dt.date) -> None:
        for h in range(24):
            self.taken.add((service, venue, dt.datetime.combine(day, dt.time(h), tzinfo=TOKYO)))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TOKYO)


def booking(
    id: int, start: dt.datetime, service: ServiceOption = ONLINE, method: str = "チャット"
) -> BookingSummary:
    venue = service.venues[0] if service.venues else None
    return BookingSummary(
        id=id,
        start=start,
        service_code=service.code,
        service_name=service.name,
        venue_code=venue.code if venue else None,
        venue_name=venue.name if venue else None,
        method_label="" if venue else method,
    )


# As the Kobe preset ships them (a placeholder number that rings no one).
KOBE_PHONE = "078-000-0000"
KOBE_PHONE_HOURS = "平日 9:00〜21:00、土日祝 9:00〜18:00（年末年始・夏季休業を除く）"


def kobe_ctx(
    bookings: Iterable[BookingSummary] = (), slots: FakeSlots | None = None
) -> FlowContext:
    return FlowContext(
        services=KOBE,
        slots=slots or FakeSlots(kobe_hours),
        now=NOW,
        bookings=tuple(bookings),
        bookings_url="https://example.org/my/bookings",
        phone=KOBE_PHONE,
        phone_hours=KOBE_PHONE_HOURS,
    )


def saitama_ctx(bookings: Iterable[BookingSummary] = ()) -> FlowContext:
    return FlowContext(
        services=SAITAMA, slots=FakeSlots(saitama_hours), now=NOW, bookings=tuple(bookings)
    )


NAV_LABELS = ("最初に戻る", "相談員に聞く")


def assert_valid(replies: Sequence[Reply], *, short_lines: bool = True) -> None:
    """LINE's limits, both nav buttons on the last message, and (for the machine's own
    wording, not an FAQ answer the caller supplies) lines of at most 60 characters."""
    assert line_limit_problems(replies) == []
    for reply in replies if short_lines else ():
        assert all(len(line) <= 60 for line in reply.text.splitlines()), reply.text
    if replies:
        labels = [c.label for c in replies[-1].choices]
        for nav in NAV_LABELS:
            assert nav in labels, (nav, labels)


class Chat:
    """Drives the machine the way the LINE caller does; ``results`` scripts what each
    command returns (OK by default)."""

    def __init__(self, ctx: FlowContext, state: DialogueState | None = None) -> None:
        self.ctx = ctx
        self.state = state or DialogueState()
        self.commands: list[Command] = []
        self.results: list[CommandResult] = []
        self.replies: list[Reply] = []

    def send(self, event: Text | Postback | CommandResult) -> list[Reply]:
        self.state, replies, commands = step(self.state, event, self.ctx)
        assert_valid(replies)
        # The state always survives storage.
        assert DialogueState.from_json(self.state.to_json()) == self.state
        self.commands.extend(commands)
        for command in commands:
            if command.expects_result:
                result = self.results.pop(0) if self.results else CommandResult(ok=True)
                more = self.send(result)
                replies = [*replies, *more]
        self.replies = replies
        return replies

    def say(self, text: str) -> list[Reply]:
        return self.send(Text(text))

    def choices(self) -> list[Choice]:
        return list(self.replies[-1].choices) if self.replies else []

    def labels(self) -> list[str]:
        return [c.label for c in self.choices()]

    def tap(self, label: str) -> list[Reply]:
        for choice in self.choices():
            if choice.label == label:
                return self.send(Postback(choice.data))
        raise AssertionError(f"no choice {label!r} in {self.labels()}")

    def pick_date(self, day: dt.date) -> list[Reply]:
        picker = self.replies[-1].date_picker
        assert picker is not None
        return self.send(Postback(picker.data, {"date": day.isoformat()}))

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    @property
    def where(self) -> str:
        return f"{self.state.flow}.{self.state.step}"


# --- one representative state of every step of every flow ----------------------------------

BOOKINGS = (
    booking(11, at(dt.date(2026, 12, 3), 14)),
    booking(12, at(dt.date(2026, 12, 7), 10), IN_PERSON),
)


def sample_states() -> dict[str, tuple[DialogueState, FlowContext]]:
    """``flow.step`` → a state in it (with the data that step would hold) and a context."""
    kobe, saitama = kobe_ctx(BOOKINGS), saitama_ctx()
    online = {"service": "online", "method": "chat"}
    desk = {"service": "in_person", "method": "in_person", "venue": "sannomiya_east"}
    day = {"date": "2026-12-03"}
    alts = {"alts": "2026-12-03T15:00,2026-12-04T10:00"}
    many_venues = FlowContext(
        services=(
            ServiceOption(
                "c",
                "就職相談",
                (MethodOption("in_person", "対面"),),
                tuple(VenueOption(f"v{i}", f"会場{i}", f"{'ABCDE'[i % 5]}市") for i in range(15)),
            ),
        ),
        slots=FakeSlots(lambda s, v, d: [10, 11]),
        now=NOW,
    )
    states = {
        "menu.start": (DialogueState(), kobe),
        "faq.ask": (DialogueState("faq", "ask"), kobe),
        "faq.pending": (DialogueState("faq", "pending", {"q": "駐車場はありますか"}), kobe),
        "human.ask": (DialogueState("human", "ask", {"origin": "menu.start"}), kobe),
        "human.open": (DialogueState("human", "open"), kobe),
        "book.service": (DialogueState("book", "service"), kobe),
        "book.method": (DialogueState("book", "method", {"service": "online"}), kobe),
        "book.area": (
            DialogueState("book", "area", {"service": "c", "method": "in_person"}),
            many_venues,
        ),
        "book.venue": (DialogueState("book", "venue", {"service": "consultation"}), saitama),
        "book.date": (DialogueState("book", "date", online), kobe),
        "book.time": (DialogueState("book", "time", {**desk, **day}), kobe),
        "book.confirm": (DialogueState("book", "confirm", {**desk, **day, "time": "14:00"}), kobe),
        "book.pending": (
            DialogueState("book", "pending", {**online, **day, "time": "14:00"}),
            kobe,
        ),
        "book.alternatives": (DialogueState("book", "alternatives", {**desk, **day, **alts}), kobe),
        "cancel.choose": (DialogueState("cancel", "choose"), kobe),
        "cancel.confirm": (DialogueState("cancel", "confirm", {"rid": "12"}), kobe),
        "cancel.pending": (DialogueState("cancel", "pending", {"rid": "12"}), kobe),
        "reschedule.choose": (DialogueState("reschedule", "choose"), kobe),
        "reschedule.date": (DialogueState("reschedule", "date", {"rid": "12"}), kobe),
        "reschedule.time": (DialogueState("reschedule", "time", {"rid": "12", **day}), kobe),
        "reschedule.confirm": (
            DialogueState("reschedule", "confirm", {"rid": "12", **day, "time": "15:00"}),
            kobe,
        ),
        "reschedule.pending": (
            DialogueState("reschedule", "pending", {"rid": "12", **day, "time": "15:00"}),
            kobe,
        ),
        "reschedule.alternatives": (
            DialogueState("reschedule", "alternatives", {"rid": "12", **day, **alts}),
            kobe,
        ),
    }
    return states
