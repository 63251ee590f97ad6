"""The 60+/65+ figures take the seeker's age on the start date (満年齢): one who turns
65 the day after the start counts as 60+ and not 65+; one who turns 65 on the start
date counts as both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from secondcareer.jobs.models import Employer
from secondcareer.people.models import Seeker, User
from secondcareer.placements.counting import counts
from secondcareer.placements.models import Placement
from secondcareer.placements.services import placement_create
from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db

START = dt.date(2026, 10, 1)


def _place(program: Program, seeker: Seeker, employer: Employer, actor: User) -> Placement:
    return placement_create(
        program=program,
        seeker=seeker,
        employer=employer,
        actor=actor,
        start_on=START,
        employment_type="regular",
        source="self_found",
    )


@pytest.mark.parametrize(
    ("birth_date", "age", "groups"),
    [
        (dt.date(1961, 10, 2), 64, {"placements_60"}),  # turns 65 the day after
        (dt.date(1961, 10, 1), 65, {"placements_60", "placements_65"}),  # turns 65 that day
        (dt.date(1966, 10, 2), 59, set()),  # turns 60 the day after
        (dt.date(1966, 10, 1), 60, {"placements_60"}),
    ],
)
def test_the_age_on_the_start_date_decides_the_60_and_65_groups(
    program: Program,
    employer: Employer,
    manager: User,
    make_seeker: Callable[..., Seeker],
    birth_date: dt.date,
    age: int,
    groups: set[str],
) -> None:
    placement = _place(program, make_seeker(birth_date), employer, manager)
    assert placement.age_at_start == age
    figures = counts(program, START, START)
    assert figures["placements"].people == 1
    counted = {key for key in ("placements_60", "placements_65") if figures[key].people == 1}
    assert counted == groups


def test_a_29_february_birthday_completes_its_year_on_1_march(
    program: Program, employer: Employer, manager: User, make_seeker: Callable[..., Seeker]
) -> None:
    seeker = make_seeker(dt.date(1960, 2, 29))
    for start, age in ((dt.date(2025, 2, 28), 64), (dt.date(2025, 3, 1), 65)):
        placement = placement_create(
            program=program,
            seeker=seeker,
            employer=employer,
            actor=manager,
            start_on=start,
            employment_type="regular",
            source="self_found",
        )
        assert placement.age_at_start == age
