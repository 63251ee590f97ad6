"""No result ever breaks a hard filter, in either direction, and none that passes is lost
(hypothesis over random postings, seekers and commute matrices)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secondcareer.matching.engine import (
    Index,
    PostingRow,
    Postings,
    Seeker,
    top_postings,
    top_seekers,
)
from secondcareer.matching.engine.text import tokens
from secondcareer.matching.tests.plain import JAPANESE, passes

AREAS = 4
TEXTS = [
    "経理事務。伝票の入力と月次の決算補助",
    "ビルの清掃業務。床の清掃とゴミの回収",
    "介護施設での介護補助と送迎",
    "倉庫での仕分けとフォークリフトの運転",
    "マンションの管理人。受付と巡回",
    "",
]
CAREERS = [
    "メーカーで経理を三十年担当",
    "病院の清掃と介護の補助",
    "トラックの運転手",
    "営業",
    "",
]

commutes = st.lists(
    st.lists(
        st.one_of(st.integers(0, 120).map(float), st.just(math.inf)), min_size=AREAS, max_size=AREAS
    ),
    min_size=AREAS,
    max_size=AREAS,
)
ages = st.one_of(st.none(), st.integers(55, 75))


@st.composite
def posting_rows(draw: st.DrawFn) -> list[PostingRow]:
    n = draw(st.integers(1, 25))
    rows = []
    for i in range(n):
        wage_from = draw(st.integers(900, 1600))
        rows.append(
            PostingRow(
                id=draw(st.integers(1, 10_000)) * 100 + i,  # unique, not in row order
                area=draw(st.integers(0, AREAS - 1)),
                days_per_week=draw(st.integers(1, 6)),
                hours_per_day=draw(st.sampled_from([2.5, 3, 4, 5, 6, 7.5, 8])),
                wage_from=wage_from,
                wage_to=wage_from + draw(st.integers(0, 400)),
                employment_type=draw(st.integers(0, 3)),
                physical_load=draw(st.integers(0, 3)),
                occupation=draw(st.integers(1, 5)),
                text=draw(st.sampled_from(TEXTS)),
                age_min=draw(ages),
                age_max=draw(ages),
                age_limit_lawful=draw(st.booleans()),
            )
        )
    return rows


@st.composite
def seekers(draw: st.DrawFn) -> list[Seeker]:
    n = draw(st.integers(1, 12))
    out = []
    for i in range(n):
        out.append(
            Seeker(
                id=i + 1,
                age=draw(st.integers(55, 80)),
                home_area=draw(st.integers(0, AREAS - 1)),
                max_commute_minutes=draw(st.integers(0, 90)),
                max_days_per_week=draw(st.integers(1, 6)),
                max_hours_per_day=draw(st.sampled_from([3, 4, 5, 6, 8])),
                min_hourly_wage=draw(st.sampled_from([0, 1000, 1100, 1250, 1500])),
                physical_limit=draw(st.integers(0, 3)),
                wished_areas=frozenset(draw(st.sets(st.integers(0, AREAS - 1), max_size=2))),
                employment_types=frozenset(draw(st.sets(st.integers(0, 3), max_size=3))),
                wished_occupations=frozenset(draw(st.sets(st.integers(1, 5), max_size=2))),
                career_text=draw(st.sampled_from(CAREERS)),
                preferred_commute_minutes=draw(st.one_of(st.none(), st.integers(0, 60))),
            )
        )
    return out


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(posting_rows(), seekers(), commutes, st.integers(1, 30))
def test_postings_for_a_seeker_are_exactly_those_passing_every_filter(rows, people, commute, n):
    index = Index.build(Postings.from_rows(rows), np.array(commute), people)
    by_id = {r.id: r for r in rows}
    for seeker in people:
        everything = top_postings(index, seeker, n=len(rows))
        wanted = {r.id for r in rows if passes(r, seeker, commute)}
        assert {m.id for m in everything} == wanted
        assert all(passes(by_id[m.id], seeker, commute) for m in everything)
        # Best first, ties by id, and the top n is the head of the full list.
        keys = [(-m.score, m.id) for m in everything]
        assert keys == sorted(keys)
        assert [m.id for m in top_postings(index, seeker, n=n)] == [m.id for m in everything][:n]
        assert all(0.0 <= m.score <= 1.0 for m in everything)


@PROPERTY
@given(posting_rows(), seekers(), commutes)
def test_seekers_for_a_posting_are_exactly_those_passing_every_filter(rows, people, commute):
    index = Index.build(Postings.from_rows(rows), np.array(commute), people)
    for posting in rows:
        found = top_seekers(index, posting.id, n=len(people))
        assert {m.id for m in found} == {s.id for s in people if passes(posting, s, commute)}
        keys = [(-m.score, m.id) for m in found]
        assert keys == sorted(keys)
    # A pair scores the same from either side (reciprocal).
    for seeker in people:
        for match in top_postings(index, seeker, n=len(rows)):
            back = {m.id: m for m in top_seekers(index, match.id, n=len(people))}
            assert back[seeker.id].score == pytest.approx(match.score, abs=1e-9)
            assert back[seeker.id].reasons == match.reasons


@PROPERTY
@given(posting_rows(), seekers(), commutes)
def test_reasons_and_gaps_state_the_pairs_own_figures(rows, people, commute):
    index = Index.build(Postings.from_rows(rows), np.array(commute), people)
    by_id = {r.id: r for r in rows}
    for seeker in people:
        for match in top_postings(index, seeker, n=len(rows)):
            posting = by_id[match.id]
            minutes = commute[seeker.home_area][posting.area]
            assert match.reasons, "every match has at least one reason"
            for sentence in (*match.reasons, *match.gaps):
                assert JAPANESE.search(sentence), sentence
            assert f"週{posting.days_per_week}日から可" in match.reasons
            wage_gaps = [g for g in match.gaps if g.startswith("時給が希望より")]
            if seeker.min_hourly_wage > 0 and posting.wage_from < seeker.min_hourly_wage:
                (gap,) = wage_gaps
                stated = int(re.match(r"時給が希望より([\d,]+)円低い", gap)[1].replace(",", ""))
                assert stated == round(seeker.min_hourly_wage - posting.wage_from)
                assert f"上限{posting.wage_to:,}円" in gap
            else:
                assert not wage_gaps
            within = [r for r in match.reasons if re.fullmatch(r"通勤\d+分以内", r)]
            if minutes <= seeker.max_commute_minutes:
                (reason,) = within
                stated = int(re.search(r"\d+", reason)[0])
                assert minutes <= stated < minutes + 5 or stated == 5
            else:
                assert not within
                assert posting.area in seeker.wished_areas
                assert "希望の地域の仕事" in match.reasons
            occupation_gap = "希望の職種ではありません" in match.gaps
            assert occupation_gap == bool(
                seeker.wished_occupations and posting.occupation not in seeker.wished_occupations
            )
            experience = [r for r in match.reasons if r.endswith("経験が活かせます")]
            shared = set(tokens(seeker.career_text)) & set(tokens(posting.text))
            if experience:
                (reason,) = experience
                quoted = re.fullmatch(r"前職の(.+)経験が活かせます", reason)[1].split("・")
                assert 1 <= len(quoted) <= 2
                assert set(quoted) <= shared
            else:
                assert not shared
            longer = [g for g in match.gaps if g.startswith("通勤が希望より")]
            preferred = seeker.preferred_commute_minutes
            assert bool(longer) == (
                preferred is not None and preferred < minutes <= seeker.max_commute_minutes
            )
