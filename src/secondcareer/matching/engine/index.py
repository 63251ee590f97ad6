"""The index over postings (and seekers), hard filters, the soft score, two directions.

Order of work for one seeker: the areas allowed (wished, or within the commute maximum
from home) select candidate rows through a by-area ordering of the postings; the other
hard filters are boolean masks over those candidates; only the survivors are scored
(wage margin, commute, occupation, text cosine); the best ``n`` are taken with a
partition, then sorted by score, ties by id. The reverse direction (seekers for a
posting) applies the same pair filters and the same pair score, vectorised over seekers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from secondcareer.matching.engine.data import DEFAULT_WEIGHTS, Postings, Seeker, Weights
from secondcareer.matching.engine.text import tokens

# A wage this many yen per hour above the seeker's minimum scores the full wage margin.
WAGE_SCALE = 300.0
# Minutes are rounded up to this step in the sentences (「通勤30分以内」).
COMMUTE_STEP = 5
# Career histories whose terms are kept per index (then the cache starts over).
QUERY_CACHE_SIZE = 20_000
# Shared words quoted in a reason (「前職の経理・簿記経験が活かせます」).
REASON_WORDS = 2


Terms = tuple[np.ndarray, np.ndarray]  # (vocabulary columns, TF-IDF weights) of one text


def _terms(matrix: sparse.csr_matrix, row: int) -> Terms:
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    return matrix.indices[start:end].copy(), matrix.data[start:end].copy()


@dataclass(frozen=True)
class Match:
    """One result: the other side's id, the score (0–1), and why / what is not met."""

    id: int
    score: float
    reasons: tuple[str, ...]
    gaps: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class BatchResult:
    """Top postings for many seekers: row i is ``seeker_ids[i]``; ``posting_ids`` is -1
    and ``scores`` NaN where a seeker has fewer than n matches."""

    seeker_ids: np.ndarray
    posting_ids: np.ndarray
    scores: np.ndarray


def _lookup(codes: frozenset[int], size: int) -> np.ndarray:
    """A boolean table over codes 0..size-1 (plus room for the seeker's own codes)."""
    top = max([size - 1, *codes]) + 1 if codes else size
    table = np.zeros(max(top, 1), dtype=bool)
    table[[c for c in codes if c >= 0]] = True
    return table


class _SeekerColumns:
    """The indexed seekers as columns, for the reverse direction."""

    def __init__(self, seekers: Sequence[Seeker], areas: int, types: int, occ_cols: dict[int, int]):
        self.records = tuple(seekers)
        s = len(self.records)
        self.ids = np.array([x.id for x in self.records], dtype=np.int64)
        if np.unique(self.ids).shape[0] != s:
            raise ValueError("seeker ids must be unique")
        self.row_of = {int(i): r for r, i in enumerate(self.ids)}
        self.age = np.array([x.age for x in self.records], dtype=np.float64)
        self.home = np.array([x.home_area for x in self.records], dtype=np.int64)
        self.max_commute = np.array([x.max_commute_minutes for x in self.records], dtype=np.float64)
        self.preferred = np.array(
            [
                np.nan if x.preferred_commute_minutes is None else x.preferred_commute_minutes
                for x in self.records
            ],
            dtype=np.float64,
        )
        self.max_days = np.array([x.max_days_per_week for x in self.records], dtype=np.float64)
        self.max_hours = np.array([x.max_hours_per_day for x in self.records], dtype=np.float64)
        self.min_wage = np.array([x.min_hourly_wage for x in self.records], dtype=np.float64)
        self.physical = np.array([x.physical_limit for x in self.records], dtype=np.float64)
        self.wished_area = np.zeros((s, areas), dtype=bool)
        self.any_type = np.zeros(s, dtype=bool)
        self.type_ok = np.zeros((s, types), dtype=bool)
        self.has_occ = np.zeros(s, dtype=bool)
        self.occ = np.zeros((s, len(occ_cols) + 1), dtype=bool)  # last column: none
        for r, x in enumerate(self.records):
            for a in x.wished_areas:
                if 0 <= a < areas:
                    self.wished_area[r, a] = True
            if x.employment_types:
                for t in x.employment_types:
                    if 0 <= t < types:
                        self.type_ok[r, t] = True
            else:
                self.any_type[r] = True
            if x.wished_occupations:
                self.has_occ[r] = True
                for o in x.wished_occupations:
                    if o in occ_cols:
                        self.occ[r, occ_cols[o]] = True


