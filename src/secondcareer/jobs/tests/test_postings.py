"""Postings close themselves after their 紹介期限日; newly developed employers per fiscal year."""

from __future__ import annotations

import datetime as dt

import pytest

from secondcareer.jobs.models import Employer, JobPosting, PostingSource
from secondcareer.jobs.selectors import newly_developed, open_postings, posting_is_open
from secondcareer.jobs.services import (
    development_activity_record,
    employer_create,
    postings_close_expired,
)
from secondcareer.people.models import User
from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db


def posting(program: Program, number: str, deadline: dt.date, employer: Employer) -> JobPosting:
    return JobPosting.objects.create(
        program=program,
        number=number,
        referral_deadline=deadline,
        employer=employer,
        office_name=employer.name,
        occupation="清掃",
        wage_from=1100,
        wage_type="hourly",
        source=PostingSource.OWN,
    )


@pytest.fixture
def employer(program: Program) -> Employer:
    return employer_create(program=program, name="株式会社アルファ")


def test_a_posting_is_open_through_its_deadline_and_closed_the_day_after(
    program: Program, employer: Employer
) -> None:
    deadline = dt.date(2026, 12, 31)
    item = posting(program, "A-1", deadline, employer)
    assert list(open_postings(program, deadline)) == [item]
    assert posting_is_open(item, deadline)
    # Before the service has run, the open list already leaves it out.
    assert list(open_postings(program, deadline + dt.timedelta(days=1))) == []
    assert not posting_is_open(item, deadline + dt.timedelta(days=1))


def test_closing_expired_postings_closes_only_those_past_their_deadline(
    program: Program, other_program: Program, employer: Employer
) -> None:
    on = dt.date(2027, 1, 10)
    expired = posting(program, "A-1", dt.date(2027, 1, 9), employer)
    today = posting(program, "A-2", on, employer)
    theirs = posting(
        other_program, "B-1", dt.date(2027, 1, 1), employer_create(program=other_program, name="B")
    )
    assert postings_close_expired(program=program, on=on) == 1
    expired.refresh_from_db()
    assert (expired.status, expired.closed_on) == ("closed", dt.date(2027, 1, 10))
    today.refresh_from_db()
    theirs.refresh_from_db()
    assert today.status == "open" and theirs.status == "open"
    assert postings_close_expired(program=program, on=on) == 0


def test_open_postings_of_another_program_are_not_listed(
    program: Program, other_program: Program, employer: Employer
) -> None:
    posting(
        other_program, "B-1", dt.date(2027, 3, 1), employer_create(program=other_program, name="B")
    )
    assert list(open_postings(program, dt.date(2027, 1, 1))) == []


def test_an_employer_counts_as_newly_developed_in_the_fiscal_year_of_its_first_activity(
    program: Program, other_program: Program, job_developer: User
) -> None:
    def develop(name: str, *days: dt.date, of: Program = program) -> Employer:
        employer = employer_create(program=of, name=name)
        for day in days:
            development_activity_record(employer=employer, kind="visit", on=day, by=job_developer)
        return employer

    march = develop("三月に初訪問", dt.date(2026, 3, 31), dt.date(2026, 5, 1))
    april = develop(
        "四月に初訪問", dt.date(2026, 4, 1), dt.date(2025, 4, 1) + dt.timedelta(days=800)
    )
    last_day = develop("年度末に初訪問", dt.date(2027, 3, 31))
    develop("翌年度", dt.date(2027, 4, 1))
    develop("活動なし")
    develop("他の事業", dt.date(2026, 6, 1), of=other_program)
    assert list(newly_developed(program, 2026)) == [april, last_day]
    assert list(newly_developed(program, 2025)) == [march]
