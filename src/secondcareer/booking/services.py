"""Booking use cases. Every channel (LINE, web, phone, desk, staff, API) books through
these functions, so the guarantees hold whatever mix of channels arrives at once."""

from __future__ import annotations

import copy
import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.booking.models import (
    SELF_SERVICE_CHANNELS,
    BookingPolicy,
    Channel,
    Reservation,
    ReservationStatus,
    SlotCounter,
    Topic,
)
from secondcareer.booking.selectors import (
    AbsenceCover,
    absence_cover_options,
    nearest_free,
    seeker_match_for_booking,
)
from secondcareer.core.audit import AuditItem, audit_log, audit_log_bulk
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO, format_datetime_ja
from secondcareer.core.models import AuditAction
from secondcareer.core.sql import insert_returning_pk, sql_literal, storable_id
from secondcareer.people.models import (
    ConsentKind,
    ConsentMethod,
    Membership,
    RegistrationChannel,
    Role,
    Seeker,
    User,
)
from secondcareer.people.services import ConsentInput, consent_record, seeker_register
from secondcareer.programs.choices import Method
from secondcareer.programs.models import ConsultationKind, Program, Service, Venue
from secondcareer.programs.video import new_room_id
from secondcareer.scheduling.selectors import (
    ScheduleCache,
    day_slots,
    program_calendar,
    roster_for,
    schedule_key,
)
from secondcareer.scheduling.services import absence_record
from secondcareer.scheduling.slots import Slot, generate_slots

IMPORT_BATCH = 500  # rows per INSERT/UPDATE of an import
ACTIVE = ~Q(status=ReservationStatus.CANCELLED)


_POLICIES = ScheduleCache(64)


def booking_policy(program: Program) -> BookingPolicy:
    """The program's booking rules (created with the defaults on first use). Kept per
    process with the program's schedule: saving a policy gives it a new stamp."""
    policy = _POLICIES.get(
        schedule_key(program),
        lambda: BookingPolicy.objects.get_or_create(program=program)[0],
    )
    return copy.copy(policy)


def _video_room(method: str) -> str:
    """A new unguessable room id for a video consultation ("" for other methods); the
    program's room template turns it into the link (``Reservation.video_url``)."""
    return new_room_id() if method == Method.VIDEO else ""


def _place(venue_id: int | None) -> str:
    return f"v{venue_id}" if venue_id else "remote"


def find_slot(
    *, program: Program, service: Service, start: dt.datetime, venue: Venue | None
) -> Slot | None:
    day = start.astimezone(TOKYO).date()
    venue_id = venue.pk if venue else None
    for slot in day_slots(program, service.code, day, venue_id):
        if slot.start == start:
            return slot
    return None


def _full_error(
    *, program: Program, service: Service, start: dt.datetime, venue: Venue | None
) -> DomainError:
    alternatives = nearest_free(
        program=program, service=service, around=start, venue=venue, not_before=timezone.now()
    )
    if alternatives:
        lines = "、".join(format_datetime_ja(a.slot.start.astimezone(TOKYO)) for a in alternatives)
        message = f"申し訳ありません。ご希望の時間は満席になりました。近い空き枠: {lines}"
    else:
        message = "申し訳ありません。ご希望の時間は満席になりました。近い日程に空き枠がありません。"
    return DomainError(
        message,
        code="full",
        status=409,
        details={"alternatives": [a.as_dict() for a in alternatives]},
    )


def _validate(
    *,
    program: Program,
    seeker: Seeker,
    service: Service,
    venue: Venue | None,
    method: str,
    channel: str,
) -> None:
    errors: dict[str, list[str]] = {}
    if seeker.program_id != program.pk:
        errors["seeker_id"] = ["この事業の利用者ではありません。"]
    if service.program_id != program.pk:
        errors["service"] = ["この事業の相談サービスではありません。"]
    if method not in (service.methods or []):
        labels = "、".join(service.method_labels())
        errors["method"] = [f"この相談の方法は {labels} から選んでください。"]
    if channel not in Channel.values:
        errors["channel"] = ["予約経路が正しくありません。"]
    if service.delivery == "venue":
        if venue is None:
            errors["venue"] = ["会場を選んでください。"]
        elif not service.venues.filter(pk=venue.pk).exists():
            errors["venue"] = ["この相談サービスを実施していない会場です。"]
    elif venue is not None:
        errors["venue"] = ["オンライン相談に会場は指定できません。"]
    if errors:
        raise DomainError(
            _("予約内容に誤りがあります。"), code="invalid", status=422, field_errors=errors
        )


def _check_policy(
    *,
    program: Program,
    start: dt.datetime,
    channel: str,
    now: dt.datetime,
    policy: BookingPolicy | None = None,
) -> int | None:
    """Refuse what the program's policy forbids before anything is locked. Returns the
    most open bookings the seeker may hold (self-service channels), checked inside the
    booking transaction by :func:`_check_seeker`. ``policy``: the program's, if the
    caller has it already."""
    if start <= now:
        raise DomainError(_("開始時刻を過ぎた枠は予約できません。"), code="past", status=422)
    if channel not in SELF_SERVICE_CHANNELS:
        return None
    policy = policy or booking_policy(program)
    if start - now < dt.timedelta(minutes=policy.min_notice_minutes):
        raise DomainError(
            _(
                "ご予約は開始の%(min_notice_minutes)s分前までにお願いします。お急ぎの場合はお電話ください。"
            )
            % {"min_notice_minutes": policy.min_notice_minutes},
            code="too_late",
            status=422,
        )
    if start - now > dt.timedelta(days=policy.window_days):
        raise DomainError(
            _("ご予約は%(window_days)s日先まで受け付けています。")
            % {"window_days": policy.window_days},
            code="too_early",
            status=422,
        )
    return policy.max_open_bookings


