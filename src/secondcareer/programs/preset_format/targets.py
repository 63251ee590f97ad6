"""Preset sections ``kpis``, ``report`` and ``publications``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from secondcareer.programs.choices import CountPeriod, PublicationMedium
from secondcareer.programs.preset_format.reader import Reader, describe, join, unique_codes
from secondcareer.programs.preset_format.schema import (
    KpiSpec,
    PublicationSpec,
    ReportItemSpec,
    ReportSpec,
    Scope,
)
from secondcareer.programs.rules import DueRule, DueSchedule, Roll

_SCOPE_KEYS = ("services", "kinds", "event_kinds", "age_from", "note")


def read_scope(
    r: Reader, data: Mapping[str, Any], where: str, known: Mapping[str, tuple[str, ...]]
) -> Scope:
    return Scope(
        services=r.refs(data, "services", where, known["services"], what="service"),
        consultation_kinds=r.refs(data, "kinds", where, known["kinds"], what="consultation kind"),
        event_kinds=r.refs(data, "event_kinds", where, known["event_kinds"], what="event kind"),
        age_from=r.integer(data, "age_from", where, minimum=0, maximum=120),
        note=r.text(data, "note", where),
    )


def read_kpis(
    r: Reader, value: Any, known: Mapping[str, tuple[str, ...]]
) -> tuple[tuple[int, ...], tuple[KpiSpec, ...]]:
    path = "kpis"
    if value is None:
        return (), ()
    data = r.mapping(value, path, required=("fiscal_years", "items"))
    if data is None:
        return (), ()
    years: list[int] = []
    for where, item in r.items(data, "fiscal_years", path):
        year = r.integer_value(item, where, minimum=2000, maximum=2100)
        if year is not None and year in years:
            r.error(where, f"fiscal year {year} is listed twice")
        elif year is not None:
            years.append(year)
    if "fiscal_years" in data and not years:
        r.error(join(path, "fiscal_years"), "list at least one fiscal year")

    kpis: list[KpiSpec] = []
    codes: list[tuple[str, str]] = []

    def read(where: str, item: Any, parent: KpiSpec | None) -> None:
        optional: tuple[str, ...] = ("unit", "by_year", *_SCOPE_KEYS)
        if parent is None:
            optional = (*optional, "breakdown")
        entry = r.mapping(
            item,
            where,
            required=("code", "name", "target") if parent else ("code", "name", "unit", "target"),
            optional=optional,
        )
        if entry is None:
            return
        code = r.code(entry, "code", where)
        codes.append((where, code))
        target = r.integer(entry, "target", where, minimum=0, maximum=10_000_000)
        targets = {year: target for year in years} if target is not None else {}
        by_year = entry.get("by_year")
        if by_year is not None:
            by_where = join(where, "by_year")
            if not isinstance(by_year, Mapping):
                r.error(
                    by_where,
                    f"expected a mapping of fiscal year to target, got {describe(by_year)}",
                )
            else:
                for year, number in by_year.items():
                    if year not in years:
                        r.error(
                            join(by_where, str(year)),
                            f"fiscal year {year!r} is not in kpis.fiscal_years",
                        )
                        continue
                    parsed = r.integer_value(number, join(by_where, str(year)), minimum=0)
                    if parsed is not None:
                        targets[year] = parsed
        unit = r.text(entry, "unit", where, required=parent is None) or (
            parent.unit if parent else ""
        )
        spec = KpiSpec(
            code=code,
            name=r.text(entry, "name", where, required=True),
            unit=unit,
            targets=targets,
            parent=parent.code if parent else None,
            scope=read_scope(r, entry, where, known),
        )
        if parent is not None:
            for year, amount in spec.targets.items():
                if amount > parent.targets.get(year, amount):
                    r.error(
                        join(where, "target"),
                        f"{amount} is more than the {parent.code!r} target "
                        f"{parent.targets[year]} for fiscal {year}",
                    )
                    break
        kpis.append(spec)
        if parent is None:
            for child_where, child in r.items(entry, "breakdown", where):
                read(child_where, child, spec)

    for where, item in r.items(data, "items", path):
        read(where, item, None)
    unique_codes(r, codes)
    return tuple(years), tuple(kpis)


def read_due_rule(r: Reader, data: Mapping[str, Any], where: str, month: int | None) -> DueRule:
    day = r.integer(data, "day", where, minimum=1, maximum=31) or 1
    months_after = r.integer(data, "months_after", where, minimum=0, maximum=12)
    roll = r.choice(
        data, "roll", where, [x.value for x in Roll], what="roll", default=Roll.NEXT_BUSINESS_DAY
    )
    return DueRule(
        day=day,
        months_after=1 if months_after is None else months_after,
        roll=Roll(roll),
        month=month,
    )


def read_report(r: Reader, value: Any, known: Mapping[str, tuple[str, ...]]) -> ReportSpec:
    path = "report"
    fallback = ReportSpec(due=DueSchedule(default=DueRule(day=1)))
    if value is None:  # already reported as a missing top-level field
        return fallback
    data = r.mapping(value, path, required=("due", "items"), optional=("note",))
    if data is None:
        return fallback
    due_where = join(path, "due")
    due = (
        r.mapping(
            data.get("due"),
            due_where,
            required=("day",),
            optional=("months_after", "roll", "note", "exceptions"),
        )
        if "due" in data
        else None
    )
    default_rule = DueRule(day=1)
    exceptions: list[DueRule] = []
    notes: dict[int | None, str] = {}
    if due is not None:
        default_rule = read_due_rule(r, due, due_where, None)
        notes[None] = r.text(due, "note", due_where)
        for where, item in r.items(due, "exceptions", due_where):
            entry = r.mapping(
                item, where, required=("month", "day"), optional=("months_after", "roll", "note")
            )
            if entry is None:
                continue
            month = r.integer(entry, "month", where, minimum=1, maximum=12)
            if month is None:
                continue
            if month in notes:
                r.error(join(where, "month"), f"month {month} already has an exception")
                continue
            exceptions.append(read_due_rule(r, entry, where, month))
            notes[month] = r.text(entry, "note", where)

    items: list[ReportItemSpec] = []
    codes: list[tuple[str, str]] = []
    numbers: dict[int, str] = {}
    for where, item in r.items(data, "items", path):
        entry = r.mapping(
            item, where, required=("code", "name", "number"), optional=(*_SCOPE_KEYS, "breakdown")
        )
        if entry is None:
            continue
        code = r.code(entry, "code", where)
        codes.append((where, code))
        number = r.integer(entry, "number", where, minimum=1, maximum=99)
        if number is not None and number in numbers:
            r.error(join(where, "number"), f"number {number} is already used by {numbers[number]}")
        elif number is not None:
            numbers[number] = where
        items.append(
            ReportItemSpec(
                code=code,
                name=r.text(entry, "name", where, required=True),
                number=number or 0,
                scope=read_scope(r, entry, where, known),
            )
        )
        for position, (child_where, child) in enumerate(r.items(entry, "breakdown", where), 1):
            sub = r.mapping(child, child_where, required=("code", "name"), optional=_SCOPE_KEYS)
            if sub is None:
                continue
            sub_code = r.code(sub, "code", child_where)
            codes.append((child_where, sub_code))
            items.append(
                ReportItemSpec(
                    code=sub_code,
                    name=r.text(sub, "name", child_where, required=True),
                    number=position,
                    parent=code,
                    scope=read_scope(r, sub, child_where, known),
                )
            )
    unique_codes(r, codes)
    return ReportSpec(
        due=DueSchedule(default=default_rule, exceptions=tuple(exceptions)),
        due_notes=notes,
        items=tuple(items),
        note=r.text(data, "note", path),
    )


def read_publications(
    r: Reader, root: Mapping[str, Any], event_kinds: tuple[str, ...]
) -> tuple[PublicationSpec, ...]:
    found: list[PublicationSpec] = []
    codes: list[tuple[str, str]] = []
    for where, item in r.items(root, "publications", ""):
        data = r.mapping(
            item,
            where,
            required=("code", "name", "medium"),
            optional=(
                "format",
                "count",
                "per",
                "every",
                "approximate",
                "copies",
                "lead_time_months",
                "event_kind",
                "note",
            ),
        )
        if data is None:
            continue
        code = r.code(data, "code", where)
        codes.append((where, code))
        found.append(
            PublicationSpec(
                code=code,
                name=r.text(data, "name", where, required=True),
                medium=r.choice(data, "medium", where, PublicationMedium.values, what="medium"),
                format=r.text(data, "format", where),
                count=r.integer(data, "count", where, minimum=1, maximum=10000),
                period=r.choice(
                    data, "per", where, CountPeriod.values, what="period", default="year"
                ),
                every=r.integer(data, "every", where, minimum=1, maximum=52) or 1,
                approximate=r.boolean(data, "approximate", where),
                copies=r.integer(data, "copies", where, minimum=1, maximum=1_000_000),
                lead_time_months=r.integer(data, "lead_time_months", where, minimum=0, maximum=24),
                event_kind=r.ref(data, "event_kind", where, event_kinds, what="event kind"),
                note=r.text(data, "note", where),
            )
        )
    unique_codes(r, codes)
    return tuple(found)


# --- entry points ---------------------------------------------------------------------------
