"""Fixtures for the programs tests: presets loaded through the real service, and a
place to write edited copies of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def write_preset(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write preset text to ``tmp_path/<filename>`` and return the path."""

    def write(filename: str, text: str) -> Path:
        path = tmp_path / filename
        path.write_text(text, encoding="utf-8")
        return path

    return write