def _check_seeker(
    seeker: Seeker, slot: Slot, *, now: dt.datetime, max_open: int | None
) -> set[int]:
    """Inside the booking transaction, in one query: the seeker is registered in the
    program, has no other booking overlapping the slot and, for self-service, fewer
    open bookings than the policy allows (a booking being moved is already cancelled
    here, so it counts for neither). Returns the slot's consultants who are booked
    elsewhere at that time.

    Checking registration here, at the write, lets a caller that only has an id (the
    API) pass :func:`seeker_reference` without a look-up of its own.

    Plain SQL (portable between SQLite and PostgreSQL, names from the model): it runs
    on every booking, and the ORM spent ten times the database's time compiling it."""
    table, seekers = Reservation._meta.db_table, Seeker._meta.db_table
    when = connection.ops.adapt_datetimefield_value
    start, end, moment = when(slot.start), when(slot.end), when(now)
    # Status values are written into the statement, not passed as parameters, so that
    # PostgreSQL can use the partial indexes (WHERE status <> 'cancelled') with the
    # plan it prepares once for every booking.
    cancelled, confirmed = (
        sql_literal(ReservationStatus.CANCELLED),
        sql_literal(ReservationStatus.CONFIRMED),
    )
    # The first part yields one row of NULLs if the seeker is registered in the
    # program; every row of the second has TRUE or FALSE in its first column.
    sql = (
        f"SELECT NULL, NULL, NULL, NULL FROM {seekers} WHERE id = %s AND program_id = %s "  # noqa: S608 - names from the models, values as parameters
        f"UNION ALL SELECT seeker_id = %s, consultant_id, (starts_at < %s AND ends_at > %s), "
        f"(status = {confirmed} AND starts_at > %s) FROM {table} WHERE status <> {cancelled} AND ("
        f"(seeker_id = %s AND ((starts_at < %s AND ends_at > %s) OR (status = {confirmed} AND starts_at > %s)))"
    )
    params: list[Any] = [seeker.pk, seeker.program_id]
    params += [seeker.pk, end, start, moment, seeker.pk, end, start, moment]
    if slot.consultant_ids:
        # Bounded below as well: a slot is cut from one day's opening hours, so nothing
        # that starts a day earlier can overlap it, and the index on the start time then
        # reads one day of bookings instead of every booking before this one.
        sql += " OR (starts_at > %s AND starts_at < %s AND ends_at > %s AND consultant_id "
        params += [when(slot.start - dt.timedelta(days=1)), end, start]
        if connection.vendor == "postgresql":
            # One array parameter: the statement text stays the same for any roster, so
            # the driver's parse cache and the server's prepared plan are reused.
            sql += "= ANY(%s))"
            params.append(list(slot.consultant_ids))
        else:
            sql += f"IN ({', '.join(['%s'] * len(slot.consultant_ids))}))"
            params += slot.consultant_ids
    registered, clash, open_count, busy = False, False, 0, set()
    with connection.cursor() as cursor:
        cursor.execute(sql + ")", params)
        for mine, consultant_id, overlaps, is_open in cursor.fetchall():
            if mine is None:
                registered = True
            elif mine:
                clash = clash or bool(overlaps)
                open_count += bool(is_open)
            if overlaps and consultant_id is not None:
                busy.add(consultant_id)
    if not registered:
        raise unknown_seeker_error()
    if clash:
        raise _overlap_error()
    if max_open is not None and open_count >= max_open:
        raise DomainError(
            _(
                "同時にお持ちいただける予約は%(max_open)s件までです。ご予約の確認・変更から、不要な予約を取り消してください。"
            )
            % {"max_open": max_open},
            code="too_many",
            status=409,
        )
    return busy


# How often a booking picks its consultant again when the one it picked was taken by
# a concurrent booking of another slot at the same time.
CONSULTANT_RETRIES = 2


def unknown_seeker_error() -> DomainError:
    return DomainError(
        _("予約内容に誤りがあります。"),
        code="invalid",
        status=422,
        field_errors={"seeker_id": [_("この事業に登録された利用者のIDを指定してください。")]},
    )


def seeker_reference(program: Program, seeker_id: int) -> Seeker:
    """A seeker known only by id, for :func:`reservation_create`, which checks inside
    its transaction that the seeker is registered in ``program`` (422 otherwise). Its
    other fields load on first use, like a queryset's ``only()``. Ids beyond 64 bits
    are refused at once (no database could hold them; SQLite cannot even bind them)."""
    if not storable_id(seeker_id):
        raise unknown_seeker_error()
    return Seeker.from_db(connection.alias, ["id", "program_id"], [seeker_id, program.pk])


def assigned_consultant_id(seeker: Seeker) -> int | None:
    """The consultant a seeker keeps (Saitama 担当者制): whoever held their most recent
    consultation that had a consultant."""
    return (
        Reservation.objects.filter(seeker=seeker, consultant__isnull=False)
        .exclude(status=ReservationStatus.CANCELLED)
        .order_by("-starts_at")
        .values_list("consultant_id", flat=True)
        .first()
    )


def _consultant_unavailable() -> DomainError:
    return DomainError(
        _("ご指定のキャリアコンサルタントはその時間に空きがありません。"),
        code="consultant_unavailable",
        status=409,
    )


