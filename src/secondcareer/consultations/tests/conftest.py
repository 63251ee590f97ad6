"""Staff of the real programs and a way to record a consultation on a given day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine

from secondcareer.conftest import register_seeker
from secondcareer.consultations.models import ConsultationRecord
from secondcareer.consultations.services import consultation_record_create
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.people.models import Role, Seeker, User
from secondcareer.people.services import staff_create
from secondcareer.programs.models import Program


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def travel(day: dt.date, hour: int = 18) -> Any:
    """Freeze 'now' at ``hour`` o'clock in Japan on ``day``."""
    return time_machine.travel(at(day, hour), tick=False)


def staff(program: Program, role: str, suffix: str = "") -> User:
    return staff_create(
        username=f"{program.slug}-{role}{suffix}", password=None, program=program, role=role
    )


@pytest.fixture
def st_consultant(saitama: Program) -> User:
    return staff(saitama, Role.CONSULTANT)


@pytest.fixture
def st_consultant2(saitama: Program) -> User:
    return staff(saitama, Role.CONSULTANT, "-2")


@pytest.fixture
def st_manager(saitama: Program) -> User:
    return staff(saitama, Role.MANAGER)


@pytest.fixture
def st_seeker(saitama: Program) -> Seeker:
    return register_seeker(saitama, birth_date=dt.date(1960, 5, 1))


def another_seeker(program: Program, n: int) -> Seeker:
    return register_seeker(
        program,
        birth_date=dt.date(1958, 1, n),
        family="鈴木",
        given=f"一郎{n}",
        family_kana="スズキ",
        given_kana="イチロウ",
        phone=f"090-5555-{n:04d}",
    )


@pytest.fixture
def frozen() -> Iterator[Callable[[dt.date], None]]:
    """``frozen(day)``: from now on in the test, it is 18:00 on ``day`` in Japan."""
    travellers: list[Any] = []

    def go(day: dt.date) -> None:
        if travellers:
            travellers.pop().stop()
        traveller = travel(day)
        traveller.start()
        travellers.append(traveller)

    yield go
    for traveller in travellers:
        traveller.stop()


def record(seeker: Seeker, consultant: User | None, day: dt.date, **kw: Any) -> ConsultationRecord:
    """A 45-minute face-to-face consultation at 10:00 on ``day``, recorded that evening."""
    values: dict[str, Any] = {
        "method": "in_person",
        "minutes": 45,
        "start": at(day),
        "now": at(day, 18),
        "consultant": consultant,
    }
    values.update(kw)
    return consultation_record_create(
        program=seeker.program, seeker=seeker, actor=consultant, **values
    )
