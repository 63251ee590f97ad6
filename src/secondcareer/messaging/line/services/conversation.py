"""One chat turn on LINE: the stored dialogue state + the event → the pure dialogue
machine → commands carried out through the booking services, the FAQ and inquiries →
LINE message objects. Nothing the user typed is echoed back; every message leaves
through the outbound policy in the client."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from secondcareer.booking.models import Reservation
from secondcareer.booking.selectors import free_slots, upcoming_reservations
from secondcareer.booking.services import (
    reservation_cancel,
    reservation_create,
    reservation_reschedule,
)
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.text import normalize_text
from secondcareer.messaging.dialogue import (
    AnswerFaq,
    BookingSummary,
    BookSlot,
    CancelReservation,
    Command,
    CommandResult,
    DialogueState,
    FlowContext,
    HandToHuman,
    MethodOption,
    Postback,
    Reply,
    RescheduleReservation,
    ServiceOption,
    Text,
    VenueOption,
    run_turn,
    text_intent,
)
from secondcareer.messaging.line.channel import LINE
from secondcareer.messaging.line.models import LineUser
from secondcareer.messaging.line.reminders import reservation_page_url
from secondcareer.messaging.line.tasks import remember_display_name
from secondcareer.messaging.services import inquiry_add_message, inquiry_open
from secondcareer.programs.choices import Method
from secondcareer.programs.models import Program, Service, Venue

STATE_TTL = dt.timedelta(hours=2)
REGISTER_FIRST = (
    "ご予約の前に、利用登録（1分ほど）をお願いします。"
    "お名前などはLINEではなく、次のページに入力してください。"
)


def phone_note(program: Program) -> str:
    """「お電話でもご予約いただけます。予約ダイヤル …（受付時間: …）」, or "" when the
    program publishes no number. The number is on the outbound policy's allow-list."""
    if not program.contact_phone:
        return ""
    text = f"お電話でもご予約いただけます。予約ダイヤル {program.contact_phone}"
    if program.contact_hours:
        text += f"（受付時間: {program.contact_hours}）"
    return text


def welcome_messages(program: Program) -> list[dict[str, Any]]:
    lines = [
        f"友だち追加ありがとうございます。{program.name}です。",
        "相談は無料です。下のメニューから、相談の予約・よくある質問・相談員への質問ができます。",
        phone_note(program),
        "※ご相談の内容や個人情報は、LINEには書かないでください。",
    ]
    return [{"type": "text", "text": "\n".join(line for line in lines if line)}]


def register_first_message(user: LineUser) -> dict[str, Any]:
    lines = [REGISTER_FIRST, register_url(user), phone_note(user.program)]
    return {"type": "text", "text": "\n".join(line for line in lines if line)}


# --- The world as the dialogue sees it ---------------------------------------------------


class _FreeSlots:
    def __init__(self, program: Program, now: dt.datetime) -> None:
        self.program, self.now = program, now
        self._services = {s.code: s for s in Service.objects.filter(program=program)}
        self._venues = {v.code: v for v in Venue.objects.filter(program=program)}

    def _rows(self, service: str, venue: str | None, start: dt.date, days: int) -> list[Any]:
        svc = self._services.get(service)
        if svc is None:
            return []
        return free_slots(
            program=self.program,
            service=svc,
            venue=self._venues.get(venue) if venue else None,
            start=start,
            days=days,
            now=self.now + dt.timedelta(minutes=60),
        )

    def free_dates(
        self, *, service: str, venue: str | None, start: dt.date, limit: int
    ) -> Sequence[dt.date]:
        dates: list[dt.date] = []
        for row in self._rows(service, venue, start, 31):
            day = row.slot.start.astimezone(TOKYO).date()
            if day not in dates:
                dates.append(day)
            if len(dates) >= limit:
                break
        return dates

    def free_starts(
        self, *, service: str, venue: str | None, day: dt.date
    ) -> Sequence[dt.datetime]:
        return [row.slot.start for row in self._rows(service, venue, day, 1)]


def _services(program: Program) -> tuple[ServiceOption, ...]:
    options = []
    for service in Service.objects.filter(program=program).prefetch_related("venues__area"):
        methods = tuple(MethodOption(code=m, label=str(Method(m).label)) for m in service.methods)
        venues = tuple(
            VenueOption(code=v.code, name=v.name, area=v.area.name)
            for v in service.venues.all()
            if v.days.exists()
        )
        options.append(
            ServiceOption(code=service.code, name=service.name, methods=methods, venues=venues)
        )
    return tuple(options)


