"""The engine's entry points: postings for a seeker, seekers for a posting, a batch."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from secondcareer.matching.engine.data import DEFAULT_WEIGHTS, Seeker, Weights
from secondcareer.matching.engine.index import BatchResult, Index, Match


def top_postings(
    index: Index, seeker: Seeker, n: int = 20, weights: Weights = DEFAULT_WEIGHTS
) -> list[Match]:
    """The best n postings for a seeker that pass every hard filter, best first (ties by
    posting id), each with its reasons and gaps."""
    rows, scores = index.top_posting_rows(seeker, n, weights)
    out = []
    for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
        reasons, gaps = index.explain(seeker, row)
        out.append(Match(int(index.postings.ids[row]), float(score), reasons, gaps))
    return out


def top_seekers(
    index: Index, posting_id: int, n: int = 20, weights: Weights = DEFAULT_WEIGHTS
) -> list[Match]:
    """The best n indexed seekers for a posting (for job developers and the matching
    meeting): the same hard filters and the same pair score as ``top_postings``, so a
    pair scores alike from either side."""
    rows, scores = index.top_seeker_rows(posting_id, n, weights)
    posting_row = index.row_of[posting_id]
    out = []
    for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
        seeker = index.seekers.records[row]
        reasons, gaps = index.explain(seeker, posting_row)
        out.append(Match(seeker.id, float(score), reasons, gaps))
    return out


def batch_top_postings(
    index: Index,
    seekers: Sequence[Seeker] | None = None,
    n: int = 20,
    weights: Weights = DEFAULT_WEIGHTS,
) -> BatchResult:
    """Top n posting ids and scores for each seeker (default: the indexed seekers), without
    explanations (``Index.explain`` gives them for the few that are shown)."""
    group = index.seekers.records if seekers is None else tuple(seekers)
    ids = np.full((len(group), n), -1, dtype=np.int64)
    scores = np.full((len(group), n), np.nan)
    for i, seeker in enumerate(group):
        rows, best = index.top_posting_rows(seeker, n, weights)
        ids[i, : rows.shape[0]] = index.postings.ids[rows]
        scores[i, : rows.shape[0]] = best
    return BatchResult(np.array([s.id for s in group], dtype=np.int64), ids, scores)
