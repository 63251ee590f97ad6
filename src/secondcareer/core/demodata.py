"""The registry behind ``secondcareer seed-demo``.

Each app that contributes demo data has a ``demo.py`` module with functions decorated
by :func:`demo_seeder`. ``seed-demo`` discovers them and runs them in ``order`` for a
program, each with its own deterministic random generator derived from the seed, so
that adding a seeder in a later issue never changes what earlier seeders produce.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules


@dataclass
class DemoContext:
    program: Any
    seekers: int
    seed: int
    log: Callable[[str], None]
    shared: dict[str, Any] = field(default_factory=dict)

    def rng(self, name: str) -> random.Random:
        digest = hashlib.sha256(f"{self.seed}:{self.program.slug}:{name}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - demo data


@dataclass(frozen=True)
class _Seeder:
    order: int
    name: str
    func: Callable[[DemoContext], None]


_SEEDERS: dict[str, _Seeder] = {}


def demo_seeder(
    *, order: int, name: str
) -> Callable[[Callable[[DemoContext], None]], Callable[[DemoContext], None]]:
    def register(func: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        _SEEDERS[name] = _Seeder(order=order, name=name, func=func)
        return func

    return register


def seeders() -> list[_Seeder]:
    autodiscover_modules("demo")
    return sorted(_SEEDERS.values(), key=lambda s: (s.order, s.name))
