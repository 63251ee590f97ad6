"""What booking holds on a seeker (docs/personal-data.md): the reservations. They hold
no free text (the topic is a category), so anonymising changes nothing in them; a
booking on or after the retention date (a future one included) keeps the person."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from secondcareer.booking.models import Reservation
from secondcareer.core.personal_data import register

register(
    key="booking.reservations",
    title=_("相談予約"),
    model=Reservation,
    seeker="seeker",
    # The cancel link's token and the video room's id open things: never exported.
    secret=("cancel_token", "video_room"),
    activity=("starts_at", "created_at"),
    order=20,
)