def _pick_consultant(
    slot: Slot, *, busy: set[int], wanted: int | None, preferred: int | None
) -> int | None:
    """A consultant on duty in the slot who is not already booked at that time."""
    if not slot.consultant_ids:
        if wanted is not None:
            raise DomainError(
                _("ご指定のキャリアコンサルタントはその時間に担当していません。"),
                code="consultant_unavailable",
                status=409,
            )
        return None
    free = [c for c in slot.consultant_ids if c not in busy]
    if wanted is not None:
        if wanted not in free:
            raise _consultant_unavailable()
        return wanted
    if preferred in free:
        return preferred
    return free[0] if free else None


def _lock_counters(keys: list[tuple[int, str, dt.datetime, int]]) -> None:
    """Create missing counter rows, then lock them in (service, place, start) order."""
    SlotCounter.objects.bulk_create(
        [SlotCounter(service_id=s, place=p, starts_at=t, capacity=c) for s, p, t, c in keys],
        ignore_conflicts=True,
    )
    for service_id, place, starts_at, _ends in sorted(keys, key=lambda k: (k[0], k[1], k[2])):
        list(
            SlotCounter.objects.select_for_update().filter(
                service_id=service_id, place=place, starts_at=starts_at
            )
        )


def _take_seat(slot: Slot) -> bool:
    """Take one seat of ``slot`` in a single statement: create its counter holding one
    seat, or add one to the existing counter only while ``held < capacity``. Returns
    False when the slot is full. The CHECK ``held <= capacity`` backs this up."""
    if slot.capacity <= 0:
        return False
    table = SlotCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (service_id, place, starts_at, capacity, held) "  # noqa: S608 - table name from the model
            "VALUES (%s, %s, %s, %s, 1) "
            "ON CONFLICT (service_id, place, starts_at) DO UPDATE "
            f"SET held = {table}.held + 1, capacity = excluded.capacity "
            f"WHERE {table}.held < excluded.capacity "
            "RETURNING held",
            [
                slot.service_id,
                _place(slot.venue_id),
                connection.ops.adapt_datetimefield_value(slot.start),
                slot.capacity,
            ],
        )
        return cursor.fetchone() is not None


def _release_seat(reservation: Reservation) -> None:
    SlotCounter.objects.filter(
        service_id=reservation.service_id,
        place=_place(reservation.venue_id),
        starts_at=reservation.starts_at,
        held__gt=0,
    ).update(held=F("held") - 1)


class _SlotFull(Exception):
    """Internal: no seat (or no free consultant) left in the slot."""


def _overlap_error() -> DomainError:
    return DomainError(
        _("同じ時間帯に別のご予約があります。時間を変えてお選びください。"),
        code="overlap",
        status=409,
    )


def _book_in_transaction(
    draft: Reservation,
    slot: Slot,
    *,
    actor: Any,
    now: dt.datetime,
    max_open: int | None,
    wanted: int | None,
    preferred: int | None,
    replacing: Reservation | None,
) -> Reservation | None:
    """The writes of :func:`reservation_create`, inside its transaction: the seat, the
    checks, then ``draft`` (the reservation, not yet saved) with the consultant chosen
    here, and its audit entry. Returns None
    when the slot is full and nothing was written, so that the caller leaves the
    transaction by a commit: psycopg forgets every prepared statement of the connection
    on a rollback, and under a rush of 満席 answers each booking after one would parse
    and plan its statements again (measured: 0.15 ms of planning per statement).
    Raises :class:`_SlotFull` when something written must be undone."""
    if replacing is not None:
        # Lock order for every write on a booking: the booking row, then its counter
        # rows in one global order — the same order a cancel takes — so a cancel and a
        # move of one booking, or two seekers swapping slots, cannot deadlock each other.
        Reservation.objects.select_for_update().filter(pk=replacing.pk).first()
        _lock_counters(
            [
                (replacing.service_id, _place(replacing.venue_id), replacing.starts_at, 0),
                (slot.service_id, _place(slot.venue_id), slot.start, slot.capacity),
            ]
        )
        _cancel_in_transaction(replacing, now=now)
    # The seat first: its counter row is locked until this transaction ends, so bookings
    # of the same slot queue here, and the check that follows (a new snapshot on
    # PostgreSQL) sees the consultants the bookings before it took. Checked first, every
    # racer would see the same consultant free, pick them, and all but one would be
    # refused by the constraint with seats left.
    if not _take_seat(slot):
        if replacing is not None:
            raise _SlotFull  # the old booking's cancellation is undone
        return None
    busy = _check_seeker(draft.seeker, slot, now=now, max_open=max_open)
    chosen = _pick_consultant(slot, busy=busy, wanted=wanted, preferred=preferred)
    if slot.consultant_ids and chosen is None:
        raise _SlotFull
    draft.consultant_id = chosen
    # Written out (:mod:`secondcareer.core.sql`); the constraints still decide.
    insert_returning_pk(draft)
    if replacing is not None:
        replacing.rescheduled_to = draft
        replacing.save(update_fields=["rescheduled_to", "updated_at"])
    audit_log(actor=actor, action=AuditAction.CREATE, obj=draft, program_slug=draft.program.slug)
    return draft


