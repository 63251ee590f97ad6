"""Preset section ``events``: event kinds, categories and per-area allocations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from secondcareer.programs.choices import CountPeriod, EventDelivery, EventFormat
from secondcareer.programs.preset_format.reader import Reader, join, unique_codes
from secondcareer.programs.preset_format.schema import (
    EventAllocationSpec,
    EventCategorySpec,
    EventKindSpec,
    VenueSpec,
)

_EVENT_KEYS = (
    "description",
    "delivery",
    "count",
    "per",
    "at_least",
    "time",
    "duration_minutes",
    "max_duration_minutes",
    "capacity",
    "capacity_approximate",
    "companies_per_event",
    "followup_consultations",
    "followup_minutes",
    "days_min",
    "days_max",
    "min_themes",
    "required_themes",
    "no_repeat_in_adjacent_areas",
    "requires_booking",
    "venues",
    "venue_note",
    "note",
    "categories",
    "allocations",
)


def read_categories(r: Reader, data: Mapping[str, Any], path: str) -> tuple[EventCategorySpec, ...]:
    categories: list[EventCategorySpec] = []
    codes: list[tuple[str, str]] = []
    for where, item in r.items(data, "categories", path):
        entry = r.mapping(
            item,
            where,
            required=("code", "name"),
            optional=(
                "description",
                "count",
                "min_themes",
                "rotate_monthly",
                "asks_childcare",
                "capacity",
                "delivery",
                "duration_minutes",
            ),
        )
        if entry is None:
            continue
        code = r.code(entry, "code", where)
        codes.append((where, code))
        categories.append(
            EventCategorySpec(
                code=code,
                name=r.text(entry, "name", where, required=True),
                description=r.text(entry, "description", where),
                count=r.integer(entry, "count", where, minimum=0, maximum=1000),
                min_themes=r.integer(entry, "min_themes", where, minimum=1, maximum=50),
                rotate_monthly=r.boolean(entry, "rotate_monthly", where),
                asks_childcare=r.boolean(entry, "asks_childcare", where),
                capacity=r.integer(entry, "capacity", where, minimum=1, maximum=10000),
                delivery=r.choice(entry, "delivery", where, EventDelivery.values, what="delivery"),
                duration_minutes=r.integer(
                    entry, "duration_minutes", where, minimum=1, maximum=1440
                ),
            )
        )
    unique_codes(r, codes)
    return tuple(categories)


def read_allocations(
    r: Reader,
    data: Mapping[str, Any],
    path: str,
    *,
    categories: tuple[EventCategorySpec, ...],
    capacity: int | None,
    areas: tuple[str, ...],
    venues: Mapping[str, VenueSpec],
) -> tuple[EventAllocationSpec, ...]:
    allocations: list[EventAllocationSpec] = []
    seen: dict[str, str] = {}
    category_codes = tuple(c.code for c in categories)
    for where, item in r.items(data, "allocations", path):
        entry = r.mapping(
            item,
            where,
            required=("area", "counts" if categories else "count"),
            optional=("total", "capacity", "venues", "childcare_note"),
        )
        if entry is None:
            continue
        area = r.ref(entry, "area", where, areas, what="area")
        if area and area in seen:
            r.error(join(where, "area"), f"area {area!r} already has a plan ({seen[area]})")
            continue
        if area:
            seen[area] = where
        counts: dict[str, int] = {}
        if categories:
            raw = entry.get("counts")
            counts_where = join(where, "counts")
            mapping = (
                r.mapping(raw, counts_where, optional=category_codes) if raw is not None else None
            )
            for code, number in (mapping or {}).items():
                parsed = r.integer_value(
                    number, join(counts_where, str(code)), minimum=0, maximum=1000
                )
                if code in category_codes and parsed is not None:
                    counts[code] = parsed
            count = sum(counts.values())
            total = r.integer(entry, "total", where, minimum=0, maximum=1000)
            if total is not None and total != count:
                r.error(
                    join(where, "total"),
                    f"total {total} does not match the counts per category (sum {count})",
                )
        else:
            count = r.integer(entry, "count", where, minimum=0, maximum=1000) or 0
            if "total" in entry:
                r.error(
                    join(where, "total"), "total is only for allocations with counts per category"
                )
        allocation_venues = r.refs(entry, "venues", where, tuple(venues), what="venue")
        for code in allocation_venues:
            if area and venues[code].area and venues[code].area != area:
                r.error(
                    join(where, "venues"),
                    f"venue {code!r} is in area {venues[code].area!r}, not {area!r}",
                )
        own_capacity = r.integer(entry, "capacity", where, minimum=1, maximum=10000)
        allocations.append(
            EventAllocationSpec(
                area=area or "",
                count=count,
                capacity=own_capacity if own_capacity is not None else capacity,
                counts=counts,
                venues=allocation_venues,
                childcare_note=r.text(entry, "childcare_note", where),
            )
        )
    return tuple(allocations)


def _check_event_totals(r: Reader, path: str, kind: EventKindSpec) -> None:
    if not kind.allocations:
        return
    total = sum(a.count for a in kind.allocations)
    if kind.count is not None and not kind.count_is_minimum and kind.count != total:
        r.error(
            join(path, "count"),
            f"count {kind.count} does not match the allocations (they add up to {total})",
        )
    for index, category in enumerate(kind.categories):
        if category.count is None:
            continue
        planned = sum(a.counts.get(category.code, 0) for a in kind.allocations)
        if planned != category.count:
            r.error(
                f"{path}.categories[{index}].count",
                f"category {category.code!r} totals {category.count} but the allocations "
                f"add up to {planned}",
            )


def _check_event_capacity(
    r: Reader, path: str, kind: EventKindSpec, venues: Mapping[str, VenueSpec]
) -> None:
    """An in-person event must fit the room where the venue declares its seats."""
    variants = [(path, kind.capacity, kind.delivery)] + [
        (f"{path}.categories[{i}]", c.capacity or kind.capacity, c.delivery or kind.delivery)
        for i, c in enumerate(kind.categories)
    ]
    checks = [(where, capacity, delivery, kind.venues) for where, capacity, delivery in variants]
    checks += [
        (f"{path}.allocations[{i}]", a.capacity, kind.delivery, a.venues)
        for i, a in enumerate(kind.allocations)
    ]
    for where, capacity, delivery, codes in checks:
        if capacity is None or delivery == EventDelivery.ONLINE:
            continue
        for code in codes:
            seats = venues[code].seats
            if seats is not None and capacity > seats:
                r.error(
                    join(where, "capacity"),
                    f"{capacity} people do not fit venue {code!r} ({seats} seats)",
                )


def read_events(
    r: Reader,
    root: Mapping[str, Any],
    areas: tuple[str, ...],
    venues: Mapping[str, VenueSpec],
) -> tuple[EventKindSpec, ...]:
    events: list[EventKindSpec] = []
    codes: list[tuple[str, str]] = []
    for where, item in r.items(root, "events", ""):
        data = r.mapping(item, where, required=("code", "name", "format"), optional=_EVENT_KEYS)
        if data is None:
            continue
        code = r.code(data, "code", where)
        codes.append((where, code))
        time = r.period(data["time"], join(where, "time")) if data.get("time") is not None else None
        duration = r.integer(data, "duration_minutes", where, minimum=1, maximum=1440)
        if time is not None and duration is not None and duration != time.minutes:
            r.error(
                join(where, "duration_minutes"),
                f"{duration} does not match time {time} ({time.minutes} minutes)",
            )
        days_min = r.integer(data, "days_min", where, minimum=1, maximum=365)
        days_max = r.integer(data, "days_max", where, minimum=1, maximum=365)
        if days_min is not None and days_max is not None and days_min > days_max:
            r.error(join(where, "days_max"), f"{days_max} is below days_min {days_min}")
        capacity = r.integer(data, "capacity", where, minimum=1, maximum=10000)
        categories = read_categories(r, data, where)
        kind = EventKindSpec(
            code=code,
            name=r.text(data, "name", where, required=True),
            format=r.choice(data, "format", where, EventFormat.values, what="event format"),
            description=r.text(data, "description", where),
            delivery=r.choice(
                data, "delivery", where, EventDelivery.values, what="delivery", default="in_person"
            ),
            count=r.integer(data, "count", where, minimum=0, maximum=10000),
            count_period=r.choice(
                data, "per", where, CountPeriod.values, what="period", default="year"
            ),
            count_is_minimum=r.boolean(data, "at_least", where),
            time=time,
            duration_minutes=duration,
            max_duration_minutes=r.integer(
                data, "max_duration_minutes", where, minimum=1, maximum=1440
            ),
            capacity=capacity,
            capacity_approximate=r.boolean(data, "capacity_approximate", where),
            companies_per_event=r.integer(
                data, "companies_per_event", where, minimum=1, maximum=1000
            ),
            followup_consultations=r.integer(
                data, "followup_consultations", where, minimum=1, maximum=100
            ),
            followup_minutes=r.integer(data, "followup_minutes", where, minimum=1, maximum=480),
            days_min=days_min,
            days_max=days_max,
            min_themes=r.integer(data, "min_themes", where, minimum=1, maximum=50),
            required_themes=r.texts(data, "required_themes", where),
            no_repeat_in_adjacent_areas=r.boolean(data, "no_repeat_in_adjacent_areas", where),
            requires_booking=r.boolean(data, "requires_booking", where, default=True),
            venues=r.refs(data, "venues", where, tuple(venues), what="venue"),
            venue_note=r.text(data, "venue_note", where),
            note=r.text(data, "note", where),
            categories=categories,
            allocations=read_allocations(
                r,
                data,
                where,
                categories=categories,
                capacity=capacity,
                areas=areas,
                venues=venues,
            ),
        )
        _check_event_totals(r, where, kind)
        _check_event_capacity(r, where, kind, venues)
        events.append(kind)
    unique_codes(r, codes)
    return tuple(events)
