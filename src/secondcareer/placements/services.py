"""Writes for referrals, placements and retention follow-ups (docs/placements.md): one
function per use case, each in one transaction with its audit entry.

- :func:`referral_create` — a seeker referred to a posting of the program (status
  ``proposed``, its first history row).
- :func:`referral_change_status` — one step of the pipeline (the allowed steps are
  :data:`TRANSITIONS`); ``hired`` creates the placement in the same transaction.
- :func:`application_support_log` — résumé / 職務経歴書 review, mock interview,
  accompaniment logged against a referral.
- :func:`placement_create` — a placement (就職決定) with its age at the start and the
  retention follow-ups the preset schedules.
- :func:`followup_record` — a follow-up's outcome; an interview also becomes a
  consultation record of kind ``retention_followup`` (定着支援フォローアップ).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.consultations.models import ConsultationTopic
from secondcareer.consultations.services import consultation_record_create
from secondcareer.core.audit import audit_log
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditAction
from secondcareer.jobs.models import Employer, JobPosting, PostingStatus, WageType
from secondcareer.people.ages import age_on
from secondcareer.people.models import Seeker
from secondcareer.placements.models import (
    OPEN_REFERRAL_STATUSES,
    ApplicationSupport,
    ConfirmedBy,
    EmploymentType,
    FollowUp,
    FollowUpOutcome,
    Placement,
    PlacementSource,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    SupportKind,
)
from secondcareer.programs.models import ConsultationKind, Program
from secondcareer.programs.models.program import default_retention_offsets

RETENTION_KIND = "retention_followup"
MAX_MINUTES = 600

S = ReferralStatus
_ENDS = {S.DECLINED, S.WITHDRAWN}
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.APPLIED, *_ENDS}),
    S.APPLIED: frozenset({S.DOCUMENT_SCREENING, S.INTERVIEW, S.NOT_HIRED, *_ENDS}),
    S.DOCUMENT_SCREENING: frozenset({S.INTERVIEW, S.NOT_HIRED, *_ENDS}),
    S.INTERVIEW: frozenset({S.OFFERED, S.NOT_HIRED, *_ENDS}),
    S.OFFERED: frozenset({S.HIRED, *_ENDS}),
    S.HIRED: frozenset(),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.NOT_HIRED: frozenset(),
}


def _invalid(message: str, field: str) -> DomainError:
    return DomainError(message, code="invalid", status=422, field_errors={field: [message]})


def _today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now(), TOKYO).date()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _choice(value: Any, choices: Sequence[str], field: str, label: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise _invalid(
            _("%(label)sは %(choices)s のいずれかで指定してください。")
            % {"label": label, "choices": ", ".join(choices)},
            field,
        )
    return value


def _minutes(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MINUTES:
        raise _invalid(
            _("時間は0〜%(max)s分の整数で指定してください。") % {"max": MAX_MINUTES}, "minutes"
        )
    return value


def _seeker_in(program: Program, seeker: Seeker) -> None:
    if seeker.program_id != program.pk:
        raise DomainError(
            _("この事業に登録された利用者ではありません。"), code="not_found", status=404
        )


def _not_future(day: dt.date, field: str, label: str, now: dt.datetime | None) -> None:
    if day > _today(now):
        raise _invalid(_("%(label)sに未来の日付は指定できません。") % {"label": label}, field)


# --- referrals --------------------------------------------------------------------------


def referral_create(
    *,
    program: Program,
    seeker: Seeker,
    posting: JobPosting,
    actor: Any,
    referred_on: dt.date | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Referral:
    """Refer ``seeker`` to ``posting`` (both of ``program``). A second referral of the same
    seeker to the same posting while one is open is refused (409): by this check and, for
    two at once, by the database's partial unique constraint."""
    now = now or timezone.now()
    _seeker_in(program, seeker)
    if posting.program_id != program.pk:
        raise _invalid(_("この事業の求人を指定してください。"), "posting_id")
    referred_on = referred_on or _today(now)
    _not_future(referred_on, "referred_on", _("紹介日"), now)
    if posting.status != PostingStatus.OPEN or posting.referral_deadline < referred_on:
        raise DomainError(
            _("募集が終了した求人（紹介期限日を過ぎた求人）には紹介できません。"),
            code="conflict",
            status=409,
        )
    referral = Referral(
        program=program,
        seeker=seeker,
        posting=posting,
        status=ReferralStatus.PROPOSED,
        referred_on=referred_on,
        referred_by=_user(actor),
        note=note.strip(),
        created_at=now,
        updated_at=now,
    )
    duplicate = DomainError(
        _("この利用者はこの求人にすでに紹介中です（進行中の紹介は1件だけです）。"),
        code="conflict",
        status=409,
    )
    try:
        with transaction.atomic():
            if Referral.objects.filter(
                seeker=seeker, posting=posting, status__in=OPEN_REFERRAL_STATUSES
            ).exists():
                raise duplicate
            referral.save()
            ReferralStatusChange.objects.create(
                referral=referral,
                from_status="",
                to_status=ReferralStatus.PROPOSED,
                at=now,
                by=_user(actor),
            )
            audit_log(
                actor=actor, action=AuditAction.CREATE, obj=referral, program_slug=program.slug
            )
    except IntegrityError as exc:
        raise duplicate from exc
    return referral