def _bookings(user: LineUser, now: dt.datetime) -> tuple[BookingSummary, ...]:
    if user.seeker is None:
        return ()
    return tuple(
        BookingSummary(
            id=r.pk,
            start=r.starts_at,
            service_code=r.service.code,
            service_name=r.service.name,
            venue_code=r.venue.code if r.venue else None,
            venue_name=r.venue.name if r.venue else None,
            method_label=str(Method(r.method).label),
        )
        for r in upcoming_reservations(seeker=user.seeker, now=now).select_related(
            "service", "venue"
        )
    )


def _context(user: LineUser, now: dt.datetime) -> FlowContext:
    program = user.program
    return FlowContext(
        services=_services(program),
        slots=_FreeSlots(program, now),
        now=now,
        bookings=_bookings(user, now),
        inquiry_reply_hours=program.inquiry_reply_hours or 24,
        phone=program.contact_phone,
        phone_hours=program.contact_hours,
    )


# --- Commands through the services ----------------------------------------------------------


def _result_from(error: DomainError) -> CommandResult:
    alternatives = tuple(
        dt.datetime.fromisoformat(a["start"])
        for a in error.details.get("alternatives", [])
        if a.get("start")
    )
    return CommandResult(ok=False, code=error.code, message="", alternatives=alternatives)


def _executor(user: LineUser, now: dt.datetime, inquiries: list[Any]) -> Any:
    program = user.program

    def own(reservation_id: int) -> Reservation | None:
        if user.seeker is None:
            return None
        return Reservation.objects.filter(
            pk=reservation_id, seeker=user.seeker, program=program
        ).first()

    def execute(command: Command) -> CommandResult | None:
        try:
            if isinstance(command, BookSlot):
                if user.seeker is None:
                    return CommandResult(ok=False, code="not_registered")
                service = Service.objects.get(program=program, code=command.service)
                venue = (
                    Venue.objects.get(program=program, code=command.venue)
                    if command.venue
                    else None
                )
                booked = reservation_create(
                    program=program,
                    seeker=user.seeker,
                    service=service,
                    start=command.start,
                    venue=venue,
                    method=command.method,
                    channel="line",
                    now=now,
                )
                if booked.method == Method.VIDEO:
                    return CommandResult(ok=True, page_url=reservation_page_url(booked))
                return CommandResult(ok=True)
            if isinstance(command, CancelReservation):
                reservation = own(command.reservation_id)
                if reservation is None:
                    return CommandResult(ok=False, code="not_found")
                reservation_cancel(reservation=reservation, channel="line", now=now)
                return CommandResult(ok=True)
            if isinstance(command, RescheduleReservation):
                reservation = own(command.reservation_id)
                if reservation is None:
                    return CommandResult(ok=False, code="not_found")
                reservation_reschedule(
                    reservation=reservation, start=command.start, channel="line", now=now
                )
                return CommandResult(ok=True)
            if isinstance(command, AnswerFaq):
                match = faq_answer(command.text, program.slug)
                if match is None:
                    return CommandResult(ok=False, code="not_confident")
                return CommandResult(ok=True, message=match)
            if isinstance(command, HandToHuman):
                if command.reason == "follow_up":
                    inquiry, texts = inquiry_add_message(
                        program=program,
                        channel=LINE,
                        contact_key=user.line_user_id,
                        seeker=user.seeker,
                        text=command.text,
                        now=now,
                    )
                else:
                    inquiry, texts = inquiry_open(
                        program=program,
                        question=command.text,
                        reason=command.reason,
                        channel=LINE,
                        contact_key=user.line_user_id,
                        seeker=user.seeker,
                        now=now,
                    )
                inquiries.append((inquiry, texts))
                if user.seeker is None and not user.display_name:
                    # So staff can tell who asked: a task after the commit (no call
                    # to LINE while the event's transaction is open).
                    user_pk = user.pk
                    transaction.on_commit(
                        lambda: remember_display_name.enqueue(user_pk), robust=True
                    )
                return None
        except DomainError as error:
            return _result_from(error)
        return None

    return execute


GREETINGS = re.compile(
    r"^(こんにちは|こんにちわ|こんばんは|こんばんわ|おはよう(ございます)?|はじめまして|よろしく(お願いします)?|"
    r"ありがとう(ございます|ございました)?|どうも|もしもし|hello|hi)[!！。．.、〜ー\s]*$",
    re.IGNORECASE,
)
GREETING_REPLY = (
    "こんにちは。ご用件を下のメニューからお選びいただくか、"
    "知りたいことを短い文でお送りください（例: 相談の予約をしたい、年金をもらいながら働けますか）。"
)