class Index:
    """Postings (and optionally seekers) ready to match.

    Build it once from the arrays; it is immutable. ``rebuild`` gives a new index when
    postings or seekers change (the vocabulary is refitted only when postings change);
    ``cache.IndexCache`` keeps one per process.
    """

    def __init__(
        self,
        postings: Postings,
        commute_minutes: np.ndarray,
        seekers: Sequence[Seeker] = (),
        *,
        vectorizer: TfidfVectorizer | None = None,
        posting_vectors: sparse.csr_matrix | None = None,
    ) -> None:
        commute = np.asarray(commute_minutes, dtype=np.float64)
        if commute.ndim != 2 or commute.shape[0] != commute.shape[1]:
            raise ValueError("the commute matrix is square: areas × areas, in minutes")
        if len(postings) and int(postings.area.max()) >= commute.shape[0]:
            raise ValueError("a posting's area is outside the commute matrix")
        self.postings = postings
        self.commute = commute
        self.areas = commute.shape[0]
        p = postings
        self.row_of = {int(i): r for r, i in enumerate(p.ids)}
        # Postings ordered by area: candidates of an area are one slice.
        self._by_area = np.argsort(p.area, kind="stable")
        self._area_starts = np.searchsorted(p.area[self._by_area], np.arange(self.areas + 1))
        self._types = int(p.employment_type.max()) + 1 if len(p) else 1
        for x in seekers:
            if not 0 <= x.home_area < self.areas:
                raise ValueError(f"seeker {x.id}: home area outside the commute matrix")
        self._types = max([self._types, *(t + 1 for x in seekers for t in x.employment_types)])
        codes = np.unique(p.occupation)
        self._occ_cols = {int(c): i for i, c in enumerate(codes)}
        self._occ_col = np.searchsorted(codes, p.occupation) if len(p) else np.zeros(0, np.int64)
        if vectorizer is None or posting_vectors is None:
            vectorizer, posting_vectors = _fit(p.texts)
        self.vectorizer = vectorizer
        self.vectors = posting_vectors.tocsr()
        self.vocabulary = np.array(vectorizer.get_feature_names_out(), dtype=object)
        self.seekers = _SeekerColumns(seekers, self.areas, self._types, self._occ_cols)
        self.seeker_vectors = self._transform([x.career_text for x in seekers])
        self._seekers_by_term = self.seeker_vectors.T.tocsr()
        # Term → postings (the transpose): a query's similarities are a sum of its rows.
        self._by_term = self.vectors.T.tocsr()
        self._idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        self._query_cache: dict[str, Terms] = {}

    @classmethod
    def build(
        cls, postings: Postings, commute_minutes: np.ndarray, seekers: Sequence[Seeker] = ()
    ) -> Index:
        return cls(postings, commute_minutes, seekers)

    def rebuild(
        self,
        *,
        postings: Postings | None = None,
        commute_minutes: np.ndarray | None = None,
        seekers: Sequence[Seeker] | None = None,
    ) -> Index:
        """A new index with what changed; the vocabulary is refitted with new postings."""
        same_postings = postings is None
        return Index(
            self.postings if postings is None else postings,
            self.commute if commute_minutes is None else commute_minutes,
            self.seekers.records if seekers is None else seekers,
            vectorizer=self.vectorizer if same_postings else None,
            posting_vectors=self.vectors if same_postings else None,
        )

    # -- text ---------------------------------------------------------------------

    def _transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        if not texts:
            return sparse.csr_matrix((0, len(self.vocabulary)))
        return _transform_unique(self.vectorizer, texts)

    def query_terms(self, text: str) -> Terms:
        """A career history's TF-IDF terms as (vocabulary columns, weights), cached by text."""
        cached = self._query_cache.get(text)
        if cached is None:
            cached = self._vectorise(text)
            self.remember_queries({text: cached})
        return cached

    def _vectorise(self, text: str) -> Terms:
        """``vectorizer.transform`` for one text without scikit-learn's per-call checks
        (which cost more than the rest of a query): sublinear TF × IDF, L2-normalised;
        words outside the postings' vocabulary are dropped, as transform drops them."""
        counts: dict[int, int] = {}
        vocabulary = self.vectorizer.vocabulary_
        for word in tokens(text):
            column = vocabulary.get(word)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int32), np.zeros(0)
        columns = np.fromiter(sorted(counts), np.int32, len(counts))
        tf = 1.0 + np.log(np.array([counts[c] for c in columns.tolist()], dtype=np.float64))
        weights = tf * self._idf[columns]
        return columns, weights / np.linalg.norm(weights)

    def remember_queries(self, terms: dict[str, Terms]) -> None:
        if len(self._query_cache) + len(terms) > QUERY_CACHE_SIZE:
            self._query_cache.clear()
        for text, value in terms.items():
            self._query_cache[text] = value

    def similarities(self, terms: Terms, rows: np.ndarray) -> np.ndarray:
        """Cosine of a query with the postings at ``rows`` (both sides are L2-normalised)."""
        return _similarities(self._by_term, terms, rows)

    # -- seeker → postings --------------------------------------------------------

    def _candidates(self, seeker: Seeker) -> np.ndarray:
        """Rows of postings in an allowed area: wished, or within the commute maximum."""
        if not 0 <= seeker.home_area < self.areas:
            raise ValueError(f"seeker {seeker.id}: home area outside the commute matrix")
        allowed = self.commute[seeker.home_area] <= seeker.max_commute_minutes
        for a in seeker.wished_areas:
            if 0 <= a < self.areas:
                allowed[a] = True
        slices = [
            self._by_area[self._area_starts[a] : self._area_starts[a + 1]]
            for a in np.flatnonzero(allowed)
        ]
        return np.concatenate(slices) if slices else np.zeros(0, dtype=np.int64)

    def _survivors(self, seeker: Seeker) -> np.ndarray:
        """Rows of postings passing every hard filter for this seeker."""
        p = self.postings
        rows = self._candidates(seeker)
        if rows.shape[0] == 0:
            return rows
        types = _lookup(seeker.employment_types, self._types)
        ok = _pair_mask(
            age=float(seeker.age),
            age_min=p.age_min[rows],
            age_max=p.age_max[rows],
            lawful=p.age_limit_lawful[rows],
            days=p.days_per_week[rows],
            max_days=seeker.max_days_per_week,
            hours=p.hours_per_day[rows],
            max_hours=seeker.max_hours_per_day,
            wage_to=p.wage_to[rows],
            min_wage=seeker.min_hourly_wage,
            type_ok=True if not seeker.employment_types else types[p.employment_type[rows]],
            load=p.physical_load[rows],
            physical=seeker.physical_limit,
        )
        return rows[ok]

    def _score_postings(self, seeker: Seeker, rows: np.ndarray, weights: Weights) -> np.ndarray:
        p = self.postings
        minutes = self.commute[seeker.home_area, p.area[rows]]
        if seeker.wished_occupations:
            occ = np.isin(p.occupation[rows], np.fromiter(seeker.wished_occupations, np.int64))
            occupation = occ.astype(np.float64)
        else:
            occupation = np.full(rows.shape[0], 0.5)
        sim = self.similarities(self.query_terms(seeker.career_text), rows)
        return _pair_score(
            weights,
            wage_to=p.wage_to[rows],
            min_wage=seeker.min_hourly_wage,
            minutes=minutes,
            max_commute=seeker.max_commute_minutes,
            occupation=occupation,
            sim=sim,
        )

    def survivor_rows(self, seeker: Seeker) -> np.ndarray:
        """Rows of the postings passing every hard filter for ``seeker`` (any order)."""
        return self._survivors(seeker)

    def pair_scores(
        self, seeker: Seeker, rows: np.ndarray, weights: Weights = DEFAULT_WEIGHTS
    ) -> np.ndarray:
        """The pair score of ``seeker`` with the postings at ``rows`` (filters aside: a
        consultant's pinned posting is scored even when it no longer passes them)."""
        rows = np.asarray(rows, dtype=np.int64)
        if rows.shape[0] == 0:
            return np.zeros(0)
        return self._score_postings(seeker, rows, weights)

    def top_posting_rows(
        self, seeker: Seeker, n: int, weights: Weights = DEFAULT_WEIGHTS
    ) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of the best n postings for a seeker, best first."""
        rows = self._survivors(seeker)
        if rows.shape[0] == 0 or n <= 0:
            return rows[:0], np.zeros(0)
        scores = self._score_postings(seeker, rows, weights)
        best = _top(scores, self.postings.ids[rows], n)
        return rows[best], scores[best]

    # -- posting → seekers --------------------------------------------------------

    def top_seeker_rows(
        self, posting_id: int, n: int, weights: Weights = DEFAULT_WEIGHTS
    ) -> tuple[np.ndarray, np.ndarray]:
        """(seeker rows, scores) of the best n indexed seekers for a posting."""
        if posting_id not in self.row_of:
            raise KeyError(f"posting {posting_id} is not in the index")
        r = self.row_of[posting_id]
        p, s = self.postings, self.seekers
        if s.ids.shape[0] == 0 or n <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        area = int(p.area[r])
        minutes = self.commute[s.home, area]
        ptype = int(p.employment_type[r])
        ok = (s.wished_area[:, area] | (minutes <= s.max_commute)) & _pair_mask(
            age=s.age,
            age_min=float(p.age_min[r]),
            age_max=float(p.age_max[r]),
            lawful=bool(p.age_limit_lawful[r]),
            days=int(p.days_per_week[r]),
            max_days=s.max_days,
            hours=float(p.hours_per_day[r]),
            max_hours=s.max_hours,
            wage_to=float(p.wage_to[r]),
            min_wage=s.min_wage,
            type_ok=s.any_type | s.type_ok[:, ptype],
            load=int(p.physical_load[r]),
            physical=s.physical,
        )
        rows = np.flatnonzero(ok)
        if rows.shape[0] == 0:
            return rows, np.zeros(0)
        occ_col = int(self._occ_col[r])
        occupation = np.where(s.has_occ[rows], s.occ[rows, occ_col].astype(np.float64), 0.5)
        sim = _similarities(self._seekers_by_term, _terms(self.vectors, r), rows)
        scores = _pair_score(
            weights,
            wage_to=float(p.wage_to[r]),
            min_wage=s.min_wage[rows],
            minutes=minutes[rows],
            max_commute=s.max_commute[rows],
            occupation=occupation,
            sim=sim,
        )
        best = _top(scores, s.ids[rows], n)
        return rows[best], scores[best]

    # -- explanations -------------------------------------------------------------

    def explain(self, seeker: Seeker, row: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Reasons and gaps of one pair, in plain Japanese, from the pair's data."""
        p = self.postings
        reasons: list[str] = []
        gaps: list[str] = []
        area = int(p.area[row])
        minutes = float(self.commute[seeker.home_area, area])
        in_wished = area in seeker.wished_areas
        if minutes <= seeker.max_commute_minutes:
            reasons.append(f"通勤{_minutes_up(minutes)}分以内")
        elif in_wished:
            reasons.append("希望の地域の仕事")
            if math.isfinite(minutes):
                gaps.append(
                    f"通勤が上限より{_minutes_up(minutes - seeker.max_commute_minutes)}分長い"
                    f"（約{_minutes_up(minutes)}分）"
                )
        preferred = seeker.preferred_commute_minutes
        if preferred is not None and minutes > preferred and minutes <= seeker.max_commute_minutes:
            gaps.append(
                f"通勤が希望より{_minutes_up(minutes - preferred)}分長い（約{_minutes_up(minutes)}分）"
            )
        reasons.append(f"週{int(p.days_per_week[row])}日から可")
        reasons.append(f"1日{_number(float(p.hours_per_day[row]))}時間の勤務")
        wage_from = float(p.wage_from[row])
        wage_to = float(p.wage_to[row])
        if seeker.min_hourly_wage > 0:
            if wage_from >= seeker.min_hourly_wage:
                reasons.append(f"時給{_yen(wage_from)}円からで希望以上")
            else:
                short = _yen(seeker.min_hourly_wage - wage_from)
                gaps.append(f"時給が希望より{short}円低い（上限{_yen(wage_to)}円）")
        if seeker.wished_occupations:
            if int(p.occupation[row]) in seeker.wished_occupations:
                reasons.append("希望の職種です")
            else:
                gaps.append("希望の職種ではありません")
        words = self.shared_words(seeker.career_text, row)
        if words:
            reasons.append(f"前職の{'・'.join(words)}経験が活かせます")
        return tuple(reasons), tuple(gaps)

    def shared_words(self, career_text: str, row: int, limit: int = REASON_WORDS) -> list[str]:
        """The words shared by a career history and a posting that weigh most in their
        similarity, heaviest first (ties by the word)."""
        columns, values = self.query_terms(career_text)
        if not columns.shape[0]:
            return []
        # Plain arrays rather than sparse objects: this runs for every result shown.
        weights = dict(zip(columns.tolist(), values.tolist(), strict=True))
        start, end = self.vectors.indptr[row], self.vectors.indptr[row + 1]
        shared = [
            (weight * weights[col], col)
            for col, weight in zip(
                self.vectors.indices[start:end].tolist(),
                self.vectors.data[start:end].tolist(),
                strict=True,
            )
            if col in weights
        ]
        order = sorted(shared, key=lambda pair: (-pair[0], self.vocabulary[pair[1]]))
        return [str(self.vocabulary[col]) for _, col in order[:limit]]