def referral_change_status(
    *,
    referral: Referral,
    to_status: str,
    actor: Any,
    note: str = "",
    on: dt.date | None = None,
    placement: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Referral:
    """Move ``referral`` one step along the pipeline, keeping the change. ``hired`` needs
    ``placement`` (at least ``start_on`` and ``employment_type``; see
    :func:`placement_create`): the placement is created in the same transaction."""
    now = now or timezone.now()
    to_status = _choice(to_status, ReferralStatus.values, "status", _("状態"))
    if len(note) > 500:
        raise _invalid(_("メモは500文字以内にしてください。"), "note")
    with transaction.atomic():
        locked = Referral.objects.select_for_update().select_related("posting", "program")
        referral = locked.get(pk=referral.pk)
        current = referral.status
        if to_status not in TRANSITIONS[current]:
            raise DomainError(
                _("「%(current)s」から「%(to)s」には変更できません。")
                % {
                    "current": ReferralStatus(current).label,
                    "to": ReferralStatus(to_status).label,
                },
                code="conflict",
                status=409,
                field_errors={"status": [_("この紹介の今の状態からは選べない状態です。")]},
            )
        if to_status == ReferralStatus.HIRED and not placement:
            raise _invalid(
                _("採用にするには就職日と雇用形態（就職決定の内容）を指定してください。"),
                "placement",
            )
        referral.status = to_status
        referral.updated_at = now
        if to_status not in OPEN_REFERRAL_STATUSES:
            referral.closed_on = on or _today(now)
        referral.save(update_fields=["status", "updated_at", "closed_on"])
        ReferralStatusChange.objects.create(
            referral=referral,
            from_status=current,
            to_status=to_status,
            at=now,
            by=_user(actor),
            note=note.strip(),
        )
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=referral,
            program_slug=referral.program.slug,
            note=f"{current}->{to_status}",
        )
        if to_status == ReferralStatus.HIRED:
            placement_create(
                program=referral.program,
                seeker=referral.seeker,
                employer=referral.posting.employer,
                posting=referral.posting,
                referral=referral,
                source=PlacementSource.REFERRAL,
                actor=actor,
                now=now,
                **(placement or {}),
            )
    return referral