def reservation_create(
    *,
    program: Program,
    seeker: Seeker,
    service: Service,
    start: dt.datetime,
    method: str,
    channel: str,
    actor: Any = None,
    venue: Venue | None = None,
    consultant_id: int | None = None,
    kind: ConsultationKind | None = None,
    topic: str = "",
    now: dt.datetime | None = None,
    _replacing: Reservation | None = None,
) -> Reservation:
    """Book ``seeker`` into the slot of ``service`` starting at ``start``.

    Raises :class:`DomainError`: ``full`` (409, with the nearest free alternatives in
    ``details``), ``overlap`` (409), ``no_slot``/``invalid``/``too_late``… (422)."""
    now = now or timezone.now()
    if timezone.is_naive(start):
        raise DomainError(
            _("開始日時にはタイムゾーンが必要です（例: 2027-01-06T10:00:00+09:00）。"),
            code="invalid",
            status=422,
        )
    if topic and topic not in Topic.values:
        raise DomainError(
            _("相談の分類が正しくありません。"),
            code="invalid",
            status=422,
            field_errors={"topic": [_("選択肢から選んでください。")]},
        )
    _validate(
        program=program, seeker=seeker, service=service, venue=venue, method=method, channel=channel
    )
    max_open = _check_policy(program=program, start=start, channel=channel, now=now)
    slot = find_slot(program=program, service=service, start=start, venue=venue)
    if slot is None:
        raise DomainError(
            _("%(when)s は予約を受け付けている枠ではありません。")
            % {"when": format_datetime_ja(start.astimezone(TOKYO))},
            code="no_slot",
            status=422,
        )
    preferred = assigned_consultant_id(seeker) if program.assigned_consultant else None
    draft = Reservation(
        program=program,
        seeker=seeker,
        service=service,
        venue=venue,
        kind=kind,
        method=method,
        channel=channel,
        starts_at=slot.start,
        ends_at=slot.end,
        topic=topic,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        cancel_token=secrets.token_urlsafe(24),
        video_room=_video_room(method),
    )
    for attempt in range(CONSULTANT_RETRIES + 1):
        try:
            with transaction.atomic():
                reservation = _book_in_transaction(
                    draft,
                    slot,
                    actor=actor,
                    now=now,
                    max_open=max_open,
                    wanted=consultant_id,
                    preferred=preferred,
                    replacing=_replacing,
                )
            if reservation is None:
                raise _SlotFull
        except _SlotFull:
            # After the transaction (a commit when nothing was written), so that the
            # write lock (SQLite) or row locks (PostgreSQL) are not held: a reason that concerns the seeker (already
            # booked at that time, too many bookings, not registered) says more than
            # 満席, which it would have been checked before if the seat had been free.
            if _replacing is None:
                _check_seeker(seeker, slot, now=now, max_open=max_open)
            raise _full_error(program=program, service=service, start=start, venue=venue) from None
        except IntegrityError as exc:
            # A concurrent booking won between our checks and our insert: the database
            # constraints (exclusion / unique / CHECK) refused this one.
            if "seeker" in str(exc):
                raise _overlap_error() from exc
            if consultant_id is not None and "consultant" in str(exc):
                # The consultant asked for was booked by someone else in the meantime.
                raise _consultant_unavailable() from exc
            if "consultant" in str(exc) and attempt < CONSULTANT_RETRIES:
                # The consultant this booking picked was taken at the same moment by a
                # booking of another slot (a consultant on two rotas): pick again.
                continue
            raise _full_error(program=program, service=service, start=start, venue=venue) from exc
        return reservation
    raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover


def _cancel_in_transaction(reservation: Reservation, *, now: dt.datetime) -> None:
    locked = Reservation.objects.select_for_update().get(pk=reservation.pk)
    if locked.status != ReservationStatus.CONFIRMED:
        raise DomainError(
            _("この予約はすでに取り消されているか、終了しています。"), code="conflict", status=409
        )
    locked.status = ReservationStatus.CANCELLED
    locked.cancelled_at = now
    locked.save(update_fields=["status", "cancelled_at", "updated_at"])
    _release_seat(locked)
    reservation.status, reservation.cancelled_at = locked.status, locked.cancelled_at


def _check_cutoff(reservation: Reservation, *, channel: str, now: dt.datetime) -> None:
    if channel not in SELF_SERVICE_CHANNELS:
        return
    policy = booking_policy(reservation.program)
    if reservation.starts_at - now < dt.timedelta(minutes=policy.cancel_cutoff_minutes):
        raise DomainError(
            _(
                "開始の%(cancel_cutoff_minutes)s分前を過ぎたため、ここでは取消・変更できません。お電話でご連絡ください。"
            )
            % {"cancel_cutoff_minutes": policy.cancel_cutoff_minutes},
            code="too_late",
            status=422,
        )


def reservation_cancel(
    *, reservation: Reservation, channel: str, actor: Any = None, now: dt.datetime | None = None
) -> Reservation:
    """Cancel and release the seat at once (visible to every channel)."""
    now = now or timezone.now()
    _check_cutoff(reservation, channel=channel, now=now)
    with transaction.atomic():
        _cancel_in_transaction(reservation, now=now)
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=reservation,
            program_slug=reservation.program.slug,
            note="cancel",
        )
    return reservation


