"""A small world for matching against the database: the test program with three more
areas (ガンマ市 next to アルファ市, デルタ市 next to ガンマ市, 離島村 reached from nowhere),
postings imported through ``import-hellowork`` (the jobs tests' CSV helpers), and the
engine's per-process caches emptied around each test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from secondcareer.jobs.tests.conftest import (  # noqa: F401 - fixtures
    TODAY,
    posting_row,
    run_import,
    write_csv,
)
from secondcareer.matching.feed import FEEDS, SEEKER_INDEXES
from secondcareer.programs.models import Area, AreaKind, Program


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    FEEDS.invalidate()
    SEEKER_INDEXES.invalidate()
    yield
    FEEDS.invalidate()
    SEEKER_INDEXES.invalidate()


@pytest.fixture
def areas(program: Program) -> dict[str, Area]:
    alpha = program.areas.get()
    gamma = Area.objects.create(
        program=program, code="gamma", name="ガンマ市", kind=AreaKind.MUNICIPALITY
    )
    delta = Area.objects.create(
        program=program, code="delta", name="デルタ市", kind=AreaKind.MUNICIPALITY
    )
    island = Area.objects.create(
        program=program, code="island", name="離島村", kind=AreaKind.MUNICIPALITY
    )
    alpha.adjacent.add(gamma)
    gamma.adjacent.add(delta)
    return {"alpha": alpha, "gamma": gamma, "delta": delta, "island": island}


def row(n: int, **overrides: str) -> dict[str, str]:
    """A Hello Work row (the jobs tests' defaults: アルファ市, 時給1,100〜1,300円, 週3日,
    8:30〜12:30, パート労働者) with an occupation and a content of its own."""
    return posting_row(n, **overrides)


@pytest.fixture
def import_rows(
    program: Program,
    areas: dict[str, Area],
    write_csv: Callable[..., Path],  # noqa: F811 - the fixture
    run_import: Callable[..., str],  # noqa: F811 - the fixture
) -> Callable[..., str]:
    def run(rows: list[dict[str, str]], *args: str, on: dt.date = TODAY) -> str:
        return run_import(write_csv(rows), program.slug, *args, on=on)

    return run
