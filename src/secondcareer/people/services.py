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

from secondcareer.core.audit import audit_log
from secondcareer.core.errors import DomainError
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
    today = registered_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}

    for field, value, label in (
        ("family_name", family_name, "姓"),
        ("given_name", given_name, "名"),
    ):
        text = normalize_text(value or "")
        if not text:
            errors.setdefault(field, []).append(f"{label}を入力してください。")
        cleaned[field] = text
    for field, value, label in (
        ("family_name_kana", family_name_kana, "姓（フリガナ）"),
        ("given_name_kana", given_name_kana, "名（フリガナ）"),
    ):
        text = to_katakana(value or "").replace(" ", "")
        if not text:
            errors.setdefault(field, []).append(f"{label}を入力してください。")
        elif not is_kana(text):
            errors.setdefault(field, []).append(
                f"{label}はカタカナまたはひらがなで入力してください。"
            )
        cleaned[field] = text

    if consented_at is not None and consented_at > timezone.now():
        errors.setdefault("consents", []).append("同意日時が未来になっています。")
    if birth_date > today:
        errors.setdefault("birth_date", []).append("生年月日が未来の日付になっています。")
    elif age_on(birth_date, today) < MIN_AGE:
        errors.setdefault("birth_date", []).append(f"{MIN_AGE}歳以上の方がご利用いただけます。")
    elif age_on(birth_date, today) > 110:
        errors.setdefault("birth_date", []).append("生年月日をご確認ください。")

    try:
        cleaned["phone"] = normalize_phone(phone)
    except InvalidPhone as exc:
        errors.setdefault("phone", []).append(str(exc))

    email = normalize_text(email or "").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append("メールアドレスの形式が正しくありません。")
    cleaned["email"] = email

    cleaned["postal_code"] = ""
    if postal_code and normalize_text(postal_code):
        try:
            cleaned["postal_code"] = _normalize_postal_code(postal_code)
        except ValueError:
            errors.setdefault("postal_code", []).append(
                "郵便番号は7桁の数字で入力してください（例: 359-0042）。"
            )

    if area is not None and area.program_id != program.pk:
        errors.setdefault("area", []).append("この事業の地域を選んでください。")
    if channel not in RegistrationChannel.values:
        errors.setdefault("channel", []).append("登録経路が正しくありません。")
    if gender and gender not in Gender.values:
        errors.setdefault("gender", []).append("性別の選択肢が正しくありません。")
    if heard_from and heard_from not in HeardFrom.values:
        errors.setdefault("heard_from", []).append("認知経路の選択肢が正しくありません。")
    for consent in consents:
        if consent.kind not in ConsentKind.values or consent.method not in ConsentMethod.values:
            errors.setdefault("consents", []).append("同意の種類または方法が正しくありません。")

    if errors:
        raise DomainError(
            "入力内容に誤りがあります。赤字の項目をご確認ください。",
            code="invalid",
            status=422,
            field_errors=errors,
        )

    with transaction.atomic():
        seeker = Seeker.objects.create(
            program=program,
            card_number=allocate_card_number(program=program, on=today),
            family_name=cleaned["family_name"],
            given_name=cleaned["given_name"],
            family_name_kana=cleaned["family_name_kana"],
            given_name_kana=cleaned["given_name_kana"],
            name_search_key=seeker_search_key(
                cleaned["family_name"],
                cleaned["given_name"],
                cleaned["family_name_kana"],
                cleaned["given_name_kana"],
            ),
            birth_date=birth_date,
            gender=gender,
            phone=cleaned["phone"],
            phone_digits=phone_digits(cleaned["phone"]),
            email=cleaned["email"],
            postal_code=cleaned["postal_code"],
            address=normalize_text(address or ""),
            area=area,
            registration_channel=channel,
            heard_from=heard_from,
            registered_on=today,
            created_by=actor,
        )
        now = consented_at or timezone.now()
        ConsentRecord.objects.bulk_create(
            [
                ConsentRecord(
                    seeker=seeker,
                    kind=c.kind,
                    version=c.version,
                    method=c.method,
                    granted=c.granted,
                    at=now,
                    recorded_by=actor,
                )
                for c in consents
            ]
        )
        audit_log(actor=actor, action=AuditAction.CREATE, obj=seeker, program_slug=program.slug)
    return seeker


def seeker_search_key(family: str, given: str, family_kana: str, given_kana: str) -> str:
    """One string holding every way staff may type the name: kanji and kana, folded."""
    return " ".join([search_key(family + given), search_key(family_kana + given_kana)])


def consent_record(
    *, seeker: Seeker, kind: str, version: str, method: str, granted: bool, actor: User | None
) -> ConsentRecord:
    """Append a consent or its withdrawal; earlier records stay as they were."""
    if kind not in ConsentKind.values or method not in ConsentMethod.values:
        raise DomainError("同意の種類または方法が正しくありません。", code="invalid", status=422)
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
                "パスワードが条件を満たしていません。",
                code="invalid",
                status=422,
                field_errors={"password": list(exc.messages)},
            ) from exc
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password)
        if display_name:
            family, _, given = display_name.partition(" ")
            user.last_name, user.first_name = family, given
            user.save(update_fields=["last_name", "first_name"])
        membership_grant(user=user, program=program, role=role)
    return user


def membership_grant(*, user: User, program: Program, role: str) -> Membership:
    """Give ``user`` ``role`` in ``program`` (idempotent) and the role's group."""
    if role not in Role.values:
        raise DomainError("役割が正しくありません。", code="invalid")
    with transaction.atomic():
        membership, _ = Membership.objects.get_or_create(user=user, program=program, role=role)
        group, _ = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
        user.groups.add(group)
        user.__dict__.pop("_program_perm_cache", None)
    return membership
