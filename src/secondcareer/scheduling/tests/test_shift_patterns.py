"""A consultant is never rostered in two places at once — but 1st/3rd-Wednesday shifts
at one venue and 2nd/4th-Wednesday shifts at another are two different days."""

from __future__ import annotations

import datetime as dt

import pytest

from secondcareer.core.errors import DomainError
from secondcareer.people.models import Role
from secondcareer.people.services import staff_create
from secondcareer.programs.models import Venue
from secondcareer.programs.services import program_load_preset
from secondcareer.scheduling.models import ShiftPattern
from secondcareer.scheduling.services import shift_pattern_create

pytestmark = pytest.mark.django_db

WEDNESDAY = 2


@pytest.fixture
def roster() -> dict:
    program = program_load_preset(path_or_name="saitama").program
    venues = list(Venue.objects.filter(program=program).order_by("pk")[:2])
    consultant = staff_create(
        username="st-cc", password=None, program=program, role=Role.CONSULTANT
    )

    def add(venue: Venue, nth: list[int] | None) -> ShiftPattern:
        return shift_pattern_create(
            program=program,
            consultant=consultant,
            weekday=WEDNESDAY,
            start=dt.time(10),
            end=dt.time(16),
            valid_from=dt.date(2027, 1, 1),
            venue=venue,
            nth=nth,
        )

    return {"add": add, "venues": venues}


def test_alternate_wednesdays_at_two_venues_are_both_rostered(roster: dict) -> None:
    first, second = roster["venues"]
    roster["add"](first, [1, 3])
    roster["add"](second, [2, 4])
    assert ShiftPattern.objects.count() == 2


@pytest.mark.parametrize(
    ("existing", "new"),
    [([1, 3], [3]), (None, [2]), ([2], None), ([-1], [4]), ([5], [-1])],
)
def test_shifts_that_can_fall_on_the_same_day_are_refused(
    roster: dict, existing: list[int] | None, new: list[int] | None
) -> None:
    first, second = roster["venues"]
    roster["add"](first, existing)
    with pytest.raises(DomainError) as refused:
        roster["add"](second, new)
    assert refused.value.code == "conflict"
    assert "同じ曜日・時間帯" in refused.value.message
    assert ShiftPattern.objects.count() == 1
