"""Determinism, wages, weights, the batch, the cache and rebuilding."""

from __future__ import annotations

import random

import numpy as np
import pytest

from secondcareer.matching.engine import (
    Index,
    IndexCache,
    PostingRow,
    Postings,
    Seeker,
    Weights,
    batch_top_postings,
    hourly_from_daily,
    hourly_from_monthly,
    to_hourly,
    top_postings,
    top_seekers,
)

COMMUTE = np.array([[10.0, 35.0], [35.0, 10.0]])


def _posting(pid: int, **changes: object) -> PostingRow:
    fields: dict[str, object] = dict(
        id=pid,
        area=0,
        days_per_week=3,
        hours_per_day=5,
        wage_from=1100,
        wage_to=1200,
        employment_type=1,
        physical_load=0,
        occupation=1,
        text="倉庫での仕分け",
    )
    fields.update(changes)
    return PostingRow(**fields)  # type: ignore[arg-type]


SEEKER = Seeker(
    id=9,
    age=66,
    home_area=0,
    max_commute_minutes=40,
    max_days_per_week=4,
    max_hours_per_day=6,
    min_hourly_wage=1150,
    physical_limit=2,
    career_text="物流センターで仕分けと検品",
)


def test_wage_conversions():
    assert hourly_from_daily(8000, 8) == 1000
    assert to_hourly(8000, "daily", hours_per_day=8, days_per_week=5) == 1000
    # 8 h × 5 days × 52/12 weeks = 173.33 h a month.
    assert to_hourly(173_333.33, "monthly", hours_per_day=8, days_per_week=5) == pytest.approx(
        1000, abs=0.01
    )
    assert to_hourly(1200, "hourly", hours_per_day=0, days_per_week=0) == 1200
    assert np.allclose(hourly_from_monthly(np.array([86_666.67]), 4, 5), [1000], atol=0.01)
    with pytest.raises(ValueError):
        to_hourly(8000, "daily", hours_per_day=0, days_per_week=5)


def test_an_age_limit_applies_only_with_a_lawful_reason():
    rows = [
        _posting(1, age_max=60, age_limit_lawful=True),  # 定年 60: excludes a 66-year-old
        _posting(2, age_max=60, age_limit_lawful=False),  # no lawful reason: ignored
        _posting(3, age_min=65, age_limit_lawful=True),  # 3号: 60 and over, fine
    ]
    index = Index.build(Postings.from_rows(rows), COMMUTE)
    assert sorted(m.id for m in top_postings(index, SEEKER)) == [2, 3]


def test_same_inputs_same_order_and_ties_by_id():
    rows = [_posting(pid) for pid in (40, 7, 23, 15)]  # identical but for the id
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    first = top_postings(Index.build(Postings.from_rows(rows), COMMUTE), SEEKER)
    second = top_postings(Index.build(Postings.from_rows(shuffled), COMMUTE), SEEKER)
    assert [m.id for m in first] == [7, 15, 23, 40]
    assert first == second
    people = [SEEKER, Seeker(**{**SEEKER.__dict__, "id": 3})]
    index = Index.build(Postings.from_rows(rows), COMMUTE, people)
    assert [m.id for m in top_seekers(index, 7)] == [3, 9]


def test_weights_change_the_order():
    rows = [
        _posting(1, wage_to=1450, text="事務所の受付"),  # pays more
        _posting(2, wage_to=1150, text="物流センターでの仕分けと検品"),  # fits the career
    ]
    index = Index.build(Postings.from_rows(rows), COMMUTE)
    by_wage = top_postings(index, SEEKER, weights=Weights(wage=1, commute=0, occupation=0, text=0))
    by_text = top_postings(index, SEEKER, weights=Weights(wage=0, commute=0, occupation=0, text=1))
    assert [m.id for m in by_wage] == [1, 2]
    assert [m.id for m in by_text] == [2, 1]
    with pytest.raises(ValueError):
        Weights(wage=0, commute=0, occupation=0, text=0)


