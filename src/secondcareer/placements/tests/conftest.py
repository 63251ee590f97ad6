"""Employers, postings (the centre's own and Hello Work's) and a referral pipeline for
the placements tests; the program is the conftest's アルファ市 (follow-ups at 1, 3 and
6 months, no contract end unless a test sets one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from secondcareer.conftest import TODAY, register_seeker
from secondcareer.jobs.models import Employer, JobPosting, PostingSource, WageType
from secondcareer.jobs.services import employer_create, posting_create
from secondcareer.people.models import Seeker, User
from secondcareer.placements.models import Placement, Referral
from secondcareer.placements.services import referral_change_status, referral_create
from secondcareer.programs.models import ConsultationKind, Program

__all__ = ["TODAY"]


@pytest.fixture
def retention_kind(program: Program) -> ConsultationKind:
    return ConsultationKind.objects.create(
        program=program, code="retention_followup", name="定着支援フォローアップ"
    )


@pytest.fixture
def employer(program: Program) -> Employer:
    return employer_create(program=program, name="株式会社アルファ清掃")


@pytest.fixture
def posting(program: Program, employer: Employer) -> JobPosting:
    """The centre's own posting (counts for 職業紹介件数)."""
    return posting_create(
        program=program,
        employer=employer,
        occupation="ビル清掃スタッフ",
        wage_from=1100,
        wage_type=WageType.HOURLY,
        referral_deadline=TODAY + dt.timedelta(days=60),
        today=TODAY,
    )


@pytest.fixture
def hw_posting(program: Program, employer: Employer) -> JobPosting:
    """A Hello Work posting (does not count for 職業紹介件数)."""
    return JobPosting.objects.create(
        program=program,
        number="11010-00000001",
        employer=employer,
        office_name=employer.name,
        occupation="施設警備員",
        wage_from=1200,
        wage_type=WageType.HOURLY,
        referral_deadline=TODAY + dt.timedelta(days=60),
        source=PostingSource.HELLOWORK,
    )


@pytest.fixture
def make_seeker(program: Program) -> Callable[..., Seeker]:
    counter = iter(range(1, 1000))

    def make(birth_date: dt.date, prog: Program | None = None) -> Seeker:
        n = next(counter)
        return register_seeker(
            prog or program,
            birth_date=birth_date,
            family="佐藤",
            given="花子一二三四五六七八九"[n % 10] + "子",
            family_kana="サトウ",
            given_kana="ハナコ",
            phone=f"090-3{n:03d}-{n:04d}",
        )

    return make


HIRED_PATH = ("applied", "document_screening", "interview", "offered")


@pytest.fixture
def hire() -> Callable[..., Placement]:
    """``hire(referral, actor, start_on=…, employment_type=…)``: walk the referral to
    hired; returns the placement created with it."""

    def run(referral: Referral, actor: User, on: dt.date = TODAY, **placement: Any) -> Placement:
        for status in HIRED_PATH:
            referral_change_status(referral=referral, to_status=status, actor=actor, on=on)
        placement.setdefault("start_on", on)
        placement.setdefault("employment_type", "non_regular")
        referral_change_status(
            referral=referral, to_status="hired", actor=actor, on=on, placement=placement
        )
        return Placement.objects.get(referral=referral)

    return run


@pytest.fixture
def refer(program: Program) -> Callable[..., Referral]:
    def run(seeker: Seeker, posting: JobPosting, actor: User, on: dt.date = TODAY) -> Referral:
        return referral_create(
            program=program, seeker=seeker, posting=posting, actor=actor, referred_on=on
        )

    return run
