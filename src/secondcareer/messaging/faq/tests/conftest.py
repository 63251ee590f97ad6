"""Fixtures for the FAQ tests: the two real program slugs (the seed file's programs) as
minimal rows, the shipped seed loaded for both, and a fresh retrieval cache per test."""

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
def kobe(db: None) -> Program:
    return Program.objects.create(
        slug="kobe", name="シニアのキャリア相談・就労支援事業", client="神戸市", card_prefix="KB"
    )


@pytest.fixture
def saitama(db: None) -> Program:
    return Program.objects.create(
        slug="saitama", name="セカンドキャリアセンター運営事業", client="埼玉県", card_prefix="ST"
    )


@pytest.fixture
def seeded(kobe: Program, saitama: Program) -> None:
    faq_load_seed()
