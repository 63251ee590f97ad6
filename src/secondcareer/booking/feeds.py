"""A consultant's own bookings as an iCalendar feed (``/calendar/<token>.ics``), for
subscribing from a phone or desktop calendar.

The token is the consultant's id signed with ``django.core.signing`` (the project's
SECRET_KEY and a salt): nothing is stored. Raising
``settings.SECONDCAREER_CALENDAR_FEED_VERSION`` changes the salt and so invalidates
every feed URL at once (rotation); rotating SECRET_KEY does the same.

Entries carry only what a consultant's calendar needs: the service and the place or
the method (「就職相談（ラーク所沢）」, 「オンライン相談（電話）」) and, in the
description, the seeker's card number. Never a name, phone number or address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from secondcareer.booking.models import Reservation
from secondcareer.booking.selectors import consultant_reservations
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.people.models import Role, User
from secondcareer.programs.choices import Method

PAST_DAYS = 30
FUTURE_DAYS = 90
_SALT = "secondcareer.booking.calendar-feed"


def _signer() -> signing.Signer:
    version = getattr(settings, "SECONDCAREER_CALENDAR_FEED_VERSION", "1")
    # "." keeps the token URL-safe and is not in the signature's base64 alphabet.
    return signing.Signer(salt=f"{_SALT}:v{version}", sep=".")


def feed_token(user: Any) -> str:
    """The signed token of ``user``'s feed URL."""
    return _signer().sign(str(user.pk))


def feed_user(token: str) -> User | None:
    """The active consultant a feed token belongs to; None for a bad, tampered or
    rotated token, an inactive user, or someone who is not a consultant."""
    try:
        value = _signer().unsign(token)
    except signing.BadSignature:
        return None
    if not value.isdigit():
        return None
    return (
        User.objects.filter(pk=int(value), is_active=True, memberships__role=Role.CONSULTANT)
        .distinct()
        .first()
    )


def event_summary(reservation: Reservation) -> str:
    """「就職相談（ラーク所沢）」 at a venue, 「オンライン相談（電話）」 remotely."""
    if reservation.venue is not None:
        where = reservation.venue.name
    else:
        where = str(Method(reservation.method).label) if reservation.method else ""
    return f"{reservation.service.name}（{where}）" if where else reservation.service.name


def build_calendar(reservations: Iterable[Reservation]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Second Career Platform//secondcareer//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "相談の予定（セカンドキャリア）")
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    for reservation in reservations:
        event = Event()
        event.add("uid", f"reservation-{reservation.pk}@secondcareer")
        event.add("dtstamp", reservation.updated_at)
        event.add("last-modified", reservation.updated_at)
        event.add("dtstart", reservation.starts_at.astimezone(TOKYO))
        event.add("dtend", reservation.ends_at.astimezone(TOKYO))
        event.add("summary", event_summary(reservation))
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        if reservation.venue is not None:
            location = reservation.venue.name
            if reservation.venue.address:
                location = f"{location}（{reservation.venue.address}）"
            event.add("location", location)
        event.add("description", f"利用者カード番号: {reservation.seeker.card_number}")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


@require_GET
def consultant_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Non-cancelled bookings of one consultant, 30 days back to 90 days ahead."""
    user = feed_user(token)
    if user is None:
        raise Http404
    now = timezone.now()
    reservations = consultant_reservations(
        consultant=user,
        start=now - dt.timedelta(days=PAST_DAYS),
        end=now + dt.timedelta(days=FUTURE_DAYS),
    )
    response = HttpResponse(
        build_calendar(reservations), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="secondcareer.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
