"""The read-only snapshot of the world the caller hands to each step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from secondcareer.core.jpcalendar import TOKYO


@dataclass(frozen=True)
class MethodOption:
    code: str  # chat | phone | video | in_person
    label: str  # チャット, 電話, ビデオ通話, 対面


@dataclass(frozen=True)
class VenueOption:
    code: str
    name: str
    area: str = ""  # the area's name (所沢市), used to understand typed place names


@dataclass(frozen=True)
class ServiceOption:
    """A bookable consultation service of the program. No venues: a remote service."""

    code: str
    name: str
    methods: tuple[MethodOption, ...] = ()
    venues: tuple[VenueOption, ...] = ()

    @property
    def remote(self) -> bool:
        return not self.venues

    def method(self, code: str) -> MethodOption | None:
        return next((m for m in self.methods if m.code == code), None)

    def venue(self, code: str) -> VenueOption | None:
        return next((v for v in self.venues if v.code == code), None)


@dataclass(frozen=True)
class BookingSummary:
    """One of the seeker's upcoming bookings, as far as a chat may show it."""

    id: int
    start: dt.datetime  # aware
    service_code: str
    service_name: str
    venue_code: str | None = None
    venue_name: str | None = None
    method_label: str = ""


class FreeSlots(Protocol):
    """Free seats, implemented by the caller with the availability selectors
    (``booking.selectors.free_slots``); tests use a fake. Only slots the seeker could
    book now should be returned (after ``now`` and the booking notice)."""

    def free_dates(
        self, *, service: str, venue: str | None, start: dt.date, limit: int
    ) -> Sequence[dt.date]:
        """Up to ``limit`` dates from ``start`` on with at least one free slot."""
        ...

    def free_starts(
        self, *, service: str, venue: str | None, day: dt.date
    ) -> Sequence[dt.datetime]:
        """The (aware) starts of the free slots on ``day``, in order."""
        ...


@dataclass(frozen=True)
class FlowContext:
    services: tuple[ServiceOption, ...]
    slots: FreeSlots
    now: dt.datetime  # aware
    bookings: tuple[BookingSummary, ...] = ()
    window_days: int = 60  # how far ahead the date picker lets one look
    assume_pm_below: int = 8  # 「2時」 → 14:00 (see dates.parse_when)
    bookings_url: str | None = None  # the seeker's own (authenticated) bookings page
    inquiry_reply_hours: int = 24  # the program's promise (Kobe: 24 時間以内に回答)
    phone: str = ""  # the centre's published booking dial (078-000-0000), "" when none
    phone_hours: str = ""  # its reception hours in words (平日 9:00〜17:00)

    @property
    def local_now(self) -> dt.datetime:
        return self.now.astimezone(TOKYO)

    @property
    def today(self) -> dt.date:
        return self.local_now.date()

    def service(self, code: str) -> ServiceOption | None:
        return next((s for s in self.services if s.code == code), None)

    def booking(self, booking_id: int) -> BookingSummary | None:
        return next((b for b in self.bookings if b.id == booking_id), None)

    def upcoming(self) -> list[BookingSummary]:
        return sorted((b for b in self.bookings if b.start > self.now), key=lambda b: b.start)
