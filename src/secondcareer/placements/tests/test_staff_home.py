"""The staff home lists the overdue retention follow-ups of a consultant's caseload
(every one of the program for a manager), audited, in a number of queries that does
not grow with them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from secondcareer.conftest import TODAY
from secondcareer.consultations.models import Case
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditEntry
from secondcareer.devtools.testing.queries import same_count_with_more_rows
from secondcareer.jobs.models import Employer
from secondcareer.people.models import Seeker, User
from secondcareer.placements.services import placement_create
from secondcareer.programs.models import Program

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10), TOKYO), tick=False):
        yield


@pytest.fixture
def place(
    program: Program, employer: Employer, consultant: User, make_seeker: Callable[..., Seeker]
) -> Callable[[int], list[Seeker]]:
    """``place(n)``: n seekers of the consultant placed 40 days ago (1-month overdue)."""

    def run(count: int) -> list[Seeker]:
        made = []
        for n in range(count):
            seeker = make_seeker(dt.date(1958, 4, 1 + n))
            Case.objects.create(
                program=program, seeker=seeker, consultant=consultant, opened_on=TODAY
            )
            placement_create(
                program=program,
                seeker=seeker,
                employer=employer,
                actor=consultant,
                start_on=TODAY - dt.timedelta(days=40),
                employment_type="non_regular",
                source="self_found",
            )
            made.append(seeker)
        return made

    return run


def test_the_consultant_sees_their_overdue_followups_and_another_consultant_does_not(
    place: Callable[[int], list[Seeker]],
    consultant: User,
    consultant2: User,
    client_for: Callable[[User], Client],
) -> None:
    (seeker,) = place(1)
    body = client_for(consultant).get("/staff/").content.decode()
    assert "期限切れの定着支援フォローアップ" in body
    assert seeker.full_name in body
    assert "就職1か月後" in body
    assert AuditEntry.objects.filter(note="home", object_id=str(seeker.pk)).exists()
    other = client_for(consultant2).get("/staff/").content.decode()
    assert "期限切れの定着支援フォローアップ" not in other


def test_the_home_does_not_query_per_overdue_followup(
    place: Callable[[int], list[Seeker]],
    consultant: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    place(1)
    client = client_for(consultant)
    same_count_with_more_rows(
        client, "/staff/", None, lambda: place(5), 16, django_assert_max_num_queries
    )
    assert client.get("/staff/").content.decode().count("就職1か月後") == 6
