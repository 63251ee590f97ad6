"""The layer rules of DESIGN.md are import-linter contracts in ``pyproject.toml``, run by
``make lint``. These tests keep the contracts honest: every package of the project is
in them (a new app cannot escape), and an import against the layers is refused."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import secondcareer

PACKAGE = Path(secondcareer.__file__).parent
PYPROJECT = PACKAGE.parents[1] / "pyproject.toml"


def _contracts() -> list[dict]:  # type: ignore[type-arg]
    return tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]


def test_every_package_of_the_project_has_its_place_in_the_layers():
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    placed = {name.strip() for row in layers for name in row.split("|")}
    packages = {
        f"secondcareer.{p.name}"
        for p in PACKAGE.iterdir()
        if p.is_dir() and (p / "__init__.py").exists()
    }
    beside = {"secondcareer.devtools"}  # not the product: its own contracts
    assert packages - beside <= placed, f"not in the layer contract: {packages - beside - placed}"
    assert placed <= packages, f"in the layer contract but gone: {placed - packages}"
    assert any("secondcareer.devtools" in str(c.get("source_modules")) for c in _contracts())


@pytest.mark.skipif(
    shutil.which("lint-imports", path=str(Path(sys.executable).parent)) is None,
    reason="import-linter is a dev dependency",
)
def test_an_import_from_a_higher_layer_is_refused(tmp_path):
    # A copy of the package with programs importing booking: the contracts must break.
    copy = tmp_path / "src"
    shutil.copytree(PACKAGE, copy / "secondcareer", ignore=shutil.ignore_patterns("__pycache__"))
    rules = copy / "secondcareer" / "programs" / "rules.py"
    rules.write_text(rules.read_text() + "\nfrom secondcareer.booking import models\n")
    config = tmp_path / "pyproject.toml"
    config.write_text(PYPROJECT.read_text())
    run = subprocess.run(  # noqa: S603 - our own tool on our own copy
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", "--config", str(config)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0, run.stdout
    assert "secondcareer.programs is not allowed to import secondcareer.booking" in run.stdout
