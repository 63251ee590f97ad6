"""Fixtures for the programs tests: presets loaded through the real service, and a
place to write edited copies of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from secondcareer.programs.models import Program
from secondcareer.programs.services import program_load_preset


@pytest.fixture
def write_preset(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write preset text to ``tmp_path/<filename>`` and return the path."""

    def write(filename: str, text: str) -> Path:
        path = tmp_path / filename
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def saitama(db: None) -> Program:
    return program_load_preset(path_or_name="saitama").program


@pytest.fixture
def kobe(db: None) -> Program:
    return program_load_preset(path_or_name="kobe").program
