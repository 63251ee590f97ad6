"""Matching over the database: the feed's arrays from imported postings, the hard
filters as the jobs fields give them (年齢制限 only with a lawful 該当事由), the cache
seeing an import or an edit at the next call, and the preset's weights."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from secondcareer.conftest import register_seeker
from secondcareer.jobs.models import JobPosting
from secondcareer.jobs.services import employer_update
from secondcareer.matching.feed import (
    FEEDS,
    age_bounds,
    age_limit_is_lawful,
    feed_for,
    working_hours,
)
from secondcareer.matching.models import MatchingWeights
from secondcareer.matching.selectors import (
    posting_matches,
    postings_matches,
    profile_for,
    seeker_matches,
    seekers_matches,
)
from secondcareer.matching.services import match_decide, profile_save
from secondcareer.matching.tests.conftest import TODAY, row
from secondcareer.people.models import Seeker, User
from secondcareer.programs.models import Area, Program

pytestmark = pytest.mark.django_db

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
    row(
        5,
        職種="倉庫作業",
        仕事内容="検品",
        年齢="59歳以下",
        年齢制限="あり",
        年齢制限該当事由="定年年齢を上限",
    ),
    row(
        6,
        職種="受付",
        仕事内容="来客の案内",
        年齢="59歳以下",
        年齢制限="あり",
        年齢制限該当事由="体力を要するため",
    ),
]


def _save(program: Program, seeker: Seeker, by: User | None = None, **fields: object) -> None:
    values: dict[str, object] = {
        "days_per_week": 3,
        "hours_per_day": 5,
        "min_hourly_wage": 1100,
        "max_commute_minutes": 45,
        "career_history": "メーカーで経理と簿記を20年担当しました",
    }
    values.update(fields)
    profile_save(program=program, seeker=seeker, by=by, **values)


def _numbers(matches: list) -> list[str]:  # type: ignore[type-arg]
    return [m.posting.number for m in matches]


def test_the_feed_reads_hello_work_fields_as_the_engine_needs_them() -> None:
    assert working_hours("8時30分～12時30分").hours == 4
    assert working_hours("8:30~17:30").hours == 8  # an hour's break over 8 hours
    assert working_hours("9時00分～17時00分（休憩45分）").hours == 7.25
    assert working_hours("9時00分～17時00分").start == 9
    assert working_hours("シフト制").hours == 8
    assert age_bounds("64歳以下") == (None, 64)
    assert age_bounds("60歳以上") == (60, None)
    assert age_bounds("１８歳～６４歳") == (18, 64)
    assert age_bounds("", retirement_age=65) == (None, 64)
    assert age_limit_is_lawful(True, "定年年齢を上限")
    assert age_limit_is_lawful(True, "3号のイ（長期勤続によるキャリア形成）")
    assert not age_limit_is_lawful(True, "体力を要するため")
    assert not age_limit_is_lawful(False, "定年年齢を上限")


def test_a_profile_gives_postings_within_every_hard_filter_with_reasons_and_gaps(
    program: Program,
    seeker: Seeker,
    consultant: User,
    import_rows: Callable[..., str],
) -> None:
    import_rows(ROWS)
    _save(program, seeker, consultant)
    profile = profile_for(program, seeker)
    assert profile is not None and profile.updated_by == consultant

    matches = seeker_matches(program=program, seeker=seeker, on=TODAY)
    numbers = _numbers(matches)
    # 週5日 (3), 離島村 (4) and the lawful 59歳以下 (5) are out; an age limit without a
    # lawful reason (6) is not applied
    assert sorted(numbers) == ["11010-00000001", "11010-00000002", "11010-00000006"]
    by_number = {m.posting.number: m for m in matches}
    accounting = by_number["11010-00000002"]
    assert "通勤40分以内" in accounting.reasons
    assert "週3日から可" in accounting.reasons
    assert "時給が希望より100円低い（上限1,300円）" in accounting.gaps
    assert any(r.startswith("前職の") and "経理" in r for r in accounting.reasons)
    cleaning = by_number["11010-00000001"]
    assert "通勤20分以内" in cleaning.reasons
    assert "時給1,100円からで希望以上" in cleaning.reasons
    assert all(0 <= m.score <= 1 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert cleaning.posting.employer.name  # loaded with the match


def test_wished_areas_reach_past_the_commute_and_occupations_count(
    program: Program,
    seeker: Seeker,
    areas: dict[str, Area],
    import_rows: Callable[..., str],
) -> None:
    import_rows(ROWS)
    _save(
        program,
        seeker,
        max_commute_minutes=20,
        wished_areas=["island"],
        wished_occupations=["清掃"],
    )
    numbers = _numbers(seeker_matches(program=program, seeker=seeker, on=TODAY))
    # ガンマ市 is 40 minutes away, beyond 20; 離島村 is wished
    assert "11010-00000002" not in numbers
    assert "11010-00000004" in numbers
    assert numbers[0] == "11010-00000001"  # the wished occupation ranks first


def test_an_import_and_an_edit_are_seen_at_the_next_call(
    program: Program,
    seeker: Seeker,
    import_rows: Callable[..., str],
) -> None:
    import_rows(ROWS[:1])
    _save(program, seeker)
    assert _numbers(seeker_matches(program=program, seeker=seeker, on=TODAY)) == ["11010-00000001"]
    first = feed_for(program, TODAY)

    import_rows(ROWS[:2])  # a new posting
    assert sorted(_numbers(seeker_matches(program=program, seeker=seeker, on=TODAY))) == [
        "11010-00000001",
        "11010-00000002",
    ]
    second = feed_for(program, TODAY)
    assert second is not first
    assert feed_for(program, TODAY) is second  # nothing changed: the cached index

    # an edit of a posting (as the jobs services write one): now 週5日
    posting = JobPosting.objects.get(number="11010-00000001")
    posting.days_per_week = 5
    posting.updated_at = timezone.now()
    posting.save()
    assert _numbers(seeker_matches(program=program, seeker=seeker, on=TODAY)) == ["11010-00000002"]


def test_the_reverse_list_gives_the_seekers_who_fit_a_posting(
    program: Program,
    seeker: Seeker,
    import_rows: Callable[..., str],
) -> None:
    import_rows(ROWS)
    _save(program, seeker)
    accounting = JobPosting.objects.get(number="11010-00000002")
    found = posting_matches(program=program, posting=accounting, on=TODAY)
    assert [m.seeker for m in found] == [seeker]
    assert "週3日から可" in found[0].reasons
    assert "時給が希望より100円低い（上限1,300円）" in found[0].gaps
    mine = seeker_matches(program=program, seeker=seeker, on=TODAY)
    same = next(m for m in mine if m.posting == accounting)
    assert same.score == pytest.approx(found[0].score)
    # a profile saved later is seen by the reverse list at once
    guard = JobPosting.objects.get(number="11010-00000003")
    assert posting_matches(program=program, posting=guard, on=TODAY) == []
    _save(program, seeker, days_per_week=5)
    assert [m.seeker for m in posting_matches(program=program, posting=guard, on=TODAY)] == [seeker]


def test_the_presets_weights_change_the_ranking(
    program: Program,
    seeker: Seeker,
    import_rows: Callable[..., str],
) -> None:
    import_rows(
        [
            # close by, pays the minimum, unrelated work
            row(1, 職種="清掃スタッフ", 仕事内容="床の清掃", 賃金="時給1,100円"),
            # farther, pays well, the seeker's own trade
            row(
                2,
                職種="経理事務",
                仕事内容="経理と簿記",
                就業場所="ガンマ市中央1-1",
                賃金="時給1,400円",
            ),
        ]
    )
    _save(program, seeker)
    MatchingWeights.objects.create(program=program, wage=0, commute=1, occupation=0, text=0)
    assert _numbers(seeker_matches(program=program, seeker=seeker, on=TODAY))[0] == "11010-00000001"
    MatchingWeights.objects.filter(program=program).update(commute=0, text=1, wage=1)
    assert _numbers(seeker_matches(program=program, seeker=seeker, on=TODAY))[0] == "11010-00000002"


def test_the_cache_key_is_the_program_and_the_day(
    program: Program, seeker: Seeker, import_rows: Callable[..., str]
) -> None:
    import_rows(ROWS[:1])
    today = feed_for(program, TODAY)
    later = feed_for(program, TODAY + dt.timedelta(days=400))  # past every 紹介期限日
    assert len(today.index.postings) == 1
    assert len(later.index.postings) == 0
    FEEDS.invalidate()
    assert feed_for(program, TODAY) is not today


def test_retirement_and_rehire_ages_are_a_reason_or_a_gap_for_the_seekers_age(
    program: Program, seeker: Seeker, import_rows: Callable[..., str]
) -> None:
    import_rows(
        [
            row(1, 職種="清掃スタッフ", 定年年齢="65歳", 再雇用上限年齢="70歳"),
            row(2, 職種="清掃スタッフ", 定年年齢="65歳", 再雇用上限年齢=""),
        ]
    )
    _save(program, seeker)  # 山田 太郎 is 66
    by_number = {
        m.posting.number: m for m in seeker_matches(program=program, seeker=seeker, on=TODAY)
    }
    assert "70歳まで再雇用あり" in by_number["11010-00000001"].reasons
    assert "定年（65歳）に達しています" in by_number["11010-00000002"].gaps
    posting = JobPosting.objects.get(number="11010-00000002")
    (found,) = posting_matches(program=program, posting=posting, on=TODAY)
    assert "定年（65歳）に達しています" in found.gaps


def test_an_employers_changed_facts_are_seen_at_the_next_call(
    program: Program, seeker: Seeker, import_rows: Callable[..., str]
) -> None:
    import_rows(ROWS[:1])
    _save(program, seeker, physical_limit="medium")
    posting = JobPosting.objects.select_related("employer").get(number="11010-00000001")
    assert _numbers(seeker_matches(program=program, seeker=seeker, on=TODAY)) == [posting.number]

    # the job developer learns the work is heavy: the employer's facts, not the posting's
    employer_update(employer=posting.employer, physical_load="heavy")
    assert seeker_matches(program=program, seeker=seeker, on=TODAY) == []


def test_the_batch_selectors_give_what_one_at_a_time_gives(
    program: Program, seeker: Seeker, import_rows: Callable[..., str]
) -> None:
    import_rows(ROWS)
    _save(program, seeker)
    other = register_seeker(
        program, birth_date=dt.date(1961, 5, 1), given="花子", phone="080-1111-2222"
    )
    _save(program, other, min_hourly_wage=0, career_history="警備と施設の巡回を10年")
    no_profile = register_seeker(
        program, birth_date=dt.date(1960, 1, 1), given="三郎", phone="080-3333-4444"
    )
    postings = list(JobPosting.objects.filter(program=program).order_by("number"))
    match_decide(program=program, seeker=seeker, posting=postings[2], choice="pin", by=None)
    match_decide(program=program, seeker=other, posting=postings[0], choice="hide", by=None)

    people = [seeker, other, no_profile]
    batch = seekers_matches(program=program, seekers=people, top=5, on=TODAY)
    assert set(batch) == {seeker.pk, other.pk}  # no profile, no entry
    for person in (seeker, other):
        one = seeker_matches(program=program, seeker=person, top=5, on=TODAY)
        assert batch[person.pk] == one
        assert one  # the comparison is not between two empty lists
    assert batch[seeker.pk][0].decision == "pin"

    reverse = postings_matches(program=program, postings=postings, top=5, on=TODAY)
    for posting in postings:
        assert reverse.get(posting.pk, []) == posting_matches(
            program=program, posting=posting, top=5, on=TODAY
        )
    # the hidden pair is left out of the batch too
    assert other.pk not in [m.seeker.pk for m in reverse.get(postings[0].pk, [])]
    assert any(reverse.values())


def test_a_monthly_or_daily_wage_is_stated_as_it_is_with_its_hourly_figure(
    program: Program, seeker: Seeker, import_rows: Callable[..., str]
) -> None:
    import_rows(
        [
            row(1, 職種="経理事務", 賃金="月給 200,000円～240,000円", 週所定労働日数="週5日"),
            row(2, 職種="経理事務", 賃金="日給 4,000円～4,800円", 週所定労働日数="週3日"),
        ]
    )
    _save(program, seeker, days_per_week=5, hours_per_day=8, min_hourly_wage=1000)
    by_number = {
        m.posting.number: m for m in seeker_matches(program=program, seeker=seeker, on=TODAY)
    }
    monthly = by_number["11010-00000001"]
    assert not [r for r in monthly.reasons if r.startswith("時給")]
    (said,) = [r for r in monthly.reasons if r.startswith("月給200,000円から（時給に直すと約")]
    assert said.endswith("円）で希望以上")

    # 日給4,000円 over 4 hours is 1,000円 an hour, under the wish: the gap names the
    # posting's own wage
    _save(program, seeker, days_per_week=5, hours_per_day=8, min_hourly_wage=1150)
    by_number = {
        m.posting.number: m for m in seeker_matches(program=program, seeker=seeker, on=TODAY)
    }
    daily = by_number["11010-00000002"]
    (gap,) = [g for g in daily.gaps if "時給に直すと希望より" in g]
    assert gap.endswith("円低い（日給4,000円～4,800円）")
    posting = JobPosting.objects.get(number="11010-00000002")
    (found,) = posting_matches(program=program, posting=posting, on=TODAY)
    assert gap in found.gaps
