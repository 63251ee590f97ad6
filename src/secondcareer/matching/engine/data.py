"""The engine's inputs: postings as numpy column arrays, seekers as plain records.

Everything is already normalised by whoever builds these (later the jobs selector):
wages in yen per hour (see ``wages``), areas as indices into the commute matrix,
employment types and occupations as integer codes, physical load as a small ordinal
(0 light … 3 heavy). A missing age bound is NaN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class PostingRow:
    """One posting, for building ``Postings`` from records (tests, small callers)."""

    id: int
    area: int
    days_per_week: int  # days a week the job requires
    hours_per_day: float
    wage_from: float  # yen per hour
    wage_to: float
    employment_type: int
    physical_load: int
    occupation: int
    text: str = ""  # 仕事内容 (and 職種)
    age_min: int | None = None
    age_max: int | None = None
    # 年齢制限該当事由 is lawful (雇用対策法施行規則1条の3第1項: 1号 定年, 2号 法令,
    # 3号イ–ニ). An age limit without a lawful reason is not applied.
    age_limit_lawful: bool = False


def _column(values: object, dtype: type | np.dtype, name: str, size: int | None) -> np.ndarray:
    array = np.ascontiguousarray(np.asarray(values, dtype=dtype))
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if size is not None and array.shape[0] != size:
        raise ValueError(f"{name} has {array.shape[0]} values, ids has {size}")
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Postings:
    """Open postings as columns, one row per posting (the order carries no meaning)."""

    ids: np.ndarray  # int64, unique
    area: np.ndarray  # int32, index into the commute matrix
    age_min: np.ndarray  # float64, NaN = no lower bound
    age_max: np.ndarray  # float64, NaN = no upper bound
    age_limit_lawful: np.ndarray  # bool
    days_per_week: np.ndarray  # int16
    hours_per_day: np.ndarray  # float64
    wage_from: np.ndarray  # float64, yen per hour
    wage_to: np.ndarray  # float64, yen per hour
    employment_type: np.ndarray  # int16
    physical_load: np.ndarray  # int16
    occupation: np.ndarray  # int64
    texts: Sequence[str] = field(default=())

    def __post_init__(self) -> None:
        ids = _column(self.ids, np.int64, "ids", None)
        size = ids.shape[0]
        if np.unique(ids).shape[0] != size:
            raise ValueError("posting ids must be unique")
        object.__setattr__(self, "ids", ids)
        for name, dtype in (
            ("area", np.int32),
            ("age_min", np.float64),
            ("age_max", np.float64),
            ("age_limit_lawful", np.bool_),
            ("days_per_week", np.int16),
            ("hours_per_day", np.float64),
            ("wage_from", np.float64),
            ("wage_to", np.float64),
            ("employment_type", np.int16),
            ("physical_load", np.int16),
            ("occupation", np.int64),
        ):
            object.__setattr__(self, name, _column(getattr(self, name), dtype, name, size))
        texts = tuple(self.texts) if self.texts else ("",) * size
        if len(texts) != size:
            raise ValueError(f"texts has {len(texts)} values, ids has {size}")
        object.__setattr__(self, "texts", texts)
        if size and (self.area.min() < 0):
            raise ValueError("areas are indices into the commute matrix, never negative")
        if size and (self.employment_type.min() < 0):
            raise ValueError("employment type codes are never negative")

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @classmethod
    def from_rows(cls, rows: Sequence[PostingRow]) -> Postings:
        def nan(value: int | None) -> float:
            return float("nan") if value is None else float(value)

        return cls(
            ids=np.asarray([r.id for r in rows]),
            area=np.asarray([r.area for r in rows]),
            age_min=np.asarray([nan(r.age_min) for r in rows]),
            age_max=np.asarray([nan(r.age_max) for r in rows]),
            age_limit_lawful=np.asarray([r.age_limit_lawful for r in rows]),
            days_per_week=np.asarray([r.days_per_week for r in rows]),
            hours_per_day=np.asarray([r.hours_per_day for r in rows]),
            wage_from=np.asarray([r.wage_from for r in rows]),
            wage_to=np.asarray([r.wage_to for r in rows]),
            employment_type=np.asarray([r.employment_type for r in rows]),
            physical_load=np.asarray([r.physical_load for r in rows]),
            occupation=np.asarray([r.occupation for r in rows]),
            texts=[r.text for r in rows],
        )


@dataclass(frozen=True)
class Seeker:
    """A seeker's matching profile.

    An empty ``employment_types`` accepts every type; an empty ``wished_areas`` leaves the
    commute alone to decide; an empty ``wished_occupations`` expresses no wish (neutral).
    """

    id: int
    age: int
    home_area: int  # index into the commute matrix
    max_commute_minutes: float
    max_days_per_week: int
    max_hours_per_day: float
    min_hourly_wage: float  # yen per hour, 0 = no minimum
    physical_limit: int  # heaviest physical load accepted
    wished_areas: frozenset[int] = frozenset()
    employment_types: frozenset[int] = frozenset()
    wished_occupations: frozenset[int] = frozenset()
    career_text: str = ""
    # A commute the seeker would rather not exceed (a soft wish, below the hard maximum).
    preferred_commute_minutes: float | None = None


@dataclass(frozen=True)
class Weights:
    """Weights of the soft score (later from the program's preset). Each criterion scores
    0–1; the score is their weighted mean, so only the ratios matter.

    Defaults: text similarity 0.3 (the career fits the work: what counsellors explain
    first), wage margin 0.25, commute 0.25, occupation wished 0.2.
    """

    wage: float = 0.25
    commute: float = 0.25
    occupation: float = 0.2
    text: float = 0.3

    def __post_init__(self) -> None:
        values = (self.wage, self.commute, self.occupation, self.text)
        if any(v < 0 for v in values) or sum(values) <= 0:
            raise ValueError("weights are non-negative and not all zero")

    @property
    def total(self) -> float:
        return self.wage + self.commute + self.occupation + self.text


DEFAULT_WEIGHTS = Weights()
