"""Japanese tokens and text similarity."""

from __future__ import annotations

import numpy as np

from secondcareer.matching.engine import Index, PostingRow, Postings, Seeker, top_postings
from secondcareer.matching.engine.text import tokens


def test_two_character_words_are_whole_tokens():
    # SQLite's trigram tokenizer cannot find these; Sudachi must.
    assert {"介護", "清掃"} <= set(tokens("介護と清掃の仕事"))
    assert "経理" in tokens("経理を担当")


def test_a_compound_also_yields_its_parts():
    words = tokens("経理事務")
    assert "経理事務" in words
    assert {"経理", "事務"} <= set(words)


def test_particles_numbers_and_symbols_are_not_tokens():
    words = tokens("週に3日、経理の仕事を！")
    assert "に" not in words and "の" not in words and "を" not in words
    assert "3" not in words and "！" not in words and "、" not in words


def test_full_width_and_half_width_text_give_the_same_tokens():
    assert tokens("ﾌｫｰｸﾘﾌﾄの運転") == tokens("フォークリフトの運転")


def _posting(pid: int, text: str) -> PostingRow:
    return PostingRow(
        id=pid,
        area=0,
        days_per_week=3,
        hours_per_day=5,
        wage_from=1100,
        wage_to=1100,
        employment_type=1,
        physical_load=0,
        occupation=1,
        text=text,
    )


def test_a_career_in_accounting_ranks_accounting_above_cleaning():
    # The cleaning posting has the lower id, so without the text it would come first.
    postings = Postings.from_rows(
        [
            _posting(1, "オフィスビルの清掃。床の清掃とゴミの回収"),
            _posting(2, "経理事務。伝票入力、月次決算の補助"),
            _posting(3, "マンションの管理人。受付と巡回"),
        ]
    )
    seeker = Seeker(
        id=1,
        age=64,
        home_area=0,
        max_commute_minutes=30,
        max_days_per_week=5,
        max_hours_per_day=8,
        min_hourly_wage=1000,
        physical_limit=3,
        career_text="食品メーカーで経理を二十年。決算と税務を担当",
    )
    index = Index.build(postings, np.array([[10.0]]), [seeker])
    matches = top_postings(index, seeker, n=3)
    assert matches[0].id == 2
    assert matches[0].score > matches[1].score
    assert any("経理" in r and "活かせます" in r for r in matches[0].reasons)
    cleaning = next(m for m in matches if m.id == 1)
    assert not any("活かせます" in r for r in cleaning.reasons)


def test_no_shared_words_no_experience_reason():
    postings = Postings.from_rows([_posting(1, "介護施設での介護補助")])
    seeker = Seeker(1, 64, 0, 30, 5, 8, 0, 3, career_text="トラックの運転手")
    index = Index.build(postings, np.array([[10.0]]))
    (match,) = top_postings(index, seeker)
    assert not any("活かせます" in r for r in match.reasons)


def test_postings_without_any_text_still_index():
    postings = Postings.from_rows([_posting(1, ""), _posting(2, "。")])
    seeker = Seeker(1, 64, 0, 30, 5, 8, 0, 3, career_text="経理")
    index = Index.build(postings, np.array([[10.0]]))
    assert [m.id for m in top_postings(index, seeker)] == [1, 2]


def test_a_querys_vector_is_what_scikit_learn_would_give():
    postings = Postings.from_rows(
        [_posting(1, "経理事務と経理の補助"), _posting(2, "ビルの清掃"), _posting(3, "介護と送迎")]
    )
    index = Index.build(postings, np.array([[10.0]]))
    for text in ("経理を担当、経理事務も", "清掃と介護と清掃", "営業", ""):
        columns, weights = index.query_terms(text)
        expected = index.vectorizer.transform([text]).toarray().ravel()
        got = np.zeros_like(expected)
        got[columns] = weights
        assert np.allclose(got, expected)