def reservation_reschedule(
    *,
    reservation: Reservation,
    start: dt.datetime,
    channel: str,
    actor: Any = None,
    venue: Venue | None = None,
    method: str | None = None,
    now: dt.datetime | None = None,
) -> Reservation:
    """Move a booking. Atomic: the old seat is released only if the new one is taken;
    when the new slot is full the old reservation stays exactly as it was."""
    now = now or timezone.now()
    _check_cutoff(reservation, channel=channel, now=now)
    if reservation.status != ReservationStatus.CONFIRMED:
        raise DomainError(
            _("この予約はすでに取り消されているか、終了しています。"), code="conflict", status=409
        )
    try:
        return reservation_create(
            program=reservation.program,
            seeker=reservation.seeker,
            service=reservation.service,
            start=start,
            method=method or reservation.method,
            channel=channel,
            actor=actor,
            venue=venue if venue is not None else reservation.venue,
            kind=reservation.kind,
            topic=reservation.topic,
            now=now,
            _replacing=reservation,
        )
    except DomainError:
        # The database is unchanged; make the caller's object say so too (the cancel
        # inside the rolled-back transaction had set its status).
        reservation.refresh_from_db(
            fields=["status", "cancelled_at", "rescheduled_to", "updated_at"]
        )
        raise


def _mark(
    reservation: Reservation, status: str, *, actor: Any, now: dt.datetime | None
) -> Reservation:
    now = now or timezone.now()
    if reservation.starts_at > now:
        raise DomainError(_("開始前の予約には記録できません。"), code="invalid", status=422)
    with transaction.atomic():
        locked = Reservation.objects.select_for_update().get(pk=reservation.pk)
        if locked.status not in (
            ReservationStatus.CONFIRMED,
            ReservationStatus.ATTENDED,
            ReservationStatus.NO_SHOW,
        ):
            raise DomainError(
                _("取り消された予約には記録できません。"), code="conflict", status=409
            )
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            program_slug=locked.program.slug,
            note=status,
        )
    reservation.status = status
    return reservation


def reservation_mark_attended(
    *, reservation: Reservation, actor: Any, now: dt.datetime | None = None
) -> Reservation:
    return _mark(reservation, ReservationStatus.ATTENDED, actor=actor, now=now)


def reservation_mark_no_show(
    *, reservation: Reservation, actor: Any, now: dt.datetime | None = None
) -> Reservation:
    return _mark(reservation, ReservationStatus.NO_SHOW, actor=actor, now=now)


__all__ = [
    "booking_policy",
    "consultant_absence_mark",
    "reservation_cancel",
    "reservation_create",
    "reservation_mark_attended",
    "reservation_mark_no_show",
    "reservation_reassign",
    "reservation_reschedule",
    "reservations_import",
]


# --- Absence cover (Saitama ア(ア)d(b)) -----------------------------------------------------


# The cover list is the read-only selector's; recording the absence is the write.
CoverOption = AbsenceCover


def consultant_absence_mark(
    *, program: Program, consultant: Any, day: dt.date, actor: Any = None, note: str = ""
) -> list[AbsenceCover]:
    """Record that ``consultant`` is absent on ``day``; return their bookings that day
    with the colleagues free to take each one (not absent, not booked at that time, not
    rostered elsewhere at that time)."""
    with transaction.atomic():  # the absence and its audit entry, together or not at all
        absence_record(program=program, consultant=consultant, day=day, note=note)
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=consultant,
            program_slug=program.slug,
            note=f"absent {day.isoformat()}",
        )
    return absence_cover_options(program=program, consultant=consultant, day=day)


def reservation_reassign(
    *, reservation: Reservation, consultant: Any, actor: Any = None
) -> Reservation:
    """Give a booking to another consultant (absence cover). The database refuses it if
    that consultant is already booked at that time."""
    if reservation.status != ReservationStatus.CONFIRMED:
        raise DomainError(_("この予約は変更できません。"), code="conflict", status=409)
    is_consultant = Membership.objects.filter(
        user=consultant,
        program_id=reservation.program_id,
        role=Role.CONSULTANT,
        user__is_active=True,
    ).exists()
    if not is_consultant:
        raise DomainError(
            _("この事業のキャリアコンサルタントを選んでください。"),
            code="invalid",
            status=422,
            field_errors={"consultant": [_("この事業のキャリアコンサルタントではありません。")]},
        )
    clash = Reservation.objects.filter(
        ACTIVE,
        consultant=consultant,
        starts_at__lt=reservation.ends_at,
        ends_at__gt=reservation.starts_at,
    ).exclude(pk=reservation.pk)
    try:
        with transaction.atomic():
            if clash.exists():
                raise DomainError(
                    _("そのキャリアコンサルタントは同じ時間に別の予約があります。"),
                    code="conflict",
                    status=409,
                )
            Reservation.objects.filter(pk=reservation.pk).update(
                consultant=consultant, updated_at=timezone.now()
            )
            audit_log(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=reservation,
                program_slug=reservation.program.slug,
                note="reassign",
            )
    except IntegrityError as exc:
        raise DomainError(
            _("そのキャリアコンサルタントは同じ時間に別の予約があります。"),
            code="conflict",
            status=409,
        ) from exc
    reservation.consultant = consultant
    return reservation


# --- Importing bookings in bulk -----------------------------------------------------------


@dataclass(frozen=True)
class ReservationImport:
    """One booking for :func:`reservations_import`: made at ``booked_at`` through
    ``channel`` (taken by ``booked_by`` on the phone or at the desk) and, unless it is
    still confirmed, cancelled or recorded as attended or missed at ``closed_at`` by
    ``closed_by`` (for attended and no-show, by default the booking's consultant)."""

    seeker_id: int
    service_id: int
    venue_id: int | None
    start: dt.datetime
    method: str
    channel: str
    booked_at: dt.datetime
    booked_by: Any = None
    kind_id: int | None = None
    topic: str = ""
    status: str = ReservationStatus.CONFIRMED
    closed_at: dt.datetime | None = None
    closed_by: Any = None


