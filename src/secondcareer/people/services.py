"""Writes for people: registering seekers, consents, card numbers, staff roles.

Every channel (desk, phone, web, LINE form, demo data) registers a seeker through
:func:`seeker_register`; nothing else creates :class:`Seeker` rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.core.audit import AuditItem, audit_log, audit_log_bulk
from secondcareer.core.errors import DomainError
from secondcareer.core.inputs import name_problem
from secondcareer.core.jpcalendar import fiscal_year
from secondcareer.core.models import AuditAction
from secondcareer.core.text import is_kana, normalize_text, search_key, to_katakana
from secondcareer.people.ages import age_on
from secondcareer.people.cards import format_card_number
from secondcareer.people.models import (
    CardSequence,
    ConsentKind,
    ConsentMethod,
    ConsentRecord,
    Gender,
    HeardFrom,
    Membership,
    RegistrationChannel,
    Role,
    Seeker,
    User,
)
from secondcareer.people.phones import InvalidPhone, normalize_phone, phone_digits
from secondcareer.people.roles import ROLE_GROUP_NAMES
from secondcareer.programs.models import Area, Program

MIN_AGE = 15  # 義務教育修了前の方は職業紹介の対象外
BULK_BATCH = 500  # rows per INSERT: within SQLite's 32,766 parameters for every model here


@dataclass(frozen=True)
class ConsentInput:
    kind: str
    version: str
    method: str
    granted: bool = True


def _normalize_postal_code(value: str) -> str:
    digits = "".join(ch for ch in normalize_text(value) if ch.isdigit())
    if len(digits) != 7:
        raise ValueError
    return f"{digits[:3]}-{digits[3:]}"


def allocate_card_number(*, program: Program, on: dt.date) -> str:
    """The next card number of ``program`` for the fiscal year of ``on``. Must run inside
    the caller's transaction: the sequence row is locked until it commits."""
    fy = fiscal_year(on)
    CardSequence.objects.get_or_create(program=program, fiscal_year=fy)
    sequence = CardSequence.objects.select_for_update().get(program=program, fiscal_year=fy)
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    return format_card_number(program.card_prefix, fy, sequence.last_serial)


@dataclass(frozen=True)
class SeekerRegistration:
    """One registration for :func:`seekers_register_bulk`: the arguments of
    :func:`seeker_register`, with the staff member who took it as ``actor``."""

    channel: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: dt.date
    phone: str
    email: str = ""
    postal_code: str = ""
    address: str = ""
    area: Area | None = None
    gender: str = ""
    heard_from: str = ""
    registered_on: dt.date | None = None
    consents: Sequence[ConsentInput] = ()
    consented_at: dt.datetime | None = None
    actor: User | None = None


