"""Rows for the internship tests: an employer with a host contact, a participant, an
internship with its plan filled in, consents and insurance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from secondcareer.conftest import register_seeker
from secondcareer.jobs.models import Employer
from secondcareer.jobs.services import employer_create
from secondcareer.people.models import Seeker, User
from secondcareer.placements.internship_models import ConsentParty, Internship, InternshipKind
from secondcareer.placements.internships.services import (
    internship_consent_record,
    internship_create,
    internship_insurance_record,
)
from secondcareer.programs.models import Program

DAY = dt.date(2026, 12, 8)  # a Tuesday, after conftest's TODAY (2026-11-20)
CONSENTED = dt.date(2026, 11, 18)


def employer(program: Program, name: str = "株式会社みどり介護サービス") -> Employer:
    return employer_create(
        program=program,
        name=name,
        address="アルファ市本町1-2-3",
        contacts=[{"name": "鈴木 一郎", "role": "施設長", "phone": "048-111-2222"}],
    )


def participant(program: Program, n: int = 0) -> Seeker:
    if n == 0:
        return register_seeker(
            program,
            birth_date=dt.date(1959, 8, 9),
            family="髙橋",
            given="美智子",
            family_kana="タカハシ",
            given_kana="ミチコ",
        )
    return register_seeker(
        program,
        birth_date=dt.date(1958, 1, n),
        family="佐藤",
        given=f"次郎{n}",
        family_kana="サトウ",
        given_kana="ジロウ",
        phone=f"090-7777-{n:04d}",
    )


PLAN: dict[str, Any] = {
    "content": "デイサービスでの配膳補助、利用者の方との会話",
    "place": "アルファ市本町1-2-3 みどり苑",
    "schedule": "9:30 集合・オリエンテーション\n10:00 配膳補助\n15:00 振り返り",
    "safety_notes": "移乗介助は行わない。",
    "harassment_notes": "相談窓口は施設長。",
}


def internship(
    program: Program,
    *,
    by: User | None = None,
    kind: str = InternshipKind.WORK_EXPERIENCE,
    seeker: Seeker | None = None,
    host: Employer | None = None,
    start_on: dt.date = DAY,
    days: int = 2,
    **fields: Any,
) -> Internship:
    host = host or employer(program)
    values = {**PLAN, **fields}
    return internship_create(
        program=program,
        kind=kind,
        employer=host,
        host_contact=host.contacts.first(),
        participant=seeker or participant(program),
        start_on=start_on,
        end_on=start_on + dt.timedelta(days=days - 1),
        by=by,
        **values,
    )


def consent(internship: Internship, party: str, by: User | None = None) -> None:
    internship_consent_record(
        internship=internship,
        party=party,
        given_on=CONSENTED,
        given_by="鈴木 一郎" if party == ConsentParty.EMPLOYER else "",
        by=by,
    )


def both_consents(internship: Internship, by: User | None = None) -> None:
    consent(internship, ConsentParty.PARTICIPANT, by)
    consent(internship, ConsentParty.EMPLOYER, by)


def insure(
    internship: Internship,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: User | None = None,
) -> None:
    internship_insurance_record(
        internship=internship,
        policy_name="インターンシップ保険",
        policy_number="A-123456",
        insurer="あおぞら損害保険株式会社",
        coverage_start=start or internship.start_on,
        coverage_end=end or internship.end_on,
        by=by,
    )


def staff(program: Program, role: str, suffix: str = "") -> User:
    from secondcareer.people.services import staff_create

    return staff_create(
        username=f"{program.slug}-{role}{suffix}", password=None, program=program, role=role
    )


def caseload(seeker: Seeker, consultant: User) -> None:
    """Make ``seeker`` one of ``consultant``'s caseload: a consultation they recorded."""
    from secondcareer.consultations.services import consultation_record_create
    from secondcareer.core.jpcalendar import TOKYO

    consultation_record_create(
        program=seeker.program,
        seeker=seeker,
        actor=consultant,
        consultant=consultant,
        method="in_person",
        minutes=45,
        start=dt.datetime(2026, 11, 10, 10, tzinfo=TOKYO),
        now=dt.datetime(2026, 11, 10, 18, tzinfo=TOKYO),
    )
