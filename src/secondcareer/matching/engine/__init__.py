"""The matching engine: pure (numpy, scipy, scikit-learn, SudachiPy; no Django, no other
app), over column arrays that a selector builds from the database. See docs/matching.md."""

from secondcareer.matching.engine.api import batch_top_postings, top_postings, top_seekers
from secondcareer.matching.engine.cache import CACHE, IndexCache
from secondcareer.matching.engine.data import (
    DEFAULT_WEIGHTS,
    PostingRow,
    Postings,
    Seeker,
    Weights,
)
from secondcareer.matching.engine.index import BatchResult, Index, Match
from secondcareer.matching.engine.wages import (
    hourly_from_daily,
    hourly_from_monthly,
    to_hourly,
)

__all__ = [
    "CACHE",
    "DEFAULT_WEIGHTS",
    "BatchResult",
    "Index",
    "IndexCache",
    "Match",
    "PostingRow",
    "Postings",
    "Seeker",
    "Weights",
    "batch_top_postings",
    "hourly_from_daily",
    "hourly_from_monthly",
    "to_hourly",
    "top_postings",
    "top_seekers",
]
