"""What counts as a seeker's *contact* with the centre, for the inactivity follow-up
(Saitama 2(2)ケ): a registry of sources, each a subquery giving a seeker's latest
contact time.

consultations knows its own records and booking's reservations. Apps above it (messaging's
chat) or beside it (events' attendance) cannot be imported from here, so they register
their source in their ``AppConfig.ready``::

    from secondcareer.consultations.contacts import register_contact_source

    register_contact_source("chat", lambda seeker: ChatMessage.objects.filter(
        thread__seeker=seeker, sender_kind="seeker").order_by("-sent_at").values("sent_at")[:1])

A source takes the outer seeker reference (``OuterRef("pk")`` on ``Seeker``) and returns
a one-column, one-row queryset of an aware datetime, so every source joins the single
query of :func:`secondcareer.consultations.selectors.inactive_seekers`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import OuterRef, QuerySet

ContactSource = Callable[[OuterRef], QuerySet[Any]]

_SOURCES: dict[str, ContactSource] = {}


def register_contact_source(name: str, source: ContactSource) -> None:
    """Add (or replace, by ``name``) a source of contact times."""
    _SOURCES[name] = source


def contact_sources() -> dict[str, ContactSource]:
    """The registered sources by name, in registration order."""
    return dict(_SOURCES)


def _attended_records(seeker: OuterRef) -> QuerySet[Any]:
    from secondcareer.consultations.models import Attendance, ConsultationRecord

    return (
        ConsultationRecord.objects.filter(seeker=seeker, attendance=Attendance.ATTENDED)
        .order_by("-started_at")
        .values("started_at")[:1]
    )


def _kept_reservations(seeker: OuterRef) -> QuerySet[Any]:
    from secondcareer.booking.models import Reservation, ReservationStatus

    return (
        Reservation.objects.filter(seeker=seeker)
        .exclude(status__in=[ReservationStatus.CANCELLED, ReservationStatus.NO_SHOW])
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )


def _reached_by_phone(seeker: OuterRef) -> QuerySet[Any]:
    """A phone call of the inactivity follow-up that reached the seeker (only such a
    call has ``reached_at``; a postcard or an unanswered call is no contact)."""
    from secondcareer.consultations.models import InactivityCheck

    return (
        InactivityCheck.objects.filter(seeker=seeker, reached_at__isnull=False)
        .order_by("-reached_at")
        .values("reached_at")[:1]
    )


register_contact_source("consultation", _attended_records)
register_contact_source("reservation", _kept_reservations)
register_contact_source("inactivity_check", _reached_by_phone)
