"""The matching screens' tests' world: the test program's areas and a few imported postings
(matching's conftest), 山田 太郎 (66) with an open case of the consultant and a matching
profile, the clock at 10:00 on the jobs tests' TODAY (the postings are open then)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import time_machine

from secondcareer.consultations.models import Case
from secondcareer.consultations.services import consultation_record_create
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.jobs.models import JobPosting
from secondcareer.matching.services import profile_save
from secondcareer.matching.tests.conftest import TODAY, row
from secondcareer.people.models import Seeker, User
from secondcareer.programs.models import Area, ConsultationKind, Program

ROWS = [
    row(1, 職種="清掃スタッフ", 仕事内容="オフィスビルの日常清掃"),
    row(
        2,
        職種="経理事務",
        仕事内容="伝票の入力と月次の経理、簿記の知識を活かせます",
        就業場所="ガンマ市中央1-1",
        賃金="時給1,000円～1,300円",
    ),
    row(3, 職種="警備員", 仕事内容="施設の巡回", 週所定労働日数="週5日"),
    row(4, 職種="漁港の作業", 仕事内容="水揚げの補助", 就業場所="離島村港1"),
]


@dataclass
class World:
    program: Program
    seeker: Seeker
    case: Case
    cleaning: JobPosting
    accounting: JobPosting
    guard: JobPosting
    island: JobPosting


@pytest.fixture
def at_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10), tzinfo=TOKYO), tick=False):
        yield


def open_case(program: Program, seeker: Seeker, consultant: User) -> Case:
    """A first consultation with ``consultant``, which opens the seeker's case."""
    ConsultationKind.objects.get_or_create(
        program=program, code="career", defaults={"name": "キャリア相談"}
    )
    record = consultation_record_create(
        program=program,
        seeker=seeker,
        actor=consultant,
        method="in_person",
        minutes=45,
        consultant=consultant,
        start=dt.datetime.combine(TODAY - dt.timedelta(days=2), dt.time(10), tzinfo=TOKYO),
    )
    assert record.case is not None
    return record.case


def save_profile(program: Program, seeker: Seeker, by: User | None, **fields: object) -> None:
    values: dict[str, object] = {
        "days_per_week": 3,
        "hours_per_day": 5,
        "min_hourly_wage": 1100,
        "max_commute_minutes": 45,
        "wished_occupations": ["経理事務"],
        "career_history": "メーカーで経理と簿記を20年担当しました",
    }
    values.update(fields)
    profile_save(program=program, seeker=seeker, by=by, **values)


@pytest.fixture
def world(
    at_today: None,
    program: Program,
    areas: dict[str, Area],
    seeker: Seeker,
    consultant: User,
    import_rows: Callable[..., str],
) -> World:
    import_rows(ROWS)
    case = open_case(program, seeker, consultant)
    save_profile(program, seeker, consultant)
    by_number = {p.number[-1]: p for p in JobPosting.objects.filter(program=program)}
    return World(
        program=program,
        seeker=seeker,
        case=case,
        cleaning=by_number["1"],
        accounting=by_number["2"],
        guard=by_number["3"],
        island=by_number["4"],
    )


@pytest.fixture
def other_seeker_in_program(world: World, consultant: User) -> Seeker:
    """鈴木 花子 (68), with an open case of the same consultant and no matching profile."""
    from secondcareer.conftest import register_seeker

    other = register_seeker(
        world.program,
        birth_date=dt.date(1958, 3, 3),
        family="鈴木",
        given="花子",
        family_kana="スズキ",
        given_kana="ハナコ",
        phone="090-7777-0001",
    )
    open_case(world.program, other, consultant)
    return other