def _clean_registration(
    program: Program, registration: SeekerRegistration, *, now: dt.datetime, today: dt.date
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The seeker's fields as they are stored, and the Japanese messages of every field
    that cannot be stored as given (empty when the registration is valid)."""
    r = registration
    day = r.registered_on or today
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}

    for field, value, label in (
        ("family_name", r.family_name, "姓"),
        ("given_name", r.given_name, "名"),
    ):
        text = normalize_text(value or "")
        if not text:
            errors.setdefault(field, []).append(f"{label}を入力してください。")
        elif problem := name_problem(text):  # bidi controls, zero-width spaces…
            errors.setdefault(field, []).append(problem)
        cleaned[field] = text
    for field, value, label in (
        ("family_name_kana", r.family_name_kana, "姓（フリガナ）"),
        ("given_name_kana", r.given_name_kana, "名（フリガナ）"),
    ):
        text = to_katakana(value or "").replace(" ", "")
        if not text:
            errors.setdefault(field, []).append(f"{label}を入力してください。")
        elif problem := name_problem(text):
            errors.setdefault(field, []).append(problem)
        elif not is_kana(text):
            errors.setdefault(field, []).append(
                f"{label}はカタカナまたはひらがなで入力してください。"
            )
        cleaned[field] = text

    if r.consented_at is not None and r.consented_at > now:
        errors.setdefault("consents", []).append("同意日時が未来になっています。")
    if r.birth_date > day:
        errors.setdefault("birth_date", []).append("生年月日が未来の日付になっています。")
    elif age_on(r.birth_date, day) < MIN_AGE:
        errors.setdefault("birth_date", []).append(f"{MIN_AGE}歳以上の方がご利用いただけます。")
    elif age_on(r.birth_date, day) > 110:
        errors.setdefault("birth_date", []).append("生年月日をご確認ください。")

    try:
        cleaned["phone"] = normalize_phone(r.phone)
    except InvalidPhone as exc:
        errors.setdefault("phone", []).append(str(exc))

    email = normalize_text(r.email or "").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append("メールアドレスの形式が正しくありません。")
    cleaned["email"] = email

    cleaned["postal_code"] = ""
    if r.postal_code and normalize_text(r.postal_code):
        try:
            cleaned["postal_code"] = _normalize_postal_code(r.postal_code)
        except ValueError:
            errors.setdefault("postal_code", []).append(
                "郵便番号は7桁の数字で入力してください（例: 359-0042）。"
            )

    if r.area is not None and r.area.program_id != program.pk:
        errors.setdefault("area", []).append("この事業の地域を選んでください。")
    if r.channel not in RegistrationChannel.values:
        errors.setdefault("channel", []).append("登録経路が正しくありません。")
    if r.gender and r.gender not in Gender.values:
        errors.setdefault("gender", []).append("性別の選択肢が正しくありません。")
    if r.heard_from and r.heard_from not in HeardFrom.values:
        errors.setdefault("heard_from", []).append("認知経路の選択肢が正しくありません。")
    for consent in r.consents:
        if consent.kind not in ConsentKind.values or consent.method not in ConsentMethod.values:
            errors.setdefault("consents", []).append("同意の種類または方法が正しくありません。")

    cleaned.update(
        name_search_key=seeker_search_key(
            cleaned["family_name"],
            cleaned["given_name"],
            cleaned["family_name_kana"],
            cleaned["given_name_kana"],
        ),
        birth_date=r.birth_date,
        gender=r.gender,
        phone_digits=phone_digits(cleaned["phone"]) if "phone" in cleaned else "",
        address=normalize_text(r.address or ""),
        area=r.area,
        registration_channel=r.channel,
        heard_from=r.heard_from,
        registered_on=day,
        created_by=r.actor,
    )
    return cleaned, errors


def _invalid(errors: dict[str, list[str]]) -> DomainError:
    return DomainError(
        _("入力内容に誤りがあります。赤字の項目をご確認ください。"),
        code="invalid",
        status=422,
        field_errors=errors,
    )


def _consent_rows(
    seeker: Seeker, registration: SeekerRegistration, *, now: dt.datetime
) -> list[ConsentRecord]:
    return [
        ConsentRecord(
            seeker=seeker,
            kind=c.kind,
            version=c.version,
            method=c.method,
            granted=c.granted,
            at=registration.consented_at or now,
            recorded_by=registration.actor,
        )
        for c in registration.consents
    ]


def seeker_register(
    *,
    program: Program,
    actor: User | None,
    channel: str,
    family_name: str,
    given_name: str,
    family_name_kana: str,
    given_name_kana: str,
    birth_date: dt.date,
    phone: str,
    email: str = "",
    postal_code: str = "",
    address: str = "",
    area: Area | None = None,
    gender: str = "",
    heard_from: str = "",
    registered_on: dt.date | None = None,
    consents: Sequence[ConsentInput] = (),
    consented_at: dt.datetime | None = None,
) -> Seeker:
    """Register a seeker with a new card number. Raises :class:`DomainError` with
    Japanese field messages when the input cannot be stored as given.

    ``consented_at`` is when the consents were given (a paper form entered later, or
    historical demo data); it defaults to now."""
    registration = SeekerRegistration(
        channel=channel,
        family_name=family_name,
        given_name=given_name,
        family_name_kana=family_name_kana,
        given_name_kana=given_name_kana,
        birth_date=birth_date,
        phone=phone,
        email=email,
        postal_code=postal_code,
        address=address,
        area=area,
        gender=gender,
        heard_from=heard_from,
        registered_on=registered_on,
        consents=consents,
        consented_at=consented_at,
        actor=actor,
    )
    now = timezone.now()
    cleaned, errors = _clean_registration(
        program, registration, now=now, today=timezone.localdate()
    )
    if errors:
        raise _invalid(errors)

    with transaction.atomic():
        seeker = Seeker.objects.create(
            program=program,
            card_number=allocate_card_number(program=program, on=cleaned["registered_on"]),
            **cleaned,
        )
        ConsentRecord.objects.bulk_create(_consent_rows(seeker, registration, now=now))
        audit_log(actor=actor, action=AuditAction.CREATE, obj=seeker, program_slug=program.slug)
    return seeker


def allocate_card_numbers(*, program: Program, on: Sequence[dt.date]) -> list[str]:
    """The next card numbers of ``program``, one for each date of ``on`` in that order,
    each of the fiscal year of its date: :func:`allocate_card_number` for many
    registrations, with one locked sequence row per fiscal year. Must run inside the
    caller's transaction."""
    years = sorted({fiscal_year(day) for day in on})
    serials: dict[int, int] = {}
    sequences: dict[int, CardSequence] = {}
    for fy in years:
        CardSequence.objects.get_or_create(program=program, fiscal_year=fy)
        sequence = CardSequence.objects.select_for_update().get(program=program, fiscal_year=fy)
        sequences[fy], serials[fy] = sequence, sequence.last_serial
    numbers = []
    for day in on:
        fy = fiscal_year(day)
        serials[fy] += 1
        numbers.append(format_card_number(program.card_prefix, fy, serials[fy]))
    for fy, sequence in sequences.items():
        sequence.last_serial = serials[fy]
        sequence.save(update_fields=["last_serial"])
    return numbers


def seekers_register_bulk(
    *, program: Program, registrations: Sequence[SeekerRegistration]
) -> list[Seeker]:
    """Register many seekers at once: a list handed over from another system, or the
    demo's synthetic history. The same rules as :func:`seeker_register` for every one
    (its field messages, keyed ``"<row>.<field>"`` with the row counted from 1), all or
    nothing: one invalid registration and none is stored. Card numbers are issued in the
    order given (sort by registration date to have them follow it); one audit entry per
    seeker, as for a single registration. A few statements whatever the count."""
    now = timezone.now()
    today = timezone.localdate()
    rows: list[dict[str, Any]] = []
    errors: dict[str, list[str]] = {}
    for number, registration in enumerate(registrations, start=1):
        cleaned, found = _clean_registration(program, registration, now=now, today=today)
        rows.append(cleaned)
        for field, messages in found.items():
            errors[f"{number}.{field}"] = messages
    if errors:
        raise _invalid(errors)
    if not rows:
        return []

    with transaction.atomic():
        numbers = allocate_card_numbers(
            program=program, on=[cleaned["registered_on"] for cleaned in rows]
        )
        seekers = Seeker.objects.bulk_create(
            [
                Seeker(program=program, card_number=card, **cleaned)
                for card, cleaned in zip(numbers, rows, strict=True)
            ],
            batch_size=BULK_BATCH,
        )
        ConsentRecord.objects.bulk_create(
            [
                consent
                for seeker, registration in zip(seekers, registrations, strict=True)
                for consent in _consent_rows(seeker, registration, now=now)
            ],
            batch_size=BULK_BATCH,
        )
        audit_log_bulk(
            [
                AuditItem(actor=registration.actor, action=AuditAction.CREATE, obj=seeker)
                for seeker, registration in zip(seekers, registrations, strict=True)
            ],
            program_slug=program.slug,
        )
    return seekers


def seeker_search_key(family: str, given: str, family_kana: str, given_kana: str) -> str:
    """One string holding every way staff may type the name: kanji and kana, folded."""
    return " ".join([search_key(family + given), search_key(family_kana + given_kana)])


def consent_record(
    *, seeker: Seeker, kind: str, version: str, method: str, granted: bool, actor: User | None
) -> ConsentRecord:
    """Append a consent or its withdrawal; earlier records stay as they were."""
    if kind not in ConsentKind.values or method not in ConsentMethod.values:
        raise DomainError(_("同意の種類または方法が正しくありません。"), code="invalid", status=422)
    return ConsentRecord.objects.create(
        seeker=seeker,
        kind=kind,
        version=version,
        method=method,
        granted=granted,
        at=timezone.now(),
        recorded_by=actor,
    )


def staff_create(
    *, username: str, password: str | None, program: Program, role: str, display_name: str = ""
) -> User:
    """Create a staff login with a role in ``program``. The password must pass the
    validators of ``AUTH_PASSWORD_VALIDATORS`` (their Japanese messages in the error)."""
    if password is not None:
        try:
            validate_password(password, user=User(username=username, last_name=display_name))
        except ValidationError as exc:
            raise DomainError(
                _("パスワードが条件を満たしていません。"),
                code="invalid",
                status=422,
                field_errors={"password": list(exc.messages)},
            ) from exc
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password)
        if display_name:
            family, _space, given = display_name.partition(" ")
            user.last_name, user.first_name = family, given
            user.save(update_fields=["last_name", "first_name"])
        membership_grant(user=user, program=program, role=role)
    return user


def membership_grant(*, user: User, program: Program, role: str) -> Membership:
    """Give ``user`` ``role`` in ``program`` (idempotent) and the role's group."""
    if role not in Role.values:
        raise DomainError(_("役割が正しくありません。"), code="invalid")
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(
            user=user, program=program, role=role
        )
        group, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
        user.groups.add(group)
        user.__dict__.pop("_program_perm_cache", None)
    return membership
