"""The staff home, the booking index and the seeker search run the same number of
queries whether a manager works in one program or four, and whether a search finds
two people or thirty. (The booking screens' lists: booking/tests; the inbox:
messaging/tests/test_inbox.py.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from secondcareer.conftest import _program, register_seeker
from secondcareer.devtools.testing.queries import same_count_with_more_rows
from secondcareer.people.models import Role, User
from secondcareer.people.services import membership_grant
from secondcareer.programs.models import Program

KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモ"


@pytest.fixture
def add_programs(manager: User) -> Callable[[int], list[Program]]:
    """``add_programs(n)``: n more programs where the manager is manager and consultant."""
    made: list[Program] = []

    def add(count: int) -> list[Program]:
        new = []
        for _ in range(count):
            i = len(made) + 1
            program = _program(f"extra{i}", f"追加{i}市セカンドキャリア事業", f"X{i}", f"追加{i}市")
            for role in (Role.MANAGER, Role.CONSULTANT):
                membership_grant(user=manager, program=program, role=role)
            made.append(program)
            new.append(program)
        return new

    return add


def test_the_staff_home_does_not_query_per_program(
    manager, add_programs, client_for, django_assert_max_num_queries
):
    client = client_for(manager)
    # session + user, the second-factor device, the user's roles and programs (shared
    # with the navigation bar), then one query per queue over all programs: today's
    # consultations, reviews, the inquiries' counts and rows, and (where the preset
    # sets the months) the seekers out of contact, their count and rows.
    same_count_with_more_rows(
        client, "/staff/", None, lambda: add_programs(3), 11, django_assert_max_num_queries
    )
    body = client.get("/staff/").content.decode()
    assert body.count("セカンドキャリア事業") >= 4
    assert "追加3市" in body


def test_the_booking_index_does_not_query_per_program(
    manager, add_programs, client_for, django_assert_max_num_queries
):
    client = client_for(manager)
    same_count_with_more_rows(
        client,
        "/staff/booking/",
        None,
        lambda: add_programs(3),
        7,
        django_assert_max_num_queries,
    )
    assert "追加3市" in client.get("/staff/booking/").content.decode()


def test_the_seeker_search_does_not_query_per_seeker_found(
    program, other_program, receptionist, client_for, django_assert_max_num_queries
):
    membership_grant(user=receptionist, program=other_program, role=Role.RECEPTION)

    def register(count: int, start: int) -> None:
        for n in range(start, start + count):
            register_seeker(
                program if n % 2 else other_program,
                birth_date=dt.date(1959, 1, 1),
                given=f"次郎{n}",
                given_kana=f"ジロウ{KANA[n % len(KANA)]}",
                phone=f"080-3000-{n:04d}",
            )

    register(2, 0)
    client = client_for(receptionist)
    same_count_with_more_rows(
        client,
        "/staff/seekers/",
        {"q": "山田"},
        lambda: register(28, 2),
        10,
        django_assert_max_num_queries,
    )
    assert client.get("/staff/seekers/", {"q": "山田"}).content.decode().count("次郎") >= 30
