"""Every write of internships (docs/internships.md): create, change, record a consent
or the insurance, confirm. One transaction each; refusals are Japanese DomainErrors.

The gate (Saitama キ): an internship is confirmed only with both consents recorded and,
for 職場体験 (work experience), an insurance whose coverage includes every day. A 職場見学
(observation) needs the consents only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import format_date_ja
from secondcareer.jobs.models import Employer, EmployerContact
from secondcareer.people.models import Seeker
from secondcareer.placements.internship_models import (
    MAX_DAYS,
    ConsentParty,
    Internship,
    InternshipConsent,
    InternshipInsurance,
    InternshipKind,
    InternshipOutcome,
    InternshipStatus,
)
from secondcareer.programs.models import Program

TEXT_FIELDS = frozenset(
    {
        "content",
        "place",
        "schedule",
        "safety_notes",
        "harassment_notes",
        "travel_paid_by_employer",
        "travel_note",
        "outcome_note",
    }
)
# What a confirmed internship keeps: the gate was passed for these.
GATED_FIELDS = frozenset({"kind", "start_on", "end_on", "employer", "participant"})
UPDATE_FIELDS = (
    TEXT_FIELDS
    | GATED_FIELDS
    | {
        "host_contact",
        "status",
        "outcome",
        "outcome_referral",
        "outcome_placement",
    }
)


def _refused(fields: dict[str, list[str]], message: str | None = None) -> DomainError:
    first = next(iter(fields.values()))[0] if fields else _("入力内容に誤りがあります。")
    return DomainError(message or first, field_errors=fields)


def _invalid(exc: ValidationError) -> DomainError:
    return _refused({key: [str(m) for m in msgs] for key, msgs in exc.message_dict.items()})


def check_days(start_on: dt.date, end_on: dt.date) -> None:
    """1 to 3 consecutive days, or a Japanese refusal on ``end_on``."""
    if end_on < start_on:
        raise _refused({"end_on": [_("終了日は開始日と同じか、それより後の日にしてください。")]})
    days = (end_on - start_on).days + 1
    if days > MAX_DAYS:
        raise _refused(
            {
                "end_on": [
                    _(
                        "インターンシップの期間は1日から%(max)s日までです（%(days)s日になっています）。"
                    )
                    % {"max": MAX_DAYS, "days": days}
                ]
            }
        )


def _check(internship: Internship) -> None:
    problems: dict[str, list[str]] = {}
    if internship.kind not in InternshipKind.values:
        problems["kind"] = [_("職場見学か職場体験を選んでください。")]
    if internship.status not in InternshipStatus.values:
        problems["status"] = [_("状態の値が正しくありません。")]
    if internship.outcome not in InternshipOutcome.values:
        problems["outcome"] = [_("結果の値が正しくありません。")]
    employer = internship.employer
    if employer.program_id != internship.program_id:
        problems["employer"] = [_("この事業の事業所を指定してください。")]
    contact = internship.host_contact
    if contact is not None and contact.employer_id != employer.pk:
        problems["host_contact"] = [_("受入担当者は受入事業所の担当者から選んでください。")]
    participant = internship.participant
    if participant.program_id != internship.program_id:
        problems["participant"] = [_("この事業の利用者を指定してください。")]
    elif participant.anonymised_on is not None:
        problems["participant"] = [_("匿名化された利用者は指定できません。")]
    referral = internship.outcome_referral
    if referral is not None and (
        referral.seeker_id != participant.pk or referral.program_id != internship.program_id
    ):
        problems["outcome_referral"] = [_("参加者本人の職業紹介を指定してください。")]
    placement = internship.outcome_placement
    if placement is not None and (
        placement.seeker_id != participant.pk or placement.program_id != internship.program_id
    ):
        problems["outcome_placement"] = [_("参加者本人の就職決定を指定してください。")]
    if problems:
        raise _refused(problems)
    check_days(internship.start_on, internship.end_on)
    try:
        internship.full_clean(
            exclude=[
                "program",
                "employer",
                "host_contact",
                "participant",
                "confirmed_by",
                "created_by",
                "outcome_referral",
                "outcome_placement",
            ],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        raise _invalid(exc) from exc


@transaction.atomic
def internship_create(
    *,
    program: Program,
    kind: str,
    employer: Employer,
    participant: Seeker,
    start_on: dt.date,
    end_on: dt.date,
    by: Any,
    host_contact: EmployerContact | None = None,
    **fields: Any,
) -> Internship:
    """A new internship (status 調整中). ``fields``: the plan's texts and travel costs."""
    unknown = set(fields) - TEXT_FIELDS
    if unknown:
        raise TypeError(f"internship_create: unknown fields {sorted(unknown)}")
    internship = Internship(
        program=program,
        kind=kind,
        employer=employer,
        participant=participant,
        host_contact=host_contact,
        start_on=start_on,
        end_on=end_on,
        created_by=by,
        **fields,
    )
    _check(internship)
    internship.save()
    return internship