def test_a_far_posting_in_a_wished_area_passes_with_a_gap():
    index = Index.build(Postings.from_rows([_posting(1, area=1)]), COMMUTE)
    far = Seeker(**{**SEEKER.__dict__, "max_commute_minutes": 20, "wished_areas": frozenset({1})})
    (match,) = top_postings(index, far)
    assert "希望の地域の仕事" in match.reasons
    assert "通勤が上限より15分長い（約35分）" in match.gaps
    assert top_postings(index, Seeker(**{**far.__dict__, "wished_areas": frozenset()})) == []


def test_the_batch_gives_what_one_seeker_at_a_time_gives():
    rng = random.Random(5)
    rows = [
        _posting(
            pid,
            area=rng.randrange(2),
            days_per_week=rng.randint(1, 5),
            wage_to=rng.randint(1100, 1500),
            text=rng.choice(["倉庫での仕分け", "介護補助", "経理事務", "清掃"]),
        )
        for pid in range(1, 200)
    ]
    people = [
        Seeker(**{**SEEKER.__dict__, "id": i, "home_area": i % 2, "max_days_per_week": 1 + i % 5})
        for i in range(1, 30)
    ]
    index = Index.build(Postings.from_rows(rows), COMMUTE, people)
    batch = batch_top_postings(index, n=10)
    assert batch.posting_ids.shape == (29, 10)
    for i, seeker in enumerate(people):
        one = top_postings(index, seeker, n=10)
        got = [int(x) for x in batch.posting_ids[i] if x >= 0]
        assert got == [m.id for m in one]
        assert np.allclose(batch.scores[i, : len(one)], [m.score for m in one])
        assert np.isnan(batch.scores[i, len(one) :]).all()


def test_the_cache_rebuilds_on_a_new_version_and_on_invalidate():
    cache = IndexCache()
    builds: list[int] = []

    def build() -> Index:
        builds.append(1)
        return Index.build(Postings.from_rows([_posting(1)]), COMMUTE)

    first = cache.get("kobe", 1, build)
    assert cache.get("kobe", 1, build) is first
    assert cache.get("kobe", 2, build) is not first
    cache.invalidate("kobe")
    cache.get("kobe", 2, build)
    assert len(builds) == 3


def test_rebuild_with_new_postings_refits_the_vocabulary():
    index = Index.build(Postings.from_rows([_posting(1, text="清掃")]), COMMUTE, [SEEKER])
    assert "検品" not in set(index.vocabulary)
    same = index.rebuild(seekers=[SEEKER])
    assert same.vectorizer is index.vectorizer
    fresh = index.rebuild(postings=Postings.from_rows([_posting(2, text="仕分けと検品")]))
    assert "検品" in set(fresh.vocabulary)
    assert [m.id for m in top_postings(fresh, SEEKER)] == [2]
    assert [m.id for m in top_seekers(fresh, 2)] == [9]


def test_bad_arrays_are_refused():
    with pytest.raises(ValueError):
        Postings.from_rows([_posting(1), _posting(1)])
    with pytest.raises(ValueError):
        Index.build(Postings.from_rows([_posting(1, area=5)]), COMMUTE)
    with pytest.raises(ValueError):
        Index.build(Postings.from_rows([_posting(1)]), np.zeros((2, 3)))
    with pytest.raises(KeyError):
        top_seekers(Index.build(Postings.from_rows([_posting(1)]), COMMUTE), 99)


def test_no_postings_no_results():
    index = Index.build(Postings.from_rows([]), COMMUTE, [SEEKER])
    assert top_postings(index, SEEKER) == []
    batch = batch_top_postings(index, n=3)
    assert (batch.posting_ids == -1).all()


def test_a_seeker_from_outside_the_commute_matrix_is_refused():
    index = Index.build(Postings.from_rows([_posting(1)]), COMMUTE)
    with pytest.raises(ValueError):
        top_postings(index, Seeker(**{**SEEKER.__dict__, "home_area": 7}))
