"""The counting selector's figures equal a hand count of a small fixture, people (人)
once per period and records (件) every time, each with the records behind it; its
query count does not grow with the data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secondcareer.core.jpcalendar import TOKYO
from secondcareer.jobs.models import Employer, JobPosting
from secondcareer.people.models import Seeker, User
from secondcareer.placements.counting import counts
from secondcareer.placements.models import FollowUp, Placement, Referral
from secondcareer.placements.services import (
    followup_record,
    placement_create,
    referral_change_status,
    referral_create,
)
from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db

FIRST, LAST = dt.date(2026, 4, 1), dt.date(2026, 9, 30)


def _place(
    program: Program, seeker: Seeker, employer: Employer, actor: User, start: dt.date, kind: str
) -> Placement:
    return placement_create(
        program=program,
        seeker=seeker,
        employer=employer,
        actor=actor,
        start_on=start,
        employment_type=kind,
        source="self_found",
    )


@pytest.fixture
def world(
    program: Program,
    employer: Employer,
    posting: JobPosting,
    hw_posting: JobPosting,
    manager: User,
    make_seeker: Callable[..., Seeker],
) -> dict[str, Seeker]:
    """Hand count, for 2026-04-01..2026-09-30:

    referrals: A→own (May), A→HW (June), B→own (July, withdrawn), B→own again (Aug),
    C→HW (Oct: outside) = 4 件 / 2 人; own-developed 3 件 / 2 人.
    placements: A regular 2026-06-01 (age 66), A non-regular 2026-09-01 (66),
    B non-regular 2026-07-15 (turns 65 on 2026-07-16: 64), D other 2026-05-01 (59),
    C regular 2026-10-01 (outside) = 4 件 / 3 人; 60+ 3 件 / 2 人; 65+ 2 件 / 1 人;
    regular 1 / 1; non-regular 2 件 / 2 人.
    follow-ups done: A's 1-month (2026-07-01) and 3-month (2026-09-01), B's 1-month
    (2026-08-15); D's 6-month done 2026-11-01 (outside) = 3 件 / 2 人.
    """
    seekers = {
        "A": make_seeker(dt.date(1960, 1, 10)),
        "B": make_seeker(dt.date(1961, 7, 16)),
        "C": make_seeker(dt.date(1955, 3, 3)),
        "D": make_seeker(dt.date(1967, 1, 1)),
    }
    A, B, C, D = seekers["A"], seekers["B"], seekers["C"], seekers["D"]
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=TOKYO), tick=False):
        for seeker, post, on in (
            (A, posting, dt.date(2026, 5, 10)),
            (A, hw_posting, dt.date(2026, 6, 10)),
            (B, posting, dt.date(2026, 7, 10)),
            (C, hw_posting, dt.date(2026, 10, 10)),
        ):
            JobPosting.objects.filter(pk=post.pk).update(referral_deadline=dt.date(2027, 3, 31))
            post.refresh_from_db()
            referral_create(
                program=program, seeker=seeker, posting=post, actor=manager, referred_on=on
            )
        first_b = Referral.objects.get(seeker=B)
        referral_change_status(referral=first_b, to_status="withdrawn", actor=manager)
        referral_create(
            program=program,
            seeker=B,
            posting=posting,
            actor=manager,
            referred_on=dt.date(2026, 8, 1),
        )
        a1 = _place(program, A, employer, manager, dt.date(2026, 6, 1), "regular")
        _place(program, A, employer, manager, dt.date(2026, 9, 1), "non_regular")
        b1 = _place(program, B, employer, manager, dt.date(2026, 7, 15), "non_regular")
        d1 = _place(program, D, employer, manager, dt.date(2026, 5, 1), "other")
        _place(program, C, employer, manager, dt.date(2026, 10, 1), "regular")
        for followup, done in (
            (a1.followups.get(months=1), dt.date(2026, 7, 1)),
            (a1.followups.get(months=3), dt.date(2026, 9, 1)),
            (b1.followups.get(months=1), dt.date(2026, 8, 15)),
            (d1.followups.get(months=6), dt.date(2026, 11, 1)),
        ):
            followup_record(followup=followup, actor=manager, outcome="continuing", done_on=done)
    return seekers


def test_the_figures_equal_the_hand_count(program: Program, world: dict[str, Seeker]) -> None:
    figures = counts(program, FIRST, LAST)
    got = {key: (f.cases, f.people) for key, f in figures.items()}
    assert got == {
        "referrals": (4, 2),
        "referrals_own": (3, 2),
        "placements": (4, 3),
        "placements_60": (3, 2),
        "placements_65": (2, 1),
        "placements_regular": (1, 1),
        "placements_non_regular": (2, 2),
        "followups_done": (3, 2),
    }


def test_each_figure_drills_down_to_the_records_and_people_behind_it(
    program: Program, world: dict[str, Seeker]
) -> None:
    figures = counts(program, FIRST, LAST)
    A, B, D = world["A"], world["B"], world["D"]
    assert figures["placements_60"].seeker_ids() == sorted([A.pk, B.pk])
    assert figures["placements_65"].seeker_ids() == [A.pk]
    assert figures["referrals_own"].records.count() == 3
    assert {r.posting.source for r in figures["referrals_own"].records} == {"own"}
    assert figures["followups_done"].seeker_ids() == sorted([A.pk, B.pk])
    assert figures["placements"].seeker_ids() == sorted([A.pk, B.pk, D.pk])
    assert all(isinstance(f.records.first(), FollowUp) for f in [figures["followups_done"]])


def test_another_program_and_an_empty_period_count_nothing(
    program: Program, other_program: Program, world: dict[str, Seeker]
) -> None:
    assert {f.cases for f in counts(other_program, FIRST, LAST).values()} == {0}
    assert {
        f.people for f in counts(program, dt.date(2025, 1, 1), dt.date(2025, 12, 31)).values()
    } == {0}


def test_the_query_count_does_not_grow_with_the_data(
    program: Program,
    employer: Employer,
    manager: User,
    make_seeker: Callable[..., Seeker],
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            figures = counts(program, FIRST, LAST)
            assert all(f.cases >= 0 for f in figures.values())
        return len(ctx.captured_queries)

    empty = queries()
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=TOKYO), tick=False):
        for n in range(6):
            _place(
                program,
                make_seeker(dt.date(1958, 1, 1 + n)),
                employer,
                manager,
                dt.date(2026, 5, 1 + n),
                "regular",
            )
    assert queries() == empty == 3