def _outcome_links(internship: Internship) -> None:
    """The outcome and its link agree: a referral link only for 職業紹介, a placement
    link only for 就職; なし clears both."""
    if internship.outcome != InternshipOutcome.REFERRAL:
        internship.outcome_referral = None
    if internship.outcome != InternshipOutcome.PLACEMENT:
        internship.outcome_placement = None


_STATUS_MOVES: dict[str, set[str]] = {
    InternshipStatus.PLANNED: {InternshipStatus.CANCELLED},
    InternshipStatus.CONFIRMED: {InternshipStatus.DONE, InternshipStatus.CANCELLED},
    InternshipStatus.DONE: set(),
    InternshipStatus.CANCELLED: set(),
}


@transaction.atomic
def internship_update(*, internship: Internship, by: Any, **fields: Any) -> Internship:
    """Change what is given. A confirmed (or done) internship keeps its kind, days,
    employer and participant (the gate was passed for them). ``status`` moves only to
    中止 (from 調整中 or 確定) or 実施済み (from 確定, once the last day has come);
    確定 is :func:`internship_confirm`."""
    unknown = set(fields) - UPDATE_FIELDS
    if unknown:
        raise TypeError(f"internship_update: unknown fields {sorted(unknown)}")
    locked = internship.status != InternshipStatus.PLANNED
    changed_gate = [
        name for name in GATED_FIELDS & set(fields) if getattr(internship, name) != fields[name]
    ]
    if locked and changed_gate:
        raise DomainError(
            _("確定したインターンシップの種別・日程・事業所・参加者は変更できません。"),
            code="conflict",
            status=409,
            field_errors={name: [_("確定後は変更できません。")] for name in sorted(changed_gate)},
        )
    status = fields.pop("status", internship.status)
    if status != internship.status:
        if status not in _STATUS_MOVES.get(internship.status, set()):
            raise DomainError(
                _("「%(from)s」から「%(to)s」には変更できません。")
                % {
                    "from": InternshipStatus(internship.status).label,
                    "to": InternshipStatus(status).label
                    if status in InternshipStatus.values
                    else status,
                },
                code="conflict",
                status=409,
                field_errors={"status": [_("この状態には変更できません。")]},
            )
        if status == InternshipStatus.DONE and internship.end_on > timezone.localdate():
            raise DomainError(
                _("最終日（%(day)s）が来るまで実施済みにはできません。")
                % {"day": format_date_ja(internship.end_on)},
                code="conflict",
                status=409,
                field_errors={"status": [_("最終日の後に記録してください。")]},
            )
        internship.status = status
    for name, value in fields.items():
        setattr(internship, name, value)
    _outcome_links(internship)
    _check(internship)
    internship.save()
    return internship


@transaction.atomic
def internship_consent_record(
    *,
    internship: Internship,
    party: str,
    given_on: dt.date,
    by: Any,
    given_by: str = "",
) -> InternshipConsent:
    """The participant's or the employer's consent to the plan on ``given_on``
    (recording it again replaces the date and who gave it)."""
    if party not in ConsentParty.values:
        raise _refused({"party": [_("参加者か受入事業所を選んでください。")]})
    if given_on > timezone.localdate():
        raise _refused({"given_on": [_("同意日に未来の日付は指定できません。")]})
    if internship.status in (InternshipStatus.DONE, InternshipStatus.CANCELLED):
        raise DomainError(
            _("実施済み・中止のインターンシップには同意を記録できません。"),
            code="conflict",
            status=409,
        )
    consent = InternshipConsent.objects.filter(internship=internship, party=party).first()
    if consent is None:
        consent = InternshipConsent(internship=internship, party=party)
    consent.given_on = given_on
    consent.given_by = given_by
    consent.recorded_by = by
    consent.recorded_at = timezone.now()
    try:
        consent.full_clean(exclude=["internship", "recorded_by"], validate_constraints=False)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    consent.save()
    return consent