@dataclass
class ReservationImportResult:
    created: list[Reservation] = field(default_factory=list)
    refused: list[tuple[int, DomainError]] = field(default_factory=list)  # (row index, why)


def _import_error(message: str, field_name: str, code: str = "invalid") -> DomainError:
    return DomainError(
        _("予約内容に誤りがあります。"), code=code, status=422, field_errors={field_name: [message]}
    )


def _import_row_error(
    row: ReservationImport,
    *,
    services: dict[int, Service],
    venues_of: dict[int, set[int]],
    kinds: set[int],
    now: dt.datetime,
) -> DomainError | None:
    """What :func:`reservation_create` and the cancel and mark services would refuse in
    ``row`` on their own, before seats and overlaps are counted."""
    service = services.get(row.service_id)
    if service is None:
        return _import_error("この事業の相談サービスではありません。", "service")
    if timezone.is_naive(row.start) or timezone.is_naive(row.booked_at):
        return _import_error("日時にはタイムゾーンが必要です。", "start")
    if row.channel not in _CHANNELS:
        return _import_error("予約経路が正しくありません。", "channel")
    if row.method not in (service.methods or []):
        labels = "、".join(service.method_labels())
        return _import_error(f"この相談の方法は {labels} から選んでください。", "method")
    if service.delivery == "venue":
        if row.venue_id is None:
            return _import_error("会場を選んでください。", "venue")
        if row.venue_id not in venues_of.get(service.pk, set()):
            return _import_error("この相談サービスを実施していない会場です。", "venue")
    elif row.venue_id is not None:
        return _import_error("オンライン相談に会場は指定できません。", "venue")
    if row.topic and row.topic not in _TOPICS:
        return _import_error("選択肢から選んでください。", "topic")
    if row.kind_id is not None and row.kind_id not in kinds:
        return _import_error("この事業の相談の種類ではありません。", "kind")
    if row.status not in _STATUSES:
        return _import_error("予約の状態が正しくありません。", "status")
    # Time: a booking is made before its slot, and nothing is recorded after now.
    if row.booked_at > now:
        return _import_error("予約日時が未来になっています。", "booked_at")
    if row.booked_at >= row.start:
        return DomainError(_("開始時刻を過ぎた枠は予約できません。"), code="past", status=422)
    if row.status == ReservationStatus.CONFIRMED:
        if row.closed_at is not None:
            return _import_error("予約済みの予約に終了日時は指定できません。", "closed_at")
        return None
    if row.closed_at is None:
        return _import_error("取消・来談・欠席の日時を指定してください。", "closed_at")
    if timezone.is_naive(row.closed_at) or not row.booked_at <= row.closed_at <= now:
        return _import_error("取消・来談・欠席の日時は予約日時から現在までです。", "closed_at")
    if row.status != ReservationStatus.CANCELLED and row.closed_at < row.start:
        return DomainError(_("開始前の予約には記録できません。"), code="invalid", status=422)
    return None


def _no_slot_error(start: dt.datetime) -> DomainError:
    return DomainError(
        _("%(when)s は予約を受け付けている枠ではありません。")
        % {"when": format_datetime_ja(start.astimezone(TOKYO))},
        code="no_slot",
        status=422,
    )


def _import_full_error(slot: Slot) -> DomainError:
    when = format_datetime_ja(slot.start.astimezone(TOKYO))
    return DomainError(_("%(when)s の枠は満席です。") % {"when": when}, code="full", status=409)


class _Busy:
    """Who is booked when: intervals per person, filed under every Tokyo date they
    touch, so a check reads one day's bookings instead of the whole year's."""

    def __init__(self) -> None:
        self._by: dict[tuple[int, dt.date], list[tuple[dt.datetime, dt.datetime]]] = defaultdict(
            list
        )

    @staticmethod
    def _dates(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
        first, last = start.astimezone(TOKYO).date(), end.astimezone(TOKYO).date()
        return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]

    def add(self, who: int, start: dt.datetime, end: dt.datetime) -> None:
        for day in self._dates(start, end):
            self._by[(who, day)].append((start, end))

    def overlaps(self, who: int, start: dt.datetime, end: dt.datetime) -> bool:
        return any(
            s < end and start < e
            for day in self._dates(start, end)
            for s, e in self._by.get((who, day), ())
        )


_CHANNELS = frozenset(Channel.values)
_TOPICS = frozenset(Topic.values)
_STATUSES = frozenset(ReservationStatus.values)


