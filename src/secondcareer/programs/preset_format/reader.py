"""The YAML reader behind the preset parser: typed getters that collect errors with
the key path of each value, and a YAML loader that refuses duplicate keys."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from secondcareer.core.errors import DomainError
from secondcareer.programs.choices import DayType
from secondcareer.programs.preset_format.schema import Hours, Period

SCHEMA_VERSION = 1

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_PERIOD = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class PresetError:
    path: str
    message: str


class PresetInvalid(DomainError):
    """A preset that cannot be loaded; ``errors`` lists every problem found."""

    def __init__(self, file: str, errors: list[PresetError]) -> None:
        self.file = file
        self.errors = list(errors)
        count = len(self.errors)
        header = f"{file}: {count} error{'s' if count != 1 else ''} in the preset:"
        super().__init__("\n".join([header, *self.lines()]), details={"errors": self.lines()})

    def lines(self) -> list[str]:
        """One line per problem: ``file: key.path: message``."""
        return [
            f"{self.file}: {e.path}: {e.message}" if e.path else f"{self.file}: {e.message}"
            for e in self.errors
        ]


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {value!r}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


class Reader:
    """Walks the loaded YAML, converting values and collecting errors with key paths.

    Getters return a usable default after recording an error, so one mistake does not
    hide the next."""

    def __init__(self) -> None:
        self.errors: list[PresetError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(PresetError(path, message))

    # --- structure -------------------------------------------------------------------

    def mapping(
        self,
        value: Any,
        path: str,
        *,
        required: Iterable[str] = (),
        optional: Iterable[str] = (),
    ) -> dict[str, Any] | None:
        """``value`` as a mapping with exactly these keys allowed; None if it is not one."""
        if not isinstance(value, Mapping):
            self.error(path, f"expected a mapping, got {describe(value)}")
            return None
        required = tuple(required)
        allowed = (*required, *optional)
        for key in value:
            if key not in allowed:
                self.error(
                    join(path, str(key)),
                    f"unknown key {str(key)!r} (expected one of: {', '.join(allowed)})",
                )
        for key in required:
            if key not in value:
                self.error(join(path, key), "missing required field")
        return dict(value)

    def items(self, data: Mapping[str, Any], key: str, path: str) -> list[tuple[str, Any]]:
        """The entries of list ``data[key]`` with their paths (an absent key is empty)."""
        value = data.get(key)
        where = join(path, key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(where, f"expected a list, got {describe(value)}")
            return []
        return [(f"{where}[{i}]", item) for i, item in enumerate(value)]

    # --- scalars ---------------------------------------------------------------------

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str:
        value = data.get(key)
        where = join(path, key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.error(where, f"expected text, got {describe(value)}")
            return ""
        text = value.strip()
        if required and not text:
            self.error(where, "must not be empty")
        return text

    def code(self, data: Mapping[str, Any], key: str, path: str) -> str:
        value = data.get(key)
        where = join(path, key)
        if value is None:
            return ""
        if not isinstance(value, str) or not _CODE.match(value) or len(value) > 50:
            self.error(
                where,
                f"invalid code {value!r} (lower-case letters, digits and '_', "
                "starting with a letter, at most 50 characters)",
            )
            return ""
        return value

    def integer(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        return self.integer_value(data.get(key), join(path, key), minimum=minimum, maximum=maximum)

    def integer_value(
        self, value: Any, where: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, f"expected a whole number, got {describe(value)}")
            return None
        if minimum is not None and value < minimum:
            self.error(where, f"must be at least {minimum}, got {value}")
            return None
        if maximum is not None and value > maximum:
            self.error(where, f"must be at most {maximum}, got {value}")
            return None
        return value

    def boolean(
        self, data: Mapping[str, Any], key: str, path: str, *, default: bool = False
    ) -> bool:
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(join(path, key), f"expected true or false, got {describe(value)}")
            return default
        return value

    def choice(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        choices: Iterable[str],
        *,
        what: str,
        default: str = "",
    ) -> str:
        value = data.get(key)
        if value is None:
            return default
        choices = tuple(choices)
        if value not in choices:
            self.error(join(path, key), f"unknown {what} {value!r} (use {', '.join(choices)})")
            return default
        return str(value)

    def texts(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        found = []
        for where, item in self.items(data, key, path):
            if isinstance(item, str) and item.strip():
                found.append(item.strip())
            else:
                self.error(where, f"expected text, got {describe(item)}")
        return tuple(found)

    def refs(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        known: Iterable[str],
        *,
        what: str,
    ) -> tuple[str, ...]:
        """A list of codes that must each name an entry declared elsewhere."""
        known = tuple(known)
        found: list[str] = []
        for where, item in self.items(data, key, path):
            if self.ref_value(item, where, known, what=what) and item not in found:
                found.append(item)
            elif item in found:
                self.error(where, f"{what} {item!r} is listed twice")
        return tuple(found)

    def ref(
        self, data: Mapping[str, Any], key: str, path: str, known: Iterable[str], *, what: str
    ) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        return value if self.ref_value(value, join(path, key), tuple(known), what=what) else None

    def ref_value(self, value: Any, where: str, known: tuple[str, ...], *, what: str) -> bool:
        if isinstance(value, str) and value in known:
            return True
        listing = ", ".join(known) if known else "none declared"
        self.error(where, f"unknown {what} {value!r} (known: {listing})")
        return False

    # --- times and dates --------------------------------------------------------------

    def period(self, value: Any, where: str) -> Period | None:
        if not isinstance(value, str):
            self.error(
                where,
                f"expected a time range like '10:00-12:00' in quotes, got {describe(value)}",
            )
            return None
        match = _PERIOD.match(value.strip())
        if not match:
            self.error(where, f"expected a time range like '10:00-12:00', got {value!r}")
            return None
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            self.error(where, f"not a time of day in {value!r}")
            return None
        start, end = dt.time(h1, m1), dt.time(h2, m2)
        if start >= end:
            self.error(where, f"start {start:%H:%M} is not before end {end:%H:%M}")
            return None
        return Period(start, end)

    def hours(self, value: Any, where: str) -> Hours:
        """``{weekday: ['10:00-12:00', ...], saturday: [...], sunday_holiday: [...]}``."""
        data = self.mapping(value, where, optional=DayType.values)
        if data is None:
            return {}
        result: Hours = {}
        for day_type in DayType.values:
            if day_type not in data:
                continue
            periods: list[tuple[str, Period]] = []
            for item_where, item in self.items(data, day_type, where):
                period = self.period(item, item_where)
                if period is None:
                    continue
                for earlier_where, earlier in periods:
                    if period.overlaps(earlier):
                        self.error(
                            item_where,
                            f"{period} overlaps {earlier} ({earlier_where}) on the same day type",
                        )
                        break
                else:
                    periods.append((item_where, period))
            if periods:
                result[day_type] = tuple(sorted(p for _, p in periods))
        return result

    def date(self, value: Any, where: str) -> dt.date | None:
        if isinstance(value, dt.datetime):
            self.error(where, f"expected a date, got a date and time {value!r}")
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(where, f"expected a date like 2026-08-14, got {describe(value)}")
        return None

    def month_day(self, value: Any, where: str) -> tuple[int, int] | None:
        match = _MONTH_DAY.match(value.strip()) if isinstance(value, str) else None
        if not match:
            self.error(where, f"expected a month and day like '12-29', got {describe(value)}")
            return None
        month, day = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
            self.error(where, f"no such day of the year: {value!r}")
            return None
        return month, day


def unique_codes(reader: Reader, entries: list[tuple[str, str]]) -> None:
    """Report codes used twice; ``entries`` are (path of the entry, code)."""
    first: dict[str, str] = {}
    for path, code in entries:
        if not code:
            continue
        if code in first:
            reader.error(join(path, "code"), f"duplicate code {code!r} (also {first[code]})")
        else:
            first[code] = path


# --- sections ---------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping (PyYAML keeps the
    last one silently, which hides copy-paste mistakes)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, file: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
        raise PresetInvalid(file, [PresetError(where, message)]) from exc
