"""The conversation state the caller keeps per LINE user (as JSON, with an expiry)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

STATE_VERSION = 1
MAX_VALUE = 1000  # characters kept of any one value


@dataclass(frozen=True)
class DialogueState:
    """Which flow and step the user is in, the few values chosen so far (strings), and
    how many inputs in a row were not understood."""

    flow: str = "menu"
    step: str = "start"
    data: Mapping[str, str] = field(default_factory=dict)
    misses: int = 0

    def get(self, key: str) -> str:
        return self.data.get(key, "")

    def at(self, flow: str, step: str, **data: str) -> DialogueState:
        """A state in ``flow``/``step`` with only ``data`` (empty values dropped)."""
        return DialogueState(flow, step, _clean(data), 0)

    def moved(self, step: str, **changes: str | None) -> DialogueState:
        """The same flow at ``step``, data updated (None or "" removes a key)."""
        data = dict(self.data)
        for key, value in changes.items():
            if value:
                data[key] = value
            else:
                data.pop(key, None)
        return DialogueState(self.flow, step, _clean(data), self.misses)

    def to_json(self) -> dict[str, Any]:
        return {
            "v": STATE_VERSION,
            "flow": self.flow,
            "step": self.step,
            "data": dict(self.data),
            "misses": self.misses,
        }

    @classmethod
    def from_json(cls, raw: object) -> DialogueState:
        """The state stored by :meth:`to_json`; anything unreadable gives a fresh one."""
        if not isinstance(raw, Mapping) or raw.get("v") != STATE_VERSION:
            return cls()
        flow, step, data, misses = (raw.get(k) for k in ("flow", "step", "data", "misses"))
        if not (isinstance(flow, str) and isinstance(step, str) and isinstance(data, Mapping)):
            return cls()
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            return cls()
        count = misses if isinstance(misses, int) and not isinstance(misses, bool) else 0
        return cls(flow, step, _clean(data), max(0, min(count, 99)))


def _clean(data: Mapping[str, str]) -> dict[str, str]:
    return {k: v[:MAX_VALUE] for k, v in data.items() if v}