def reservations_import(
    *, program: Program, rows: Sequence[ReservationImport]
) -> ReservationImportResult:
    """Store many bookings at once, with their history: bookings handed over from
    another system, or the demo's year of synthetic history.

    Each row is checked as :func:`reservation_create` checks a booking made at its
    ``booked_at`` (a real slot of the program and its roster, the booking policy for
    self-service channels, the seat, no overlap for the seeker, a consultant on duty who
    is free, the assigned consultant kept where the program has one), and as the cancel
    and mark services check what became of it; nothing may be dated after now. A row
    that would be refused is left out and reported with the reason, as the single
    services would have answered it; rows are taken in the order given. The seat
    counters end up equal to the bookings that hold a seat, and one audit entry is
    written per booking and per cancellation or mark, as the single services write.

    One transaction, a few batched statements whatever the count. The seat counters of
    the dates concerned are locked (PostgreSQL); against a booking made at the same
    time the database constraints still decide, and the import then fails whole with
    an IntegrityError (nothing stored: run it again, or out of hours)."""
    result = ReservationImportResult()
    if not rows:
        return result
    now = timezone.now()
    services = {s.pk: s for s in Service.objects.filter(program=program).prefetch_related("venues")}
    venues_of = {pk: {v.pk for v in s.venues.all()} for pk, s in services.items()}
    kinds = set(ConsultationKind.objects.filter(program=program).values_list("pk", flat=True))
    # The program's own (no id list in the statement: an import may name 100,000).
    seekers = set(Seeker.objects.filter(program=program).values_list("pk", flat=True))
    first = min(r.start for r in rows).astimezone(TOKYO).date()
    last = max(r.start for r in rows).astimezone(TOKYO).date()
    slots = {
        (s.service_id, s.venue_id, s.start): s
        for s in generate_slots(
            program_calendar(program), first, last, roster=roster_for(program, first, last)
        )
    }
    begin = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(0), tzinfo=TOKYO)
    until = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(0), tzinfo=TOKYO)
    on_duty = {c for s in slots.values() for c in s.consultant_ids}
    policy = booking_policy(program)

    with transaction.atomic():
        counters = {
            (c.service_id, c.place, c.starts_at): c
            # Only the counters (of=self): a lock on the services would hold up every
            # booking's foreign-key check until the import commits.
            for c in SlotCounter.objects.select_for_update(of=("self",)).filter(
                service__program=program, starts_at__gte=begin, starts_at__lt=until
            )
        }
        seeker_busy, consultant_busy = _Busy(), _Busy()
        # For the open-bookings limit: (booked, starts, cancelled or None) per seeker.
        history: dict[int, list[tuple[dt.datetime, dt.datetime, dt.datetime | None]]] = defaultdict(
            list
        )
        for seeker_id, consultant_id, starts_at, ends_at in (
            Reservation.objects.filter(ACTIVE, starts_at__lt=until, ends_at__gt=begin)
            .filter(Q(program=program) | Q(consultant_id__in=on_duty))
            .values_list("seeker_id", "consultant_id", "starts_at", "ends_at")
        ):
            if seeker_id in seekers:  # a seeker of the program
                seeker_busy.add(seeker_id, starts_at, ends_at)
            if consultant_id is not None:
                consultant_busy.add(consultant_id, starts_at, ends_at)
        for seeker_id, created_at, starts_at, cancelled_at in Reservation.objects.filter(
            program=program, starts_at__gt=min(r.booked_at for r in rows)
        ).values_list("seeker_id", "created_at", "starts_at", "cancelled_at"):
            history[seeker_id].append((created_at, starts_at, cancelled_at))
        assigned: dict[int, tuple[dt.datetime, int]] = {}
        if program.assigned_consultant:
            for seeker_id, starts_at, consultant_id in (
                Reservation.objects.filter(ACTIVE, program=program, consultant__isnull=False)
                .order_by("starts_at")
                .values_list("seeker_id", "starts_at", "consultant_id")
            ):
                assigned[seeker_id] = (starts_at, consultant_id)

        added: dict[tuple[int, str, dt.datetime], int] = defaultdict(int)
        accepted: list[tuple[ReservationImport, Reservation]] = []
        for index, row in enumerate(rows):
            error = _import_row_error(
                row, services=services, venues_of=venues_of, kinds=kinds, now=now
            )
            if error is None and row.seeker_id not in seekers:
                error = unknown_seeker_error()
            slot = slots.get((row.service_id, row.venue_id, row.start))
            if error is None and row.channel in SELF_SERVICE_CHANNELS:
                try:
                    max_open = _check_policy(
                        program=program,
                        start=row.start,
                        channel=row.channel,
                        now=row.booked_at,
                        policy=policy,
                    )
                except DomainError as exc:
                    error = exc
                else:
                    held_open = sum(
                        booked <= row.booked_at < starts
                        and (cancelled is None or cancelled > row.booked_at)
                        for booked, starts, cancelled in history[row.seeker_id]
                    )
                    if max_open is not None and held_open >= max_open:
                        error = DomainError(
                            _("同時にお持ちいただける予約は%(max_open)s件までです。")
                            % {"max_open": max_open},
                            code="too_many",
                            status=409,
                        )
            if error is not None or slot is None:
                result.refused.append((index, error or _no_slot_error(row.start)))
                continue
            active = row.status != ReservationStatus.CANCELLED
            key = (slot.service_id, _place(slot.venue_id), slot.start)
            existing = counters.get(key)
            held = (existing.held if existing else 0) + added.get(key, 0)
            if active and held >= slot.capacity:
                result.refused.append((index, _import_full_error(slot)))
                continue
            if active and seeker_busy.overlaps(row.seeker_id, slot.start, slot.end):
                result.refused.append((index, _overlap_error()))
                continue
            busy = {
                c for c in slot.consultant_ids if consultant_busy.overlaps(c, slot.start, slot.end)
            }
            preferred = assigned.get(row.seeker_id, (None, None))[1]
            chosen = _pick_consultant(
                slot, busy=busy if active else set(), wanted=None, preferred=preferred
            )
            if active and slot.consultant_ids and chosen is None:
                result.refused.append((index, _import_full_error(slot)))
                continue
            if active:
                added[key] += 1
                seeker_busy.add(row.seeker_id, slot.start, slot.end)
                if chosen is not None:
                    consultant_busy.add(chosen, slot.start, slot.end)
                    if row.seeker_id not in assigned or assigned[row.seeker_id][0] <= slot.start:
                        assigned[row.seeker_id] = (slot.start, chosen)
            cancelled_at = row.closed_at if row.status == ReservationStatus.CANCELLED else None
            history[row.seeker_id].append((row.booked_at, slot.start, cancelled_at))
            reservation = Reservation(
                program=program,
                seeker_id=row.seeker_id,
                service_id=row.service_id,
                venue_id=row.venue_id,
                kind_id=row.kind_id,
                method=row.method,
                channel=row.channel,
                consultant_id=chosen,
                status=row.status,
                starts_at=slot.start,
                ends_at=slot.end,
                topic=row.topic,
                created_by=row.booked_by
                if getattr(row.booked_by, "is_authenticated", False)
                else None,
                cancelled_at=cancelled_at,
                cancel_token=secrets.token_urlsafe(24),
                video_room=_video_room(row.method),
            )
            accepted.append((row, reservation))

        created = Reservation.objects.bulk_create(
            [reservation for _line, reservation in accepted], batch_size=IMPORT_BATCH
        )
        _backdate(accepted)

        slot_of = {key: slots[(key[0], _venue_of(key[1]), key[2])] for key in added}
        SlotCounter.objects.bulk_create(
            [
                SlotCounter(
                    service_id=key[0],
                    place=key[1],
                    starts_at=key[2],
                    capacity=slot_of[key].capacity,
                    held=count,
                )
                for key, count in added.items()
                if key not in counters
            ],
            batch_size=IMPORT_BATCH,
        )
        changed = []
        for key, count in added.items():
            if key in counters:
                counter = counters[key]
                counter.held += count
                counter.capacity = slot_of[key].capacity
                changed.append(counter)
        SlotCounter.objects.bulk_update(changed, ["held", "capacity"], batch_size=IMPORT_BATCH)

        consultants = {
            u.pk: u
            for u in User.objects.filter(
                pk__in={r.consultant_id for r in created if r.consultant_id}
            )
        }
        items = [
            AuditItem(actor=row.booked_by, action=AuditAction.CREATE, obj=r) for row, r in accepted
        ]
        for row, reservation in accepted:
            if row.status == ReservationStatus.CONFIRMED:
                continue
            closer = row.closed_by
            if closer is None and row.status != ReservationStatus.CANCELLED:
                closer = consultants.get(reservation.consultant_id or 0)
            note = "cancel" if row.status == ReservationStatus.CANCELLED else row.status
            items.append(
                AuditItem(actor=closer, action=AuditAction.UPDATE, obj=reservation, note=note)
            )
        audit_log_bulk(items, program_slug=program.slug)
    result.created = created
    return result