def faq_answer(text: str, program_slug: str) -> str | None:
    """The FAQ answer when retrieval is confident, else None (hand to a person).
    A bare greeting is answered with a pointer to the menu, not with an FAQ entry."""
    from secondcareer.messaging.faq.retrieval import answer

    if GREETINGS.match(normalize_text(text)):
        return GREETING_REPLY
    match = answer(text, program_slug=program_slug)
    return match.answer if match is not None else None


# --- Turning replies into LINE messages ------------------------------------------------------


def _quick_reply(reply: Reply) -> dict[str, Any] | None:
    items: list[dict[str, Any]] = []
    for choice in reply.choices:
        items.append(
            {
                "type": "action",
                "action": {
                    "type": "postback",
                    "label": choice.label,
                    "data": choice.data,
                    "displayText": choice.shown,
                },
            }
        )
    if reply.date_picker is not None:
        picker = reply.date_picker
        action: dict[str, Any] = {
            "type": "datetimepicker",
            "label": picker.label,
            "data": picker.data,
            "mode": picker.mode,
        }
        for key in ("initial", "min", "max"):
            if getattr(picker, key):
                action[key] = getattr(picker, key)
        items.append({"type": "action", "action": action})
    return {"items": items} if items else None


def to_line_messages(replies: Sequence[Reply]) -> list[dict[str, Any]]:
    messages = []
    for reply in replies[:5]:
        text = reply.text
        if reply.link is not None:
            text = f"{text}\n{reply.link.label}: {reply.link.url}"
        message: dict[str, Any] = {"type": "text", "text": text[:5000]}
        quick = _quick_reply(reply)
        if quick:
            message["quickReply"] = quick
        messages.append(message)
    return messages


def _event_input(event: dict[str, Any]) -> Text | Postback | None:
    if event.get("type") == "postback" and isinstance(event.get("postback"), dict):
        postback: dict[str, Any] = event["postback"]
        params: dict[str, Any] = (
            postback["params"] if isinstance(postback.get("params"), dict) else {}
        )
        return Postback(
            data=str(postback.get("data", ""))[:300],
            params={str(k): str(v) for k, v in params.items()},
        )
    message: dict[str, Any] = event["message"] if isinstance(event.get("message"), dict) else {}
    if message.get("type") == "text":
        return Text(text=str(message.get("text", ""))[:2000])
    return None


def register_url(user: LineUser) -> str:
    from secondcareer.messaging.line.channel import site_url

    return site_url() + reverse("line:register", args=[user.program.slug])


def _needs_registration(
    user: LineUser, event: Text | Postback, state: DialogueState, ctx: FlowContext
) -> bool:
    """Booking (by the menu, or typed at the top level: 「12/3 14時に予約」) needs a
    registered seeker first."""
    if user.seeker is not None:
        return False
    if isinstance(event, Postback):
        return event.data in {"action=book", "action=my_bookings"}
    at_top = state.flow in {"menu", "faq"}
    return at_top and text_intent(event.text, ctx) in {"book", "my_bookings"}


def handle_turn(
    *, user: LineUser, event: dict[str, Any], now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Run one turn for ``user`` and return the LINE messages to reply with. Database
    effects (bookings, inquiries, the new dialogue state) happen in the caller's
    transaction."""
    now = now or timezone.now()
    user_input = _event_input(event)
    if user_input is None:
        return []
    stored = (
        user.dialogue_state
        if user.dialogue_updated_at and now - user.dialogue_updated_at < STATE_TTL
        else {}
    )
    state = DialogueState.from_json(stored)
    ctx = _context(user, now)
    if _needs_registration(user, user_input, state, ctx):
        return [register_first_message(user)]
    inquiries: list[Any] = []
    with transaction.atomic():
        state, replies, commands = run_turn(state, user_input, ctx, _executor(user, now, inquiries))
        user.dialogue_state = state.to_json()
        user.dialogue_updated_at = now
        user.save(update_fields=["dialogue_state", "dialogue_updated_at"])
    messages = to_line_messages(replies)
    if any(isinstance(c, BookSlot) for c in commands) and user.seeker is None:
        messages = [*messages[:4], register_first_message(user)]
    for _inquiry, texts in inquiries:  # public support contacts, when needed
        messages = [*messages, *({"type": "text", "text": t} for t in texts)][:5]
    return messages
