"""A referral moves along its pipeline one allowed step at a time, every change kept;
a seeker cannot be referred twice to one posting while a referral is open (refused by
the service and, for two at once, by the database itself)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.db import IntegrityError, transaction

from secondcareer.conftest import TODAY
from secondcareer.core.errors import DomainError
from secondcareer.jobs.models import JobPosting
from secondcareer.people.models import Seeker, User
from secondcareer.placements.models import (
    ApplicationSupport,
    Placement,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
)
from secondcareer.placements.services import (
    application_support_log,
    referral_change_status,
    referral_create,
)
from secondcareer.programs.models import Program

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


def test_every_change_of_status_is_kept_with_who_and_the_note(
    program: Program, seeker: Seeker, posting: JobPosting, consultant: User
) -> None:
    referral = referral_create(program=program, seeker=seeker, posting=posting, actor=consultant)
    referral_change_status(
        referral=referral, to_status="applied", actor=consultant, note="応募書類を郵送"
    )
    referral_change_status(referral=referral, to_status="interview", actor=consultant)
    changes = list(ReferralStatusChange.objects.filter(referral=referral).order_by("id"))
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("", "proposed"),
        ("proposed", "applied"),
        ("applied", "interview"),
    ]
    assert changes[1].note == "応募書類を郵送"
    assert {c.by for c in changes} == {consultant}
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.INTERVIEW
    assert referral.closed_on is None


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ((), "hired"),
        ((), "interview"),
        (("applied",), "offered"),
        (("applied", "interview", "not_hired"), "applied"),
        (("declined",), "applied"),
        (("applied", "interview", "offered"), "not_hired"),
    ],
)
def test_a_step_outside_the_pipeline_is_refused_in_japanese_and_changes_nothing(
    program: Program,
    seeker: Seeker,
    posting: JobPosting,
    consultant: User,
    path: tuple[str, ...],
    refused: str,
) -> None:
    referral = referral_create(program=program, seeker=seeker, posting=posting, actor=consultant)
    for status in path:
        referral_change_status(referral=referral, to_status=status, actor=consultant)
    before = ReferralStatusChange.objects.count()
    with pytest.raises(DomainError) as caught:
        referral_change_status(
            referral=referral,
            to_status=refused,
            actor=consultant,
            placement={"start_on": TODAY, "employment_type": "regular"},
        )
    assert caught.value.status == 409
    assert "には変更できません" in caught.value.message
    assert ReferralStatusChange.objects.count() == before
    assert not Placement.objects.exists()


def test_an_unknown_status_is_a_japanese_422(
    program: Program, seeker: Seeker, posting: JobPosting, consultant: User
) -> None:
    referral = referral_create(program=program, seeker=seeker, posting=posting, actor=consultant)
    with pytest.raises(DomainError) as caught:
        referral_change_status(referral=referral, to_status="maybe", actor=consultant)
    assert caught.value.status == 422
    assert "状態は" in caught.value.message


def test_hiring_creates_the_placement_with_its_followups_in_the_same_call(
    program: Program,
    seeker: Seeker,
    posting: JobPosting,
    consultant: User,
    hire: Callable[..., Placement],
) -> None:
    referral = referral_create(program=program, seeker=seeker, posting=posting, actor=consultant)
    placement = hire(referral, consultant, start_on=dt.date(2026, 12, 1), weekly_hours=20)
    assert placement.source == "referral"
    assert placement.employer == posting.employer
    assert placement.posting == posting
    assert [(f.months, f.due_on) for f in placement.followups.order_by("months")] == [
        (1, dt.date(2027, 1, 1)),
        (3, dt.date(2027, 3, 1)),
        (6, dt.date(2027, 6, 1)),
    ]
    referral.refresh_from_db()
    assert referral.status == "hired"
    assert referral.closed_on == TODAY


def test_hiring_without_the_placement_details_is_refused_and_the_referral_stays_offered(
    program: Program, seeker: Seeker, posting: JobPosting, consultant: User
) -> None:
    referral = referral_create(program=program, seeker=seeker, posting=posting, actor=consultant)
    for status in ("applied", "interview", "offered"):
        referral_change_status(referral=referral, to_status=status, actor=consultant)
    with pytest.raises(DomainError) as caught:
        referral_change_status(referral=referral, to_status="hired", actor=consultant)
    assert "就職日" in caught.value.message
    with pytest.raises(DomainError):
        referral_change_status(
            referral=referral,
            to_status="hired",
            actor=consultant,
            placement={"start_on": TODAY, "employment_type": "full"},
        )
    referral.refresh_from_db()
    assert referral.status == "offered"
    assert not Placement.objects.exists()


def test_a_second_open_referral_to_the_same_posting_is_refused_but_one_after_an_end_is_fine(
    program: Program, seeker: Seeker, posting: JobPosting, consultant: User
) -> None:
    first = referral_create(program=program, seeker=seeker, posting=posting, actor=consultant)
    with pytest.raises(DomainError) as caught:
        referral_create(program=program, seeker=seeker, posting=posting, actor=consultant)
    assert caught.value.status == 409
    assert "すでに紹介中" in caught.value.message
    referral_change_status(referral=first, to_status="withdrawn", actor=consultant)
    again = referral_create(program=program, seeker=seeker, posting=posting, actor=consultant)
    assert again.status == "proposed"
    assert Referral.objects.filter(seeker=seeker, posting=posting).count() == 2


def test_the_database_itself_refuses_a_second_open_referral(
    program: Program, seeker: Seeker, posting: JobPosting, consultant: User
) -> None:
    referral_create(program=program, seeker=seeker, posting=posting, actor=consultant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            program=program,
            seeker=seeker,
            posting=posting,
            status=ReferralStatus.INTERVIEW,
            referred_on=TODAY,
        )
    # A closed one beside the open one is allowed.
    Referral.objects.create(
        program=program, seeker=seeker, posting=posting, status="declined", referred_on=TODAY
    )


def test_own_postings_count_as_own_developed_and_hello_work_ones_do_not(
    program: Program,
    seeker: Seeker,
    posting: JobPosting,
    hw_posting: JobPosting,
    consultant: User,
) -> None:
    own = referral_create(program=program, seeker=seeker, posting=posting, actor=consultant)
    hw = referral_create(program=program, seeker=seeker, posting=hw_posting, actor=consultant)
    assert own.counts_as_own_developed is True
    assert hw.counts_as_own_developed is False


def test_a_posting_of_another_program_a_closed_posting_or_another_programs_seeker_is_refused(
    program: Program,
    seeker: Seeker,
    other_seeker: Seeker,
    posting: JobPosting,
    consultant: User,
) -> None:
    with pytest.raises(DomainError) as caught:
        referral_create(program=program, seeker=other_seeker, posting=posting, actor=consultant)
    assert caught.value.status == 404
    posting.status = "closed"
    with pytest.raises(DomainError) as caught:
        referral_create(program=program, seeker=seeker, posting=posting, actor=consultant)
    assert "募集が終了" in caught.value.message
    assert not Referral.objects.exists()


def test_application_support_is_logged_against_the_referral(
    program: Program, seeker: Seeker, posting: JobPosting, consultant: User
) -> None:
    referral = referral_create(program=program, seeker=seeker, posting=posting, actor=consultant)
    application_support_log(
        referral=referral, kind="resume_review", actor=consultant, minutes=30, note="志望動機"
    )
    application_support_log(referral=referral, kind="mock_interview", actor=consultant, minutes=45)
    assert list(
        ApplicationSupport.objects.filter(referral=referral).values_list("kind", "minutes")
    ) == [("resume_review", 30), ("mock_interview", 45)]
    for bad in ({"kind": "coffee", "minutes": 10}, {"kind": "accompaniment", "minutes": 9999}):
        with pytest.raises(DomainError) as caught:
            application_support_log(referral=referral, actor=consultant, **bad)  # type: ignore[arg-type]
        assert caught.value.status == 422
    assert ApplicationSupport.objects.count() == 2
