"""Fixtures for the FAQ tests: the shipped seed loaded for both programs (``kobe`` and
``saitama`` from the project's conftest), and a fresh retrieval cache per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from secondcareer.messaging.faq import retrieval
from secondcareer.messaging.faq.services import faq_load_seed
from secondcareer.programs.models import Program


@pytest.fixture(autouse=True)
def _fresh_index_cache() -> Iterator[None]:
    retrieval.clear_cache()
    yield
    retrieval.clear_cache()


@pytest.fixture
def seeded(kobe: Program, saitama: Program) -> None:
    faq_load_seed()