@transaction.atomic
def internship_insurance_record(
    *,
    internship: Internship,
    policy_name: str,
    insurer: str,
    coverage_start: dt.date,
    coverage_end: dt.date,
    by: Any,
    policy_number: str = "",
) -> InternshipInsurance:
    """The insurance the participant is enrolled in (recording again replaces it). A
    confirmed work experience keeps an insurance that covers every day."""
    if coverage_end < coverage_start:
        raise _refused(
            {"coverage_end": [_("補償の終了日は開始日と同じか、それより後の日にしてください。")]}
        )
    if internship.status in (InternshipStatus.DONE, InternshipStatus.CANCELLED):
        raise DomainError(
            _("実施済み・中止のインターンシップには保険を記録できません。"),
            code="conflict",
            status=409,
        )
    insurance = InternshipInsurance.objects.filter(internship=internship).first()
    if insurance is None:
        insurance = InternshipInsurance(internship=internship)
    insurance.policy_name = policy_name
    insurance.policy_number = policy_number
    insurance.insurer = insurer
    insurance.coverage_start = coverage_start
    insurance.coverage_end = coverage_end
    insurance.recorded_by = by
    insurance.recorded_at = timezone.now()
    uncovered = [day for day in internship.days if not insurance.covers(day)]
    if internship.status == InternshipStatus.CONFIRMED and internship.needs_insurance and uncovered:
        raise DomainError(
            _("確定した職場体験の実施日（%(days)s）が補償期間から外れるため、記録できません。")
            % {"days": "・".join(format_date_ja(day) for day in uncovered)},
            code="conflict",
            status=409,
            field_errors={"coverage_start": [_("実施日をすべて含む補償期間にしてください。")]},
        )
    try:
        insurance.full_clean(exclude=["internship", "recorded_by"], validate_constraints=False)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    insurance.save()
    internship.insurance = insurance
    return insurance


def internship_missing(internship: Internship) -> list[str]:
    """What the internship still lacks before it can be confirmed, as Japanese phrases
    (empty: it can be). Reads the consents and the insurance (prefetch them for lists)."""
    parties = {consent.party for consent in internship.consents.all()}
    missing = []
    if ConsentParty.PARTICIPANT not in parties:
        missing.append(_("参加者の同意"))
    if ConsentParty.EMPLOYER not in parties:
        missing.append(_("受入事業所の同意"))
    if internship.needs_insurance:
        insurance = getattr(internship, "insurance", None)
        if insurance is None:
            missing.append(_("保険の加入（職場体験には必要です）"))
        else:
            uncovered = [day for day in internship.days if not insurance.covers(day)]
            if uncovered:
                missing.append(
                    _("%(days)sを含む保険の補償期間")
                    % {"days": "・".join(format_date_ja(day) for day in uncovered)}
                )
    return missing


@transaction.atomic
def internship_confirm(*, internship: Internship, by: Any) -> Internship:
    """Confirm the internship (確定): both consents and, for work experience, an
    insurance covering every day; otherwise a Japanese refusal naming what is missing."""
    locked = Internship.objects.select_for_update().filter(pk=internship.pk).first()
    if locked is None:
        raise DomainError(_("インターンシップが見つかりません。"), code="not_found", status=404)
    if internship.status != InternshipStatus.PLANNED or locked.status != InternshipStatus.PLANNED:
        raise DomainError(
            _("このインターンシップは「%(status)s」のため確定できません。")
            % {"status": InternshipStatus(locked.status).label},
            code="conflict",
            status=409,
        )
    missing = internship_missing(internship)
    if missing:
        raise DomainError(
            _("インターンシップを確定できません。足りないもの：%(missing)s")
            % {"missing": "、".join(missing)},
            code="conflict",
            status=409,
            details={"missing": missing},
        )
    internship.status = InternshipStatus.CONFIRMED
    internship.confirmed_at = timezone.now()
    internship.confirmed_by = by
    internship.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    return internship
