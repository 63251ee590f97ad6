"""The preset's ``matching.weights`` reach the engine through the program's row."""

from __future__ import annotations

import dataclasses

import pytest

from secondcareer.matching.engine import DEFAULT_WEIGHTS, Weights
from secondcareer.matching.models import MatchingWeights
from secondcareer.matching.selectors import matching_weights
from secondcareer.programs.models import Program
from secondcareer.programs.preset_format.matching import DEFAULT_WEIGHTS as PRESET_DEFAULTS

pytestmark = pytest.mark.django_db


def test_the_preset_format_defaults_are_the_engines() -> None:
    assert dataclasses.asdict(DEFAULT_WEIGHTS) == PRESET_DEFAULTS


def test_loading_a_preset_stores_its_weights_for_the_engine(kobe: Program) -> None:
    row = MatchingWeights.objects.get(program=kobe)
    assert (row.text, row.wage, row.commute, row.occupation) == (0.3, 0.25, 0.25, 0.2)
    assert matching_weights(kobe) == Weights(wage=0.25, commute=0.25, occupation=0.2, text=0.3)


def test_a_program_without_the_section_uses_the_defaults(program: Program) -> None:
    assert matching_weights(program) == DEFAULT_WEIGHTS
