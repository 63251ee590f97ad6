"""Pin and hide (remembered, pinned first even past a filter, hidden out unless asked
for), the profile's validation in Japanese, and the digest of new postings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.jobs.models import JobPosting
from secondcareer.matching.models import MatchDecision, SeekerProfile
from secondcareer.matching.selectors import digest_for, seeker_matches
from secondcareer.matching.services import digest_mark, match_decide, profile_save
from secondcareer.matching.tests.conftest import TODAY, row
from secondcareer.people.models import Seeker, User
from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db


def _rows(count: int) -> list[dict[str, str]]:
    return [row(n, 職種=f"清掃スタッフ{n}", 仕事内容="ビルの清掃") for n in range(1, count + 1)]


def _profile(program: Program, seeker: Seeker, by: User | None = None) -> None:
    profile_save(
        program=program,
        seeker=seeker,
        by=by,
        days_per_week=3,
        hours_per_day=5,
        min_hourly_wage=1000,
    )


def test_pinned_comes_first_hidden_is_gone_and_both_are_remembered(
    program: Program, seeker: Seeker, consultant: User, import_rows: Callable[..., str]
) -> None:
    import_rows([*_rows(4), row(9, 職種="警備員", 仕事内容="巡回", 週所定労働日数="週5日")])
    _profile(program, seeker, consultant)
    before = [m.posting.number for m in seeker_matches(program=program, seeker=seeker, on=TODAY)]
    assert len(before) == 4
    last = JobPosting.objects.get(number=before[-1])
    first = JobPosting.objects.get(number=before[0])
    guard = JobPosting.objects.get(number="11010-00000009")  # 週5日: outside the filters

    match_decide(program=program, seeker=seeker, posting=last, choice="pin", by=consultant)
    match_decide(program=program, seeker=seeker, posting=guard, choice="pin", by=consultant)
    match_decide(program=program, seeker=seeker, posting=first, choice="hide", by=consultant)
    matches = seeker_matches(program=program, seeker=seeker, top=3, on=TODAY)
    assert {m.posting for m in matches[:2]} == {last, guard}
    assert all(m.decision == "pin" for m in matches[:2])
    assert first not in [m.posting for m in matches]
    assert len(matches) == 3
    pinned_guard = next(m for m in matches if m.posting == guard)
    assert "週5日の勤務で、希望（週3日まで）より多い" in pinned_guard.gaps
    assert not any(r.startswith("週") for r in pinned_guard.reasons)

    shown = seeker_matches(program=program, seeker=seeker, include_hidden=True, on=TODAY)
    assert shown[-1].posting == first and shown[-1].decision == "hide"

    match_decide(program=program, seeker=seeker, posting=first, choice="clear", by=consultant)
    assert first in [m.posting for m in seeker_matches(program=program, seeker=seeker, on=TODAY)]
    assert MatchDecision.objects.filter(seeker=seeker).count() == 2


def test_a_wrong_choice_or_another_programs_posting_is_refused(
    program: Program,
    seeker: Seeker,
    other_seeker: Seeker,
    consultant: User,
    import_rows: Callable[..., str],
) -> None:
    import_rows(_rows(1))
    posting = JobPosting.objects.get()
    with pytest.raises(DomainError) as wrong:
        match_decide(program=program, seeker=seeker, posting=posting, choice="star", by=consultant)
    assert "choice" in wrong.value.field_errors
    with pytest.raises(DomainError):
        match_decide(
            program=program, seeker=other_seeker, posting=posting, choice="pin", by=consultant
        )
    assert not MatchDecision.objects.exists()


def test_a_profile_with_wrong_values_says_what_is_wrong_in_japanese_and_saves_nothing(
    program: Program, seeker: Seeker, consultant: User
) -> None:
    with pytest.raises(DomainError) as caught:
        profile_save(
            program=program,
            seeker=seeker,
            by=consultant,
            days_per_week=9,
            hours_per_day=0,
            max_commute_minutes="遠く",
            employment_types=["アルバイト"],
            wished_areas=["nowhere"],
            time_of_day="night",
            physical_limit="extreme",
            min_hourly_wage=-5,
        )
    errors = caught.value.field_errors
    assert set(errors) == {
        "days_per_week",
        "hours_per_day",
        "max_commute_minutes",
        "employment_types",
        "wished_areas",
        "time_of_day",
        "physical_limit",
        "min_hourly_wage",
    }
    assert "週 1〜7 日" in errors["days_per_week"][0]
    assert "nowhere" in errors["wished_areas"][0]
    assert not SeekerProfile.objects.exists()


def test_a_monthly_wage_wish_is_kept_in_yen_per_hour(
    program: Program, seeker: Seeker, consultant: User
) -> None:
    profile = profile_save(
        program=program,
        seeker=seeker,
        by=consultant,
        days_per_week=5,
        hours_per_day=8,
        min_wage=173_334,
        min_wage_type="monthly",
    )
    # 173,334円 ÷ (8 h × 5 days × 52/12) = 1,000円 an hour
    assert profile.min_hourly_wage == 1000
    # fields not given keep their value
    again = profile_save(program=program, seeker=seeker, by=consultant, career_history="経理")
    assert again.pk == profile.pk
    assert again.days_per_week == 5 and again.min_hourly_wage == profile.min_hourly_wage


def test_the_digest_holds_only_postings_new_since_the_last_one(
    program: Program, seeker: Seeker, import_rows: Callable[..., str]
) -> None:
    import_rows(_rows(3))
    _profile(program, seeker)
    noon = dt.datetime.combine(TODAY, dt.time(12), TOKYO)
    first = digest_for(program=program, seeker=seeker, top=2, now=noon)
    assert len(first) == 2
    digest_mark(program=program, seeker=seeker, postings=[m.posting for m in first], now=noon)
    assert digest_for(program=program, seeker=seeker, top=5, now=noon) == []

    # the next day's import (at 9:00) adds one posting
    import_rows(
        [*_rows(3), row(7, 職種="清掃スタッフ7", 仕事内容="ビルの清掃")],
        on=TODAY + dt.timedelta(days=1),
    )
    later = digest_for(program=program, seeker=seeker, top=5, now=noon + dt.timedelta(days=2))
    assert [m.posting.number for m in later] == ["11010-00000007"]