# -- the pair rules, shared by both directions (scalars or arrays on either side) -----


def _pair_mask(
    *,
    age: Any,
    age_min: Any,
    age_max: Any,
    lawful: Any,
    days: Any,
    max_days: Any,
    hours: Any,
    max_hours: Any,
    wage_to: Any,
    min_wage: Any,
    type_ok: Any,
    load: Any,
    physical: Any,
) -> np.ndarray:
    """Every hard filter but the area (which selects candidates before this)."""
    age_ok = ~np.asarray(lawful) | (
        (np.isnan(age_min) | (age >= age_min)) & (np.isnan(age_max) | (age <= age_max))
    )
    return (
        age_ok
        & (days <= max_days)
        & (hours <= max_hours)
        & (wage_to >= min_wage)
        & type_ok
        & (load <= physical)
    )


def _pair_score(
    weights: Weights,
    *,
    wage_to: Any,
    min_wage: Any,
    minutes: Any,
    max_commute: Any,
    occupation: Any,
    sim: Any,
) -> np.ndarray:
    wage = np.clip((wage_to - min_wage) / WAGE_SCALE, 0.0, 1.0)
    commute = np.clip(1.0 - minutes / np.maximum(max_commute, 1.0), 0.0, 1.0)
    text = np.clip(sim, 0.0, 1.0)
    total = (
        weights.wage * wage
        + weights.commute * commute
        + weights.occupation * occupation
        + weights.text * text
    ) / weights.total
    # Rounded so that equal pairs tie exactly whichever direction computed them.
    return np.round(np.clip(total, 0.0, 1.0), 9)


