"""Writes for case records: one function per use case, each in one transaction with
its audit entries (docs/consultations.md, ADR 0023).

- :func:`consultation_record_create` — one session (or no-show), pre-filled from its
  reservation; the first consultation of a seeker opens their case and schedules the
  first review.
- :func:`consultation_group_record` — a group session (巡回相談): many seekers at once,
  in bulk.
- :func:`case_assign`, :func:`case_close`.
- :func:`plan_draft_save`, :func:`plan_approve`, :func:`plan_revise` — plan versions;
  an approval supersedes the current version and completes the review that is due.
- :func:`review_complete` — a recorded review outcome; schedules the next review.
- :func:`topics_from_preset` — the preset load's writer of ``consultation_topics``.
- :func:`inactivity_check_record` — a call or postcard to a seeker out of contact, with
  the employment status it found; only a call that reached them counts as contact.
- :func:`case_share`, :func:`case_share_revoke` — a case shared with another consultant
  of the program (and the share ended, its row kept).
- :func:`referral_create`, :func:`referral_outcome_record` — a referral to a public
  support body (Kobe Ⅲ-2) and what came of it.
- :func:`consultations_from_preset` — the preset load's writer: ``consultation_topics``
  (:func:`topics_from_preset`) and ``support_bodies`` (:func:`support_bodies_from_preset`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.booking.models import Reservation, ReservationStatus
from secondcareer.booking.services import reservation_mark_attended, reservation_mark_no_show
from secondcareer.consultations.access import may_share_case
from secondcareer.consultations.models import (
    Attendance,
    Case,
    CaseAssignment,
    CaseShare,
    Channel,
    CheckMethod,
    ConsultationRecord,
    ConsultationTopic,
    EmploymentStatus,
    InactivityCheck,
    PlanStatus,
    RecordTopic,
    ReferralOutcome,
    Review,
    SupportBody,
    SupportPlan,
    SupportReferral,
)
from secondcareer.consultations.reviews import ReviewKind, review_due
from secondcareer.core.audit import AuditItem, audit_log, audit_log_bulk
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditAction
from secondcareer.people.access import has_program_perm, program_roles
from secondcareer.people.models import Role, Seeker
from secondcareer.programs.choices import Method
from secondcareer.programs.models import Area, ConsultationKind, Program
from secondcareer.programs.preset_format import ProgramPreset
from secondcareer.programs.services import PresetSync

MAX_MINUTES = 600
MANAGER_REVIEW_PERM = "consultations.approve_manager_review"


def _invalid(message: str, field: str) -> DomainError:
    return DomainError(message, code="invalid", status=422, field_errors={field: [message]})


def local_date(moment: dt.datetime) -> dt.date:
    """The Japanese calendar day of ``moment``."""
    return timezone.localtime(moment, TOKYO).date()


def _today(now: dt.datetime | None = None) -> dt.date:
    return local_date(now or timezone.now())


# --- the preset's taxonomy ------------------------------------------------------------


def topics_from_preset(sync: PresetSync, program: Program, preset: ProgramPreset) -> None:
    """Make the program's topics the preset's ``consultation_topics`` (registered with
    :func:`~secondcareer.programs.services.register_preset_writer`; runs inside
    ``program_load_preset``'s transaction). A topic in use cannot be removed."""
    sync.rows(
        ConsultationTopic,
        program.consultation_topics.all(),
        lambda t: t.code,
        [
            (
                t.code,
                {
                    "program_id": program.pk,
                    "code": t.code,
                    "name": t.name,
                    "description": t.description,
                    "suggests_referral": t.suggests_referral,
                },
            )
            for t in preset.consultation_topics
        ],
    )


def support_bodies_from_preset(sync: PresetSync, program: Program, preset: ProgramPreset) -> None:
    """Make the program's public support bodies the preset's ``support_bodies``, with the
    areas each serves. A body that referrals name cannot be removed (the load is refused
    and nothing changes)."""
    bodies = sync.rows(
        SupportBody,
        program.support_bodies.all(),
        lambda b: b.code,
        [
            (
                b.code,
                {
                    "program_id": program.pk,
                    "code": b.code,
                    "name": b.name,
                    "kind": b.kind,
                    "phone": b.phone,
                    "address": b.address,
                    "hours": b.hours,
                    "note": b.note,
                },
            )
            for b in preset.support_bodies
        ],
    )
    areas = {a.code: a for a in Area.objects.filter(program=program)}
    for b in preset.support_bodies:
        sync.links(bodies[b.code], "areas", [areas[code] for code in b.areas])


def consultations_from_preset(sync: PresetSync, program: Program, preset: ProgramPreset) -> None:
    """The consultations app's writer of every preset load (registered in ``ready()``
    with :func:`~secondcareer.programs.services.register_preset_writer`)."""
    topics_from_preset(sync, program, preset)
    support_bodies_from_preset(sync, program, preset)


# --- checks shared by the use cases ---------------------------------------------------------


@dataclass(frozen=True)
class _Session:
    """The validated fields of a consultation, whoever it is recorded for."""

    kind: ConsultationKind
    method: str
    channel: str
    consultant: Any
    start: dt.datetime
    minutes: int
    topics: tuple[ConsultationTopic, ...]


def _kind(program: Program, code: str | None) -> ConsultationKind:
    kinds = list(program.consultation_kinds.all())
    if not code:
        if len(kinds) == 1:
            return kinds[0]
        raise _invalid(_("相談の種類を指定してください。"), "kind")
    for kind in kinds:
        if kind.code == code:
            return kind
    raise _invalid(
        _("相談の種類 %(code)s はこの事業にありません（%(known)s のいずれか）。")
        % {"code": code, "known": ", ".join(k.code for k in kinds)},
        "kind",
    )


def _topics(program: Program, codes: Sequence[str]) -> tuple[ConsultationTopic, ...]:
    if isinstance(codes, str):
        codes = [codes]
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return ()
    found = {t.code: t for t in ConsultationTopic.objects.filter(program=program, code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise _invalid(
            _("相談の話題 %(codes)s はこの事業の分類にありません。")
            % {"codes": ", ".join(unknown)},
            "topics",
        )
    return tuple(found[code] for code in wanted)


def _consultant(program: Program, user: Any) -> Any:
    if user is None:
        return None
    if not program_roles(user, program) & {Role.CONSULTANT, Role.MANAGER}:
        raise _invalid(
            _("%(name)s さんはこの事業のキャリアコンサルタントではありません。")
            % {"name": user.get_username()},
            "consultant",
        )
    return user


def _session(
    *,
    program: Program,
    kind: str | None,
    method: str | None,
    channel: str | None,
    consultant: Any,
    start: dt.datetime | None,
    minutes: int | None,
    topics: Sequence[str],
    now: dt.datetime,
) -> _Session:
    if start is None:
        raise _invalid(_("相談の開始日時を指定してください。"), "start")
    if timezone.is_naive(start):
        raise _invalid(
            _("開始日時にはタイムゾーンが必要です（例: 2027-01-06T10:00:00+09:00）。"), "start"
        )
    if start > now:
        raise _invalid(_("まだ始まっていない相談は記録できません。"), "start")
    if not isinstance(method, str) or method not in Method.values:
        raise _invalid(
            _("相談方法は %(choices)s のいずれかで指定してください。")
            % {"choices": ", ".join(Method.values)},
            "method",
        )
    if channel is None:
        channel = Channel.VENUE if method == Method.IN_PERSON else Channel.ONLINE
    if channel not in Channel.values:
        raise _invalid(
            _("実施場所は %(choices)s のいずれかで指定してください。")
            % {"choices": ", ".join(Channel.values)},
            "channel",
        )
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= MAX_MINUTES:
        raise _invalid(
            _("相談時間は0〜%(max)s分の整数で指定してください。") % {"max": MAX_MINUTES}, "minutes"
        )
    return _Session(
        kind=_kind(program, kind),
        method=method,
        channel=channel,
        consultant=_consultant(program, consultant),
        start=start,
        minutes=minutes,
        topics=_topics(program, topics),
    )


def _seeker_in(program: Program, seeker: Seeker) -> None:
    if seeker.program_id != program.pk:
        raise DomainError(
            _("この事業に登録された利用者ではありません。"), code="not_found", status=404
        )


def _attendance(value: str) -> str:
    if value not in Attendance.values:
        raise _invalid(
            _("来談は %(choices)s のいずれかで指定してください。")
            % {"choices": ", ".join(Attendance.values)},
            "attendance",
        )
    return value


# --- cases and their reviews -----------------------------------------------------------------


def _review_for(case: Case, number: int) -> Review | None:
    """Review ``number`` of ``case`` as the preset schedules it (unsaved)."""
    if case.anchor_on is None:
        return None
    due = review_due(case.program.plan_review_months or [], case.anchor_on, number)
    if due is None:
        return None
    return Review(case=case, number=due.number, months=due.months, kind=due.kind, due_on=due.due_on)


def _new_case(
    *, program: Program, seeker: Seeker, consultant: Any, anchor_on: dt.date, opened_on: dt.date
) -> Case:
    return Case(
        program=program,
        seeker=seeker,
        consultant=consultant,
        opened_on=min(opened_on, anchor_on),
        anchor_on=anchor_on,
    )


def _open_cases(program: Program, seeker_ids: Sequence[int]) -> dict[int, Case]:
    """The open cases of the seekers, after locking the seekers' rows (in id order), so
    two first consultations of one seeker recorded at once cannot both open a case."""
    list(
        Seeker.objects.select_for_update()
        .filter(pk__in=seeker_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    cases = Case.objects.select_for_update().filter(
        program=program, seeker_id__in=seeker_ids, closed_on__isnull=True
    )
    return {case.seeker_id: case for case in cases}


def _move_anchor(case: Case, day: dt.date) -> bool:
    """A consultation earlier than the case's anchor (a record entered late) becomes the
    anchor; the open review's due date follows. True when the case changed."""
    if case.anchor_on is not None and case.anchor_on <= day:
        return False
    case.anchor_on = day
    case.opened_on = min(case.opened_on, day)
    case.save(update_fields=["anchor_on", "opened_on"])
    for review in case.reviews.filter(done_on__isnull=True):
        due = review_due(case.program.plan_review_months or [], day, review.number)
        if due is not None and due.due_on != review.due_on:
            review.due_on = due.due_on
            review.save(update_fields=["due_on"])
    return True


def _case_opened(case: Case, *, actor: Any, now: dt.datetime) -> None:
    """The rows that come with a new case: its first assignment and its first review."""
    CaseAssignment.objects.create(
        case=case, consultant=case.consultant, assigned_at=now, assigned_by=actor
    )
    review = _review_for(case, 1)
    if review is not None:
        review.save()


# --- consultation records --------------------------------------------------------------------


def consultation_record_create(
    *,
    program: Program,
    seeker: Seeker,
    actor: Any,
    reservation: Reservation | None = None,
    kind: str | None = None,
    method: str | None = None,
    channel: str | None = None,
    consultant: Any = None,
    start: dt.datetime | None = None,
    minutes: int | None = None,
    topics: Sequence[str] = (),
    notes: str = "",
    next_action: str = "",
    next_contact_on: dt.date | None = None,
    attendance: str = Attendance.ATTENDED,
    now: dt.datetime | None = None,
) -> ConsultationRecord:
    """Record one consultation of ``seeker`` (a past ``start`` is fine: records are
    often written after the session). With a ``reservation``, every field not given is
    taken from it and the reservation is marked attended or no-show.

    An attended consultation goes into the seeker's open case; if none is open, it
    opens one, anchored on the day of this consultation, with the first review the
    preset schedules. ``kind`` is a consultation kind code of the program."""
    now = now or timezone.now()
    _seeker_in(program, seeker)
    attendance = _attendance(attendance)
    if reservation is not None:
        if reservation.program_id != program.pk or reservation.seeker_id != seeker.pk:
            raise _invalid(_("この利用者の予約ではありません。"), "reservation")
        if reservation.status == ReservationStatus.CANCELLED:
            raise DomainError(
                _("取り消された予約には記録できません。"), code="conflict", status=409
            )
        kind = kind or (reservation.kind.code if reservation.kind else None)
        method = method or reservation.method
        if channel is None:
            channel = Channel.VENUE if reservation.venue_id else Channel.ONLINE
        consultant = consultant or reservation.consultant
        start = start or reservation.starts_at
        if minutes is None:
            slot = int((reservation.ends_at - reservation.starts_at).total_seconds() // 60)
            minutes = reservation.service.session_minutes or slot
    if minutes is None:
        raise _invalid(_("相談時間（分）を指定してください。"), "minutes")
    session = _session(
        program=program,
        kind=kind,
        method=method,
        channel=channel,
        consultant=consultant if consultant is not None else _default_consultant(program, actor),
        start=start,
        minutes=minutes,
        topics=topics,
        now=now,
    )
    day = local_date(session.start)
    with transaction.atomic():
        if reservation is not None:
            if ConsultationRecord.objects.filter(reservation=reservation).exists():
                raise DomainError(
                    _("この予約の相談記録はすでにあります。"), code="conflict", status=409
                )
            mark = (
                reservation_mark_attended
                if attendance == Attendance.ATTENDED
                else reservation_mark_no_show
            )
            mark(reservation=reservation, actor=actor, now=now)
        case = _open_cases(program, [seeker.pk]).get(seeker.pk)
        if case is None and attendance == Attendance.ATTENDED:
            case = _new_case(
                program=program,
                seeker=seeker,
                consultant=session.consultant,
                anchor_on=day,
                opened_on=_today(now),
            )
            case.save()
            _case_opened(case, actor=actor, now=now)
            audit_log(actor=actor, action=AuditAction.CREATE, obj=case, program_slug=program.slug)
        elif case is not None and attendance == Attendance.ATTENDED:
            _move_anchor(case, day)
        record = ConsultationRecord.objects.create(
            program=program,
            seeker=seeker,
            case=case,
            reservation=reservation,
            kind=session.kind,
            method=session.method,
            channel=session.channel,
            consultant=session.consultant,
            started_at=session.start,
            minutes=session.minutes,
            attendance=attendance,
            notes=notes.strip(),
            next_action=next_action.strip(),
            next_contact_on=next_contact_on,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        RecordTopic.objects.bulk_create(
            [RecordTopic(record=record, topic=topic) for topic in session.topics]
        )
        audit_log(
            actor=actor,
            action=AuditAction.CREATE,
            obj=record,
            program_slug=program.slug,
            note=attendance,
        )
    return record


def _default_consultant(program: Program, actor: Any) -> Any:
    """Whoever records a consultation held it, unless they are not a consultant."""
    if actor is not None and program_roles(actor, program) & {Role.CONSULTANT, Role.MANAGER}:
        return actor
    return None


def consultation_group_record(
    *,
    program: Program,
    actor: Any,
    attended: Sequence[Seeker],
    no_show: Sequence[Seeker] = (),
    start: dt.datetime,
    minutes: int,
    kind: str | None = None,
    method: str = Method.IN_PERSON,
    channel: str = Channel.VENUE,
    consultant: Any = None,
    topics: Sequence[str] = (),
    now: dt.datetime | None = None,
) -> list[ConsultationRecord]:
    """Record a group session (巡回相談, グループ相談) for many seekers in one call:
    one record each, attended or no-show, sharing a ``group`` id, written in bulk (a
    fixed number of statements whatever the number of seekers). Attended seekers with no
    open case get one, as with :func:`consultation_record_create`. Notes are per person
    and are written on each record afterwards, never shared across a group."""
    now = now or timezone.now()
    everyone = [*attended, *no_show]
    if not everyone:
        raise _invalid(_("出席者を1人以上指定してください。"), "attended")
    ids = [s.pk for s in everyone]
    if len(set(ids)) != len(ids):
        raise _invalid(_("同じ利用者が2回指定されています。"), "attended")
    for seeker in everyone:
        _seeker_in(program, seeker)
    session = _session(
        program=program,
        kind=kind,
        method=method,
        channel=channel,
        consultant=consultant if consultant is not None else _default_consultant(program, actor),
        start=start,
        minutes=minutes,
        topics=topics,
        now=now,
    )
    day = local_date(start)
    group = uuid.uuid4()
    came = {s.pk for s in attended}
    recorder = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        cases = _open_cases(program, ids)
        new_cases = [
            _new_case(
                program=program,
                seeker=seeker,
                consultant=session.consultant,
                anchor_on=day,
                opened_on=_today(now),
            )
            for seeker in attended
            if seeker.pk not in cases
        ]
        Case.objects.bulk_create(new_cases)
        CaseAssignment.objects.bulk_create(
            [
                CaseAssignment(
                    case=case, consultant=case.consultant, assigned_at=now, assigned_by=actor
                )
                for case in new_cases
            ]
        )
        Review.objects.bulk_create(
            [review for case in new_cases if (review := _review_for(case, 1)) is not None]
        )
        for seeker in attended:
            if seeker.pk in cases:
                _move_anchor(cases[seeker.pk], day)  # only a late entry writes anything
        cases.update({case.seeker_id: case for case in new_cases})
        records = ConsultationRecord.objects.bulk_create(
            [
                ConsultationRecord(
                    program=program,
                    seeker=seeker,
                    case=cases.get(seeker.pk),
                    kind=session.kind,
                    method=session.method,
                    channel=session.channel,
                    consultant=session.consultant,
                    started_at=session.start,
                    minutes=session.minutes,
                    attendance=Attendance.ATTENDED if seeker.pk in came else Attendance.NO_SHOW,
                    group=group,
                    created_by=recorder,
                )
                for seeker in everyone
            ]
        )
        RecordTopic.objects.bulk_create(
            [
                RecordTopic(record=record, topic=topic)
                for record in records
                for topic in session.topics
            ]
        )
        audit_log_bulk(
            [AuditItem(actor=actor, action=AuditAction.CREATE, obj=case) for case in new_cases]
            + [
                AuditItem(actor=actor, action=AuditAction.CREATE, obj=r, note=r.attendance)
                for r in records
            ],
            program_slug=program.slug,
        )
    return records


# --- cases -----------------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    locked = Case.objects.select_for_update().select_related("program").get(pk=case.pk)
    if locked.closed_on is not None:
        raise DomainError(_("終結したケースは変更できません。"), code="conflict", status=409)
    return locked


def case_assign(
    *, case: Case, consultant: Any, actor: Any, note: str = "", now: dt.datetime | None = None
) -> Case:
    """Give ``case`` to ``consultant`` (None: nobody for now), keeping the change as a
    history row. Assigning the same consultant again changes nothing."""
    now = now or timezone.now()
    consultant = _consultant(case.program, consultant)
    with transaction.atomic():
        locked = _locked(case)
        if locked.consultant_id == (consultant.pk if consultant is not None else None):
            return locked
        locked.consultant = consultant
        locked.save(update_fields=["consultant"])
        CaseAssignment.objects.create(
            case=locked, consultant=consultant, assigned_at=now, assigned_by=actor, note=note
        )
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            program_slug=locked.program.slug,
            note="assign",
        )
    return locked


def case_close(*, case: Case, actor: Any, reason: str = "", on: dt.date | None = None) -> Case:
    """Close ``case``. Its open review is no longer due; a new consultation later opens
    a new case."""
    on = on or _today()
    with transaction.atomic():
        locked = _locked(case)
        if on < locked.opened_on:
            raise _invalid(_("終結日はケースの開始日より前にはできません。"), "on")
        locked.closed_on = on
        locked.close_reason = reason.strip()[:200]
        locked.save(update_fields=["closed_on", "close_reason"])
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            program_slug=locked.program.slug,
            note="close",
        )
    return locked


# --- sharing a case ---------------------------------------------------------------------------


def _forbidden(message: str) -> DomainError:
    return DomainError(message, code="forbidden", status=403)


def _check_sharer(case: Case, actor: Any) -> None:
    """A manager of the program, or the case's own consultant, shares and ends shares."""
    if may_share_case(actor, case):
        return
    raise _forbidden(
        _("ケースを共有できるのは、担当のキャリアコンサルタントと運営管理責任者だけです。")
    )


def case_share(
    *, case: Case, shared_with: Any, actor: Any, reason: str = "", now: dt.datetime | None = None
) -> CaseShare:
    """Share ``case`` with ``shared_with``, a consultant of the same program: from now on
    they see it (records, notes, plans, chat) as its consultant does, until the share is
    ended with :func:`case_share_revoke`."""
    now = now or timezone.now()
    reason = reason.strip()
    if len(reason) > 200:
        raise _invalid(_("共有の理由は200文字以内で入力してください。"), "reason")
    with transaction.atomic():
        locked = _locked(case)
        _check_sharer(locked, actor)
        if shared_with is None or Role.CONSULTANT not in program_roles(shared_with, locked.program):
            raise _invalid(
                _("共有できるのは、この事業のキャリアコンサルタントだけです。"), "consultant"
            )
        if shared_with.pk == locked.consultant_id:
            raise _invalid(
                _("%(name)s さんはこのケースの担当です。共有する必要はありません。")
                % {"name": shared_with.get_username()},
                "consultant",
            )
        if CaseShare.objects.filter(
            case=locked, shared_with=shared_with, ended_at__isnull=True
        ).exists():
            raise DomainError(
                _("%(name)s さんにはすでに共有しています。") % {"name": shared_with.get_username()},
                code="conflict",
                status=409,
                field_errors={"consultant": [_("すでに共有しています。")]},
            )
        share = CaseShare.objects.create(
            case=locked,
            shared_with=shared_with,
            shared_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=now,
            reason=reason,
        )
        audit_log(
            actor=actor,
            action=AuditAction.CREATE,
            obj=share,
            program_slug=locked.program.slug,
            note="share",
        )
    return share


def case_share_revoke(*, share: CaseShare, actor: Any, now: dt.datetime | None = None) -> CaseShare:
    """End ``share``: its consultant no longer sees the case. The row is kept (who could
    see the case, from when to when). A closed case's share can be ended too."""
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("program").get(pk=share.case_id)
        _check_sharer(case, actor)
        locked = CaseShare.objects.select_for_update().get(pk=share.pk)
        if locked.ended_at is not None:
            raise DomainError(_("この共有はすでに終了しています。"), code="conflict", status=409)
        locked.ended_at = max(now, locked.created_at)
        locked.ended_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.save(update_fields=["ended_at", "ended_by"])
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            program_slug=case.program.slug,
            note="share_revoke",
        )
    return locked


# --- referrals to public support bodies --------------------------------------------------------

REFERRAL_REASON_MAX = 2000


def referral_create(
    *,
    case: Case,
    body: SupportBody | None,
    actor: Any,
    reason: str,
    on: dt.date | None = None,
) -> SupportReferral:
    """Record that ``case`` was referred to the public support body ``body`` (of the
    case's program) on ``on`` (default today), for ``reason``. Its outcome is pending
    until :func:`referral_outcome_record`."""
    on = on or _today()
    reason = reason.strip()
    if body is None or body.program_id != case.program_id:
        raise _invalid(_("この事業の公的支援機関を一覧から選んでください。"), "body")
    if not reason:
        raise _invalid(_("紹介の理由を入力してください。"), "reason")
    if len(reason) > REFERRAL_REASON_MAX:
        raise _invalid(
            _("紹介の理由は%(max)s文字以内で入力してください。") % {"max": REFERRAL_REASON_MAX},
            "reason",
        )
    with transaction.atomic():
        locked = _locked(case)
        _check_day(locked, on, "referred_on")
        referral = SupportReferral.objects.create(
            case=locked,
            body=body,
            reason=reason,
            referred_on=on,
            referred_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_log(
            actor=actor,
            action=AuditAction.CREATE,
            obj=referral,
            program_slug=locked.program.slug,
            note="referral",
        )
    return referral


def referral_outcome_record(
    *,
    referral: SupportReferral,
    actor: Any,
    outcome: str,
    note: str = "",
    on: dt.date | None = None,
) -> SupportReferral:
    """Record what came of ``referral`` (connected, declined, unreachable — or back to
    pending), found on ``on`` (default today). It can be changed later: a seeker who
    could not be reached may be connected after all."""
    on = on or _today()
    note = note.strip()
    if outcome not in ReferralOutcome.values:
        raise _invalid(
            _("結果は %(choices)s のいずれかで指定してください。")
            % {"choices": ", ".join(ReferralOutcome.values)},
            "outcome",
        )
    if len(note) > REFERRAL_REASON_MAX:
        raise _invalid(
            _("結果の記録は%(max)s文字以内で入力してください。") % {"max": REFERRAL_REASON_MAX},
            "note",
        )
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("program").get(pk=referral.case_id)
        locked = SupportReferral.objects.select_for_update().get(pk=referral.pk)
        if outcome == ReferralOutcome.PENDING:
            locked.outcome_on = None
        else:
            if on > _today():
                raise _invalid(_("未来の日付は指定できません。"), "outcome_on")
            if on < locked.referred_on:
                raise _invalid(_("結果の確認日は紹介日より前にはできません。"), "outcome_on")
            locked.outcome_on = on
        locked.outcome = outcome
        locked.outcome_note = note
        locked.outcome_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.save(update_fields=["outcome", "outcome_on", "outcome_note", "outcome_by"])
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            program_slug=case.program.slug,
            note="referral_outcome",
        )
    return locked


# --- reviews -------------------------------------------------------------------------------


def _open_review(case: Case) -> Review | None:
    return case.reviews.select_for_update().filter(done_on__isnull=True).first()


def _check_reviewer(case: Case, review: Review, actor: Any) -> None:
    if review.kind == ReviewKind.MANAGER and not has_program_perm(
        actor, case.program, MANAGER_REVIEW_PERM
    ):
        raise DomainError(
            _(
                "初回相談から%(months)sか月の見直しは、運営管理責任者または副管理者が行います。"
                "支援計画は下書きとして保存し、承認を依頼してください。"
            )
            % {"months": review.months},
            code="manager_approval_required",
            status=403,
        )


def _complete(
    review: Review, *, actor: Any, on: dt.date, outcome: str, plan: SupportPlan | None
) -> Review | None:
    """Mark ``review`` done and schedule the next one; returns the next."""
    review.done_on = on
    review.outcome = outcome
    review.done_by = actor if getattr(actor, "is_authenticated", False) else None
    review.plan = plan
    review.save(update_fields=["done_on", "outcome", "done_by", "plan"])
    nxt = _review_for(review.case, review.number + 1)
    if nxt is not None:
        nxt.save()
    return nxt


def _check_day(case: Case, on: dt.date, field: str) -> None:
    if on > _today():
        raise _invalid(_("未来の日付は指定できません。"), field)
    if on < case.opened_on:
        raise _invalid(_("ケースの開始日より前の日付は指定できません。"), field)


def review_complete(
    *, review: Review, actor: Any, outcome: str, on: dt.date | None = None
) -> Review:
    """Record the outcome of the case's open review (done on ``on``, default today) and
    schedule the next one the preset gives. A manager's review needs a manager."""
    on = on or _today()
    outcome = outcome.strip()
    if not outcome:
        raise _invalid(_("見直しの結果を入力してください。"), "outcome")
    with transaction.atomic():
        case = _locked(review.case)
        locked = _open_review(case)
        if locked is None or locked.pk != review.pk:
            raise DomainError(_("この見直しはすでに実施済みです。"), code="conflict", status=409)
        locked.case = case
        _check_reviewer(case, locked, actor)
        _check_day(case, on, "on")
        _complete(locked, actor=actor, on=on, outcome=outcome, plan=None)
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            program_slug=case.program.slug,
            note="review_complete",
        )
    return locked


# --- support plans ---------------------------------------------------------------------------


def _plan_fields(goals: str, steps: Sequence[str]) -> tuple[str, list[str]]:
    goals = goals.strip()
    if not goals:
        raise _invalid(_("支援計画の目標を入力してください。"), "goals")
    if isinstance(steps, str) or not all(isinstance(s, str) for s in steps):
        raise _invalid(_("支援の手順は文の一覧で指定してください。"), "steps")
    return goals, [s.strip() for s in steps if s.strip()]


def plan_draft_save(
    *,
    case: Case,
    actor: Any,
    goals: str,
    steps: Sequence[str] = (),
    target_on: dt.date | None = None,
) -> SupportPlan:
    """Write the case's draft plan (the next version), or change the draft there is."""
    goals, clean_steps = _plan_fields(goals, steps)
    with transaction.atomic():
        locked = _locked(case)
        draft = locked.plans.select_for_update().filter(status=PlanStatus.DRAFT).first()
        if draft is None:
            last = locked.plans.aggregate(last=Max("version"))["last"] or 0
            draft = SupportPlan.objects.create(
                case=locked,
                version=last + 1,
                goals=goals,
                steps=clean_steps,
                target_on=target_on,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            action = AuditAction.CREATE
        else:
            draft.goals, draft.steps, draft.target_on = goals, clean_steps, target_on
            draft.save(update_fields=["goals", "steps", "target_on"])
            action = AuditAction.UPDATE
        audit_log(actor=actor, action=action, obj=draft, program_slug=locked.program.slug)
    return draft


def plan_approve(*, plan: SupportPlan, actor: Any, on: dt.date | None = None) -> SupportPlan:
    """Approve the draft ``plan``: it becomes the current version and the one before it
    is superseded. If the case's open review is due by ``on``, the approval completes it
    (a manager's review needs a manager's approval) and the next review is scheduled."""
    on = on or _today()
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise DomainError(_("支援計画の承認には承認者が必要です。"), code="forbidden", status=403)
    with transaction.atomic():
        case = _locked(plan.case)
        locked = SupportPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != PlanStatus.DRAFT:
            raise DomainError(
                _("承認できるのは下書きの支援計画だけです。"), code="conflict", status=409
            )
        _check_day(case, on, "on")
        review = _open_review(case)
        due = review if review is not None and review.due_on <= on else None
        if due is not None:
            due.case = case
            _check_reviewer(case, due, actor)
        # The superseded version leaves "approved" before the new one enters it: the
        # partial unique index allows one current version at every moment.
        case.plans.filter(status=PlanStatus.APPROVED).update(
            status=PlanStatus.SUPERSEDED, superseded_on=on
        )
        locked.status = PlanStatus.APPROVED
        locked.approved_by = actor
        locked.approved_on = on
        locked.save(update_fields=["status", "approved_by", "approved_on"])
        if locked.target_on is not None and case.target_on != locked.target_on:
            case.target_on = locked.target_on
            case.save(update_fields=["target_on"])
        if due is not None:
            _complete(
                due,
                actor=actor,
                on=on,
                outcome=_("支援計画を第%(version)s版に改訂") % {"version": locked.version},
                plan=locked,
            )
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            program_slug=case.program.slug,
            note="approve",
        )
    return locked


def plan_revise(
    *,
    case: Case,
    actor: Any,
    goals: str,
    steps: Sequence[str] = (),
    target_on: dt.date | None = None,
    on: dt.date | None = None,
) -> SupportPlan:
    """Write a new version of the case's plan and approve it at once (the first plan
    too): :func:`plan_draft_save` then :func:`plan_approve`, in one transaction. When
    the approval is refused (a manager's review is due), nothing is saved."""
    with transaction.atomic():
        draft = plan_draft_save(
            case=case, actor=actor, goals=goals, steps=steps, target_on=target_on
        )
        return plan_approve(plan=draft, actor=actor, on=on)


__all__ = [
    "case_assign",
    "case_close",
    "case_share",
    "case_share_revoke",
    "consultation_group_record",
    "consultation_record_create",
    "consultations_from_preset",
    "plan_approve",
    "plan_draft_save",
    "plan_revise",
    "referral_create",
    "referral_outcome_record",
    "review_complete",
    "support_bodies_from_preset",
    "topics_from_preset",
]


# --- the inactivity follow-up -----------------------------------------------------------------


def inactivity_check_record(
    *,
    program: Program,
    seeker: Seeker,
    actor: Any,
    method: str,
    result: str,
    done_on: dt.date | None = None,
    employer_note: str = "",
    next_action: str = "",
    now: dt.datetime | None = None,
) -> InactivityCheck:
    """Log one phone call or postcard to a seeker out of contact (Saitama 2(2)ケ) with
    the employment status found. ``done_on`` (default today) may be in the past, never
    in the future. The check joins the seeker's open case, if any, and keeps the last
    contact and the day the seeker became due, as they were.

    The contact rule: a **phone call that reached the seeker** (any result but
    ``unreachable``) is a contact on ``done_on`` — the seeker leaves the inactivity list
    and comes back only after the preset's months without contact again. A postcard
    (even when its reply gives a status) and an unreachable call are no contact: the
    seeker stays on the list, and the call is due again after ``RECHECK_DAYS``."""
    from secondcareer.consultations.selectors import (
        due_from,
        inactivity_months,
        with_last_contact,
    )

    months = inactivity_months(program)
    _seeker_in(program, seeker)
    if method not in CheckMethod.values:
        raise _invalid(_("確認の方法は「電話」か「はがき」を選んでください。"), "method")
    if result not in EmploymentStatus.values:
        raise _invalid(
            _("就職状況は「就労中」「求職中」「活動休止」「連絡つかず」から選んでください。"),
            "result",
        )
    today = _today(now)
    done_on = done_on or today
    if done_on > today:
        raise _invalid(_("実施日は今日以前の日付にしてください。"), "done_on")
    employer_note, next_action = employer_note.strip(), next_action.strip()
    if len(employer_note) > 200:
        raise _invalid(_("就職先・仕事の内容は200字以内で入力してください。"), "employer_note")
    if len(next_action) > 500:
        raise _invalid(_("次の対応は500字以内で入力してください。"), "next_action")
    reached = method == CheckMethod.PHONE and result != EmploymentStatus.UNREACHABLE
    with transaction.atomic():
        facts = (
            with_last_contact(Seeker.objects.filter(pk=seeker.pk))
            .values_list("last_contact_at", flat=True)
            .first()
        )
        last_contact = local_date(facts) if facts and facts.year > 1900 else None
        due_on = None
        if last_contact is not None:
            due_on = due_from(last_contact, months)
        case = Case.objects.open().filter(program=program, seeker=seeker).first()
        check = InactivityCheck.objects.create(
            program=program,
            seeker=seeker,
            case=case,
            method=method,
            result=result,
            done_on=done_on,
            due_on=due_on,
            last_contact_on=last_contact,
            reached_at=dt.datetime.combine(done_on, dt.time(0), tzinfo=TOKYO) if reached else None,
            employer_note=employer_note,
            next_action=next_action,
            checked_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_log(actor=actor, action=AuditAction.CREATE, obj=check, program_slug=program.slug)
    return check
