"""Preset sections about places: areas, adjacency, consultation kinds, venues."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from secondcareer.programs.choices import WEEKDAY_NAMES, AreaKind
from secondcareer.programs.preset_format.reader import Reader, describe, join, unique_codes
from secondcareer.programs.preset_format.schema import (
    AreaSpec,
    ConsultationKindSpec,
    VenueDaySpec,
    VenueSpec,
)


def read_areas(r: Reader, root: Mapping[str, Any]) -> tuple[AreaSpec, ...]:
    areas: list[AreaSpec] = []
    codes: list[tuple[str, str]] = []
    for where, item in r.items(root, "areas", ""):
        data = r.mapping(item, where, required=("code", "name", "kind"), optional=("note",))
        if data is None:
            continue
        code = r.code(data, "code", where)
        codes.append((where, code))
        areas.append(
            AreaSpec(
                code=code,
                name=r.text(data, "name", where, required=True),
                kind=r.choice(data, "kind", where, AreaKind.values, what="area kind"),
                note=r.text(data, "note", where),
            )
        )
    if not areas and "areas" in root:
        r.error("areas", "declare at least one area")
    unique_codes(r, codes)
    return tuple(areas)


def read_adjacency(
    r: Reader, root: Mapping[str, Any], areas: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    seen: dict[frozenset[str], str] = {}
    for where, item in r.items(root, "adjacency", ""):
        if not isinstance(item, list) or len(item) != 2:
            r.error(where, f"expected a pair of area codes like [nada, chuo], got {describe(item)}")
            continue
        ok = [r.ref_value(code, f"{where}[{i}]", areas, what="area") for i, code in enumerate(item)]
        if not all(ok):
            continue
        a, b = item
        if a == b:
            r.error(where, f"area {a!r} cannot be adjacent to itself")
            continue
        key = frozenset((a, b))
        if key in seen:
            r.error(where, f"pair {a}–{b} is listed twice (also {seen[key]})")
            continue
        seen[key] = where
        pairs.append((a, b))
    return tuple(pairs)


def read_kinds(r: Reader, root: Mapping[str, Any]) -> tuple[ConsultationKindSpec, ...]:
    kinds: list[ConsultationKindSpec] = []
    codes: list[tuple[str, str]] = []
    for where, item in r.items(root, "consultation_kinds", ""):
        data = r.mapping(item, where, required=("code", "name"), optional=("description",))
        if data is None:
            continue
        code = r.code(data, "code", where)
        codes.append((where, code))
        kinds.append(
            ConsultationKindSpec(
                code=code,
                name=r.text(data, "name", where, required=True),
                description=r.text(data, "description", where),
            )
        )
    unique_codes(r, codes)
    return tuple(kinds)


def read_weekdays(r: Reader, data: Mapping[str, Any], path: str) -> tuple[VenueDaySpec, ...]:
    days: list[VenueDaySpec] = []
    seen: dict[int, str] = {}
    hint = ", ".join(WEEKDAY_NAMES)
    for where, item in r.items(data, "weekdays", path):
        nth: tuple[int, ...] | None = None
        name: Any = item
        name_where = where
        if isinstance(item, Mapping):
            entry = r.mapping(item, where, required=("day",), optional=("nth",))
            if entry is None:
                continue
            name, name_where = entry.get("day"), join(where, "day")
            if entry.get("nth") is not None:
                weeks: list[int] = []
                listed = r.items(entry, "nth", where)
                for nth_where, n in listed:
                    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 5:
                        r.error(nth_where, f"nth must be a week of the month 1 to 5, got {n!r}")
                    elif n in weeks:
                        r.error(nth_where, f"week {n} is listed twice")
                    else:
                        weeks.append(n)
                if not weeks:
                    if not listed and isinstance(entry["nth"], list):
                        r.error(join(where, "nth"), "list at least one week of the month (1 to 5)")
                    continue
                nth = tuple(sorted(weeks))
        if name not in WEEKDAY_NAMES:
            r.error(name_where, f"unknown weekday {name!r} (use {hint})")
            continue
        weekday = WEEKDAY_NAMES.index(name)
        if weekday in seen:
            r.error(name_where, f"weekday {name!r} is listed twice (also {seen[weekday]})")
            continue
        seen[weekday] = name_where
        days.append(VenueDaySpec(weekday=weekday, nth=nth))
    return tuple(sorted(days, key=lambda d: d.weekday))


def read_venues(
    r: Reader, root: Mapping[str, Any], areas: tuple[str, ...]
) -> tuple[VenueSpec, ...]:
    venues: list[VenueSpec] = []
    codes: list[tuple[str, str]] = []
    for where, item in r.items(root, "venues", ""):
        data = r.mapping(
            item,
            where,
            required=("code", "name", "area"),
            optional=("formal_name", "address", "booths", "seats", "weekdays", "note"),
        )
        if data is None:
            continue
        code = r.code(data, "code", where)
        codes.append((where, code))
        venues.append(
            VenueSpec(
                code=code,
                name=r.text(data, "name", where, required=True),
                area=r.ref(data, "area", where, areas, what="area") or "",
                formal_name=r.text(data, "formal_name", where),
                address=r.text(data, "address", where),
                booths=r.integer(data, "booths", where, minimum=1, maximum=100) or 1,
                seats=r.integer(data, "seats", where, minimum=1, maximum=10000),
                days=read_weekdays(r, data, where),
                note=r.text(data, "note", where),
            )
        )
    unique_codes(r, codes)
    return tuple(venues)
