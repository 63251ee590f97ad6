"""Helpers shared by the programs tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings

PRESET_DIR = Path(settings.PROGRAM_PRESET_DIR)


def shipped_text(name: str) -> str:
    return (PRESET_DIR / f"{name}.yaml").read_text(encoding="utf-8")


def edited(text: str, old: str, new: str) -> str:
    """``text`` with the one occurrence of ``old`` replaced (fails loudly otherwise, so
    an edit cannot silently miss after the preset changes)."""
    count = text.count(old)
    assert count == 1, f"expected exactly one {old!r} in the preset, found {count}"
    return text.replace(old, new)


def table_snapshot(*, ignore: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every programs table (through tables included), ids and values,
    leaving out the columns named in ``ignore``."""
    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    for model in apps.get_app_config("programs").get_models(include_auto_created=True):
        columns = [f.attname for f in model._meta.concrete_fields if f.attname not in ignore]
        snapshot[model._meta.label] = sorted(
            tuple(str(v) for v in row) for row in model.objects.values_list(*columns)
        )
    return snapshot