def application_support_log(
    *,
    referral: Referral,
    kind: str,
    actor: Any,
    minutes: int,
    on: dt.date | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> ApplicationSupport:
    """Log application support given for ``referral``."""
    kind = _choice(kind, SupportKind.values, "kind", _("支援の種類"))
    minutes = _minutes(minutes)
    on = on or _today(now)
    _not_future(on, "on", _("実施日"), now)
    if on < referral.referred_on:
        raise _invalid(_("実施日は紹介日以降にしてください。"), "on")
    with transaction.atomic():
        support = ApplicationSupport.objects.create(
            referral=referral,
            kind=kind,
            on=on,
            by=_user(actor),
            minutes=minutes,
            note=note.strip(),
            created_at=now or timezone.now(),
        )
        audit_log(
            actor=actor,
            action=AuditAction.CREATE,
            obj=support,
            program_slug=referral.program.slug,
        )
    return support


# --- placements and their follow-ups -----------------------------------------------------


def followup_due(start_on: dt.date, months: int) -> dt.date:
    """``months`` after ``start_on``, a month end clamped (1/31 + 1 month = 2/28 or 2/29),
    each offset counted from the start so that month ends do not drift (as reviews)."""
    return start_on + relativedelta(months=months)


def _weekly_hours(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        hours = Decimal(-1)
    if isinstance(value, bool) or not hours.is_finite() or not Decimal(0) <= hours <= 168:
        raise _invalid(_("週所定労働時間は0〜168の数で指定してください。"), "weekly_hours")
    return hours.quantize(Decimal("0.1"))


def placement_create(
    *,
    program: Program,
    seeker: Seeker,
    employer: Employer,
    actor: Any,
    start_on: dt.date,
    employment_type: str,
    source: str,
    posting: JobPosting | None = None,
    referral: Referral | None = None,
    weekly_hours: Any = None,
    wage: int | None = None,
    wage_type: str = "",
    confirmed_by: str = "",
    confirmed_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Placement:
    """Record a placement; its retention follow-ups are generated at the preset's offsets
    (``retention.followup_months``, default 1, 3 and 6 months), those due after the
    contract's end flagged ``own_service``."""
    now = now or timezone.now()
    _seeker_in(program, seeker)
    if employer.program_id != program.pk:
        raise _invalid(_("この事業の事業所を指定してください。"), "employer_id")
    if posting is not None and (
        posting.program_id != program.pk or posting.employer_id != employer.pk
    ):
        raise _invalid(_("この事業所の求人を指定してください。"), "posting_id")
    source = _choice(source, PlacementSource.values, "source", _("就職経路"))
    if source == PlacementSource.REFERRAL and referral is None:
        raise _invalid(_("センターの職業紹介による就職には紹介を指定してください。"), "referral_id")
    if referral is not None and (
        referral.seeker_id != seeker.pk or referral.program_id != program.pk
    ):
        raise _invalid(_("この利用者の紹介を指定してください。"), "referral_id")
    employment_type = _choice(
        employment_type, EmploymentType.values, "employment_type", _("雇用形態")
    )
    if not isinstance(start_on, dt.date):
        raise _invalid(_("就職日を指定してください。"), "start_on")
    if start_on < seeker.birth_date:
        raise _invalid(_("就職日が生年月日より前です。"), "start_on")
    hours = _weekly_hours(weekly_hours)
    if wage is not None and (
        isinstance(wage, bool) or not isinstance(wage, int) or not 0 < wage <= 10_000_000
    ):
        raise _invalid(_("賃金は1〜10,000,000の整数（円）で指定してください。"), "wage")
    if wage_type:
        wage_type = _choice(wage_type, WageType.values, "wage_type", _("賃金形態"))
    if wage is not None and not wage_type:
        raise _invalid(_("賃金には賃金形態（時給・日給・月給）も指定してください。"), "wage_type")
    if confirmed_by:
        confirmed_by = _choice(confirmed_by, ConfirmedBy.values, "confirmed_by", _("確認方法"))
        confirmed_on = confirmed_on or _today(now)
        _not_future(confirmed_on, "confirmed_on", _("確認日"), now)
    elif confirmed_on is not None:
        raise _invalid(_("確認日には確認方法も指定してください。"), "confirmed_by")
    offsets = program.retention_followup_offsets or default_retention_offsets()
    ends_on = program.contract_ends_on
    with transaction.atomic():
        if referral is not None and Placement.objects.filter(referral=referral).exists():
            raise DomainError(
                _("この紹介の就職決定はすでに記録されています。"), code="conflict", status=409
            )
        placement = Placement.objects.create(
            program=program,
            seeker=seeker,
            employer=employer,
            posting=posting,
            referral=referral,
            source=source,
            start_on=start_on,
            employment_type=employment_type,
            weekly_hours=hours,
            wage=wage,
            wage_type=wage_type,
            confirmed_by=confirmed_by,
            confirmed_on=confirmed_on,
            age_at_start=age_on(seeker.birth_date, start_on),
            created_by=_user(actor),
            created_at=now,
        )
        FollowUp.objects.bulk_create(
            [
                FollowUp(
                    placement=placement,
                    months=months,
                    due_on=(due := followup_due(start_on, months)),
                    own_service=ends_on is not None and due > ends_on,
                )
                for months in offsets
            ]
        )
        audit_log(actor=actor, action=AuditAction.CREATE, obj=placement, program_slug=program.slug)
    return placement


def _topics(program: Program, codes: Sequence[str]) -> list[ConsultationTopic]:
    codes = list(dict.fromkeys(codes))
    found = {t.code: t for t in ConsultationTopic.objects.filter(program=program, code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise _invalid(
            _("話題 %(codes)s はこの事業にありません。") % {"codes": ", ".join(unknown)}, "topics"
        )
    return [found[c] for c in codes]


def followup_record(
    *,
    followup: FollowUp,
    actor: Any,
    outcome: str,
    done_on: dt.date | None = None,
    topics: Sequence[str] = (),
    note: str = "",
    left_on: dt.date | None = None,
    left_reason: str = "",
    interview_minutes: int | None = None,
    interview_method: str = "phone",
    now: dt.datetime | None = None,
) -> FollowUp:
    """Record a follow-up's outcome: continuing, difficulties (with topics) or left (with
    the date and reason; the case's derived status goes back to in support). With
    ``interview_minutes`` the follow-up interview is also a consultation record of the
    program's 定着支援フォローアップ kind (``retention_followup``), so the Kobe report
    counts it."""
    now = now or timezone.now()
    outcome = _choice(outcome, FollowUpOutcome.values, "outcome", _("結果"))
    done_on = done_on or _today(now)
    _not_future(done_on, "done_on", _("実施日"), now)
    placement = followup.placement
    program = placement.program
    if done_on < placement.start_on:
        raise _invalid(_("実施日は就職日以降にしてください。"), "done_on")
    if outcome == FollowUpOutcome.DIFFICULTIES and not topics:
        raise _invalid(_("課題ありの場合は課題の話題を1つ以上指定してください。"), "topics")
    if outcome != FollowUpOutcome.DIFFICULTIES and topics:
        raise _invalid(_("話題は「課題あり」の場合だけ指定できます。"), "topics")
    if outcome == FollowUpOutcome.LEFT:
        if left_on is None:
            raise _invalid(_("離職の場合は離職日を指定してください。"), "left_on")
        if not placement.start_on <= left_on <= done_on:
            raise _invalid(_("離職日は就職日から実施日までの日付にしてください。"), "left_on")
    elif left_on is not None or left_reason:
        raise _invalid(_("離職日と離職の理由は「離職」の場合だけ指定できます。"), "left_on")
    if len(left_reason) > 500:
        raise _invalid(_("離職の理由は500文字以内にしてください。"), "left_reason")
    chosen = _topics(program, topics)
    kind = None
    if interview_minutes is not None:
        _minutes(interview_minutes)
        kind = ConsultationKind.objects.filter(program=program, code=RETENTION_KIND).first()
    with transaction.atomic():
        followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
        if followup.done_on is not None:
            raise DomainError(
                _("このフォローアップの結果はすでに記録されています。"),
                code="conflict",
                status=409,
            )
        if kind is not None:
            start = dt.datetime.combine(done_on, dt.time(12), TOKYO)
            record = consultation_record_create(
                program=program,
                seeker=placement.seeker,
                actor=actor,
                kind=kind.code,
                method=interview_method,
                start=min(start, now),
                minutes=interview_minutes,
                notes=note,
                now=now,
            )
            followup.consultation_record = record
        followup.done_on = done_on
        followup.outcome = outcome
        followup.note = note.strip()
        followup.left_on = left_on
        followup.left_reason = left_reason.strip()
        followup.recorded_by = _user(actor)
        followup.recorded_at = now
        followup.save()
        followup.topics.set(chosen)
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=followup,
            program_slug=program.slug,
            note=outcome,
        )
    return followup
