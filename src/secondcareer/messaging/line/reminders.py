"""Day-before reminders over LINE for seekers who linked their LINE account."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from secondcareer.booking.models import Reservation
from secondcareer.core.jpcalendar import TOKYO, format_datetime_ja
from secondcareer.messaging.line.models import LineUser
from secondcareer.messaging.line.services.push import push_to
from secondcareer.people.models import Seeker
from secondcareer.programs.choices import Method


def reservation_page_url(reservation: Reservation) -> str:
    """The seeker's own page of the booking (``/book/r/<token>/``): the one place the
    video room's address is given (never in a LINE message; docs/video.md)."""
    path = reverse("booking_public:reservation", args=[reservation.cancel_token])
    return settings.SECONDCAREER_SITE_URL.rstrip("/") + path


def reminder_text(reservation: Reservation) -> str:
    when = format_datetime_ja(reservation.starts_at.astimezone(TOKYO))
    if reservation.venue is not None:
        where = f"{reservation.venue.name}でのご相談"
    else:
        where = f"{Method(reservation.method).label}でのオンライン相談"
    text = (
        f"【ご予約の確認】明日 {when}から、{where}のご予約があります。"
        "変更・取消はメニューの「予約の確認・変更」からどうぞ。"
    )
    if reservation.method == Method.VIDEO:
        text += f"\nビデオ通話への入り方は、こちらのページでご確認ください。\n{reservation_page_url(reservation)}"
    return text


class LineReminderNotifier:
    """booking's ReminderNotifier for LINE (registered in the app's ready())."""

    def _account(self, seeker: Seeker) -> LineUser | None:
        return LineUser.objects.filter(
            program_id=seeker.program_id, seeker=seeker, following=True
        ).first()

    def can_reach(self, seeker: Seeker) -> bool:
        return self._account(seeker) is not None

    def send_reminder(self, reservation: Reservation) -> bool:
        account = self._account(reservation.seeker)
        if account is None:
            return False
        records = push_to(
            program=reservation.program,
            line_users=[account],
            messages=[{"type": "text", "text": reminder_text(reservation)}],
            purpose="reminder",
            # stable per reservation and never reused, even if a database reuses ids
            idempotency_key=f"reminder:{reservation.pk}:{reservation.created_at.isoformat()}",
        )
        return bool(records) and all(r.status == "sent" for r in records)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LineReminderNotifier)

    def __hash__(self) -> int:
        return hash(LineReminderNotifier)
