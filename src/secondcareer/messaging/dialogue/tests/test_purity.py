"""The dialogue package stays pure: no ORM, no services, no I/O."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
ALLOWED_PROJECT_IMPORTS = (
    "secondcareer.messaging.dialogue",
    "secondcareer.core.jpcalendar",
    "secondcareer.core.inputs",  # the shared input rules: plain Python, no ORM
)
ALLOWED_DJANGO_IMPORTS = ("django.utils.translation",)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_the_dialogue_modules_import_no_orm_and_no_other_app():
    modules = [p for p in PACKAGE.glob("*.py")]
    assert modules
    for path in modules:
        for name in _imports(path):
            if name.startswith("secondcareer"):
                assert name.startswith(ALLOWED_PROJECT_IMPORTS), (path.name, name)
            if name.startswith("django"):
                assert name.startswith(ALLOWED_DJANGO_IMPORTS), (path.name, name)