def _top(scores: np.ndarray, ids: np.ndarray, n: int) -> np.ndarray:
    """Positions of the best n scores, best first, ties by ascending id."""
    size = scores.shape[0]
    if size > n:
        kth = np.partition(scores, size - n)[size - n]
        keep = np.flatnonzero(scores >= kth)
    else:
        keep = np.arange(size)
    order = np.lexsort((ids[keep], -scores[keep]))[:n]
    return keep[order]


def _minutes_up(minutes: float) -> int:
    """Minutes rounded up to the step, at least one step (「通勤5分以内」)."""
    return max(COMMUTE_STEP, math.ceil(minutes / COMMUTE_STEP - 1e-9) * COMMUTE_STEP)


def _yen(amount: float) -> str:
    return f"{round(amount):,}"


def _number(value: float) -> str:
    return f"{value:g}"


# -- TF-IDF ------------------------------------------------------------------------


# A document of its own word, fitted with the postings and then dropped: the vocabulary
# is never empty (scikit-learn refuses to fit one), and no real text contains the word.
_SENTINEL = "\x00"


def _analyzer(text: str) -> list[str]:
    return [_SENTINEL] if text == _SENTINEL else tokens(text)


def _fit(texts: Sequence[str]) -> tuple[TfidfVectorizer, sparse.csr_matrix]:
    """Fit the vocabulary over the postings' texts (each distinct text tokenised once)."""
    unique, inverse = _unique(texts)
    vectorizer = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True, norm="l2")
    fitted = vectorizer.fit_transform([*unique, _SENTINEL]).tocsr()[: len(unique)]
    return vectorizer, fitted[inverse]


def _transform_unique(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sparse.csr_matrix:
    unique, inverse = _unique(texts)
    return vectorizer.transform(unique).tocsr()[inverse]


def _unique(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Distinct texts (tokenising is the slow part) and each text's position among them."""
    positions: dict[str, int] = {}
    inverse = np.fromiter(
        (positions.setdefault(t or "", len(positions)) for t in texts), np.int64, len(texts)
    )
    return list(positions), inverse


def _similarities(by_term: sparse.csr_matrix, terms: Terms, rows: np.ndarray) -> np.ndarray:
    """The query's terms' rows of a term → documents matrix, weighted and summed,
    at the documents ``rows``: only documents sharing a word are touched."""
    columns, weights = terms
    if columns.shape[0] == 0:
        return np.zeros(rows.shape[0])
    acc = np.zeros(by_term.shape[1])
    for column, weight in zip(columns.tolist(), weights.tolist(), strict=True):
        start, end = by_term.indptr[column], by_term.indptr[column + 1]
        acc[by_term.indices[start:end]] += by_term.data[start:end] * weight
    return acc[rows]