def _backdate(accepted: list[tuple[ReservationImport, Reservation]]) -> None:
    """``created_at`` and ``updated_at`` are automatic (the moment of the INSERT); the
    imported history keeps when each booking was made and last changed. One statement
    run for every row (``executemany``): ``bulk_update``'s CASE expressions cost ten
    times as much Python for the same rows."""
    table = Reservation._meta.db_table
    when = connection.ops.adapt_datetimefield_value
    params = []
    for row, reservation in accepted:
        reservation.created_at = row.booked_at
        reservation.updated_at = row.closed_at or row.booked_at
        params.append((when(reservation.created_at), when(reservation.updated_at), reservation.pk))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET created_at = %s, updated_at = %s WHERE id = %s",  # noqa: S608 - table name from the model
            params,
        )


def _venue_of(place: str) -> int | None:
    return int(place[1:]) if place.startswith("v") else None


def reservation_mark_reminded(*, reservation: Reservation, at: dt.datetime) -> bool:
    """Record that the day-before reminder went out. Conditional, so a concurrent run
    that reminded it first is not counted twice: ``False`` then."""
    recorded = Reservation.objects.filter(pk=reservation.pk, reminder_sent_at__isnull=True).update(
        reminder_sent_at=at
    )
    reservation.reminder_sent_at = at
    return bool(recorded)


def reservation_book_from_web(
    *,
    program: Program,
    service: Service,
    venue: Venue | None,
    start: dt.datetime,
    method: str,
    family_name: str,
    given_name: str,
    family_name_kana: str,
    given_name_kana: str,
    birth_date: dt.date,
    phone: str,
    privacy_version: str,
) -> Reservation:
    """The public booking form's use case: recognise the seeker (kana, birth date and
    phone) or register them, record the privacy consent they ticked, and book — all or
    nothing, so a booking that fails (a full slot) leaves no half-registered seeker."""
    with transaction.atomic():
        seeker = seeker_match_for_booking(
            program=program,
            family_name_kana=family_name_kana,
            given_name_kana=given_name_kana,
            birth_date=birth_date,
            phone=phone,
        )
        if seeker is None:
            seeker = seeker_register(
                program=program,
                actor=None,
                channel=RegistrationChannel.WEB,
                family_name=family_name,
                given_name=given_name,
                family_name_kana=family_name_kana,
                given_name_kana=given_name_kana,
                birth_date=birth_date,
                phone=phone,
                consents=[
                    ConsentInput(
                        kind=ConsentKind.PRIVACY,
                        version=privacy_version,
                        method=ConsentMethod.WEB_FORM,
                    )
                ],
            )
        else:
            # They ticked the privacy notice on this form too: keep that as evidence.
            consent_record(
                seeker=seeker,
                kind=ConsentKind.PRIVACY,
                version=privacy_version,
                method=ConsentMethod.WEB_FORM,
                granted=True,
                actor=None,
            )
        return reservation_create(
            program=program,
            seeker=seeker,
            service=service,
            start=start,
            venue=venue,
            method=method,
            channel=Channel.WEB,
        )
