"""Planted matches: each seeker's wishes fit exactly one cluster of postings."""

from __future__ import annotations

from secondcareer.matching.engine import Index, Weights, batch_top_postings, top_seekers
from secondcareer.matching.synthetic import planted_market, recall_at


def test_recall_at_10_on_planted_matches():
    planted = planted_market(clusters=200, size=10, noise=3000)
    index = Index.build(planted.postings, planted.commute, planted.seekers)
    batch = batch_top_postings(index, n=10)
    found = {
        int(sid): [int(p) for p in row if p >= 0]
        for sid, row in zip(batch.seeker_ids, batch.posting_ids, strict=True)
    }
    recall = recall_at(planted, found, k=10)
    assert recall >= 0.95, recall
    # Without the text and the occupation the clusters drown among the area's other postings
    # (the measure can fail).
    blind = batch_top_postings(
        index, n=10, weights=Weights(wage=1, commute=1, occupation=0, text=0)
    )
    blind_found = {
        int(sid): [int(p) for p in row if p >= 0]
        for sid, row in zip(blind.seeker_ids, blind.posting_ids, strict=True)
    }
    assert recall_at(planted, blind_found, k=10) < 0.5


def test_the_cluster_finds_its_seeker_first():
    planted = planted_market(clusters=100, size=10, noise=1000, seed=7)
    index = Index.build(planted.postings, planted.commute, planted.seekers)
    hits = 0
    for sid, cluster in planted.truth.items():
        posting_id = min(cluster)
        top = top_seekers(index, posting_id, n=1)
        hits += bool(top) and top[0].id == sid
    assert hits / len(planted.truth) >= 0.95
