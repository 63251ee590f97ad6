"""Preset sections about consultations: services and hours, closures, substitutes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from secondcareer.programs.choices import WEEKDAY_NAMES, ClosureKind, Delivery, Method
from secondcareer.programs.preset_format.reader import Reader, join, unique_codes
from secondcareer.programs.preset_format.schema import (
    ClosureSpec,
    ServiceSpec,
    SubstituteSpec,
    VenueSpec,
)

# Which day type a weekday's opening hours come from (national holidays aside).
_WEEKDAY_DAY_TYPE = ("weekday",) * 5 + ("saturday", "sunday_holiday")


def read_services(
    r: Reader,
    root: Mapping[str, Any],
    kinds: tuple[str, ...],
    venues: Mapping[str, VenueSpec],
) -> tuple[ServiceSpec, ...]:
    services: list[ServiceSpec] = []
    codes: list[tuple[str, str]] = []
    for where, item in r.items(root, "services", ""):
        data = r.mapping(
            item,
            where,
            required=("code", "name", "kinds", "methods", "delivery", "slot_minutes", "hours"),
            optional=("description", "venues", "session_minutes", "booking_required"),
        )
        if data is None:
            continue
        code = r.code(data, "code", where)
        codes.append((where, code))
        methods: list[str] = []
        for m_where, method in r.items(data, "methods", where):
            if method not in Method.values:
                r.error(m_where, f"unknown method {method!r} (use {', '.join(Method.values)})")
            elif method not in methods:
                methods.append(method)
        if "methods" in data and not methods and not data.get("methods"):
            r.error(join(where, "methods"), "list at least one method")
        delivery = r.choice(data, "delivery", where, Delivery.values, what="delivery")
        service_venues = r.refs(data, "venues", where, tuple(venues), what="venue")
        slot = r.integer(data, "slot_minutes", where, minimum=5, maximum=480)
        session = r.integer(data, "session_minutes", where, minimum=1, maximum=480)
        if slot is not None and session is not None and session > slot:
            r.error(join(where, "session_minutes"), f"{session} is longer than the slot ({slot})")
        hours = r.hours(data.get("hours"), join(where, "hours")) if "hours" in data else {}
        service_kinds = r.refs(data, "kinds", where, kinds, what="consultation kind")
        if "kinds" in data and not service_kinds and not data.get("kinds"):
            r.error(join(where, "kinds"), "list at least one consultation kind")

        if delivery == Delivery.VENUE:
            if not service_venues:
                r.error(join(where, "venues"), "a service held at venues needs at least one venue")
            if methods and Method.IN_PERSON not in methods:
                r.error(join(where, "methods"), "a service held at venues must include in_person")
        elif delivery == Delivery.REMOTE:
            if service_venues:
                r.error(join(where, "venues"), "a remote service has no venues")
            if Method.IN_PERSON in methods:
                r.error(join(where, "methods"), "a remote service cannot be in_person")
        if slot:
            for day_type, periods in hours.items():
                for period in periods:
                    if period.minutes % slot:
                        r.error(
                            join(join(where, "hours"), day_type),
                            f"{period} is not a whole number of {slot}-minute slots",
                        )
        for venue_code in service_venues:
            venue = venues[venue_code]
            if not venue.days:
                r.error(
                    join(where, "venues"),
                    f"venue {venue_code!r} has no weekdays, so the service is never held there",
                )
            for day in venue.days:
                day_type = _WEEKDAY_DAY_TYPE[day.weekday]
                if hours and day_type not in hours:
                    r.error(
                        join(where, "hours"),
                        f"venue {venue_code!r} is used on {WEEKDAY_NAMES[day.weekday]} "
                        f"but the service has no {day_type} hours",
                    )
        services.append(
            ServiceSpec(
                code=code,
                name=r.text(data, "name", where, required=True),
                kinds=service_kinds,
                methods=tuple(methods),
                delivery=delivery,
                slot_minutes=slot or 60,
                hours=hours,
                venues=service_venues,
                session_minutes=session,
                booking_required=r.boolean(data, "booking_required", where, default=True),
                description=r.text(data, "description", where),
            )
        )
    unique_codes(r, codes)
    return tuple(services)


def read_closures(
    r: Reader, root: Mapping[str, Any], services: tuple[str, ...], venues: tuple[str, ...]
) -> tuple[ClosureSpec, ...]:
    closures: list[ClosureSpec] = []
    codes: list[tuple[str, str]] = []
    for where, item in r.items(root, "closures", ""):
        data = r.mapping(
            item,
            where,
            required=("code", "name", "kind"),
            optional=("from", "to", "service", "venue", "substitutable", "note"),
        )
        if data is None:
            continue
        code = r.code(data, "code", where)
        codes.append((where, code))
        kind = r.choice(data, "kind", where, ClosureKind.values, what="closure kind")
        start_md = end_md = None
        start_date = end_date = None
        if kind == ClosureKind.NATIONAL_HOLIDAYS:
            for key in ("from", "to"):
                if key in data:
                    r.error(join(where, key), "national_holidays closures take no dates")
        elif kind == ClosureKind.RECURRING:
            for key in ("from", "to"):
                if key not in data:
                    r.error(join(where, key), "missing required field")
            if "from" in data:
                start_md = r.month_day(data["from"], join(where, "from"))
            if "to" in data:
                end_md = r.month_day(data["to"], join(where, "to"))
        elif kind == ClosureKind.ONE_OFF:
            if "from" not in data:
                r.error(join(where, "from"), "missing required field")
            else:
                start_date = r.date(data["from"], join(where, "from"))
                end_date = r.date(data["to"], join(where, "to")) if "to" in data else start_date
                if start_date and end_date and start_date > end_date:
                    r.error(join(where, "to"), f"{end_date} is before {start_date}")
        closures.append(
            ClosureSpec(
                code=code,
                name=r.text(data, "name", where, required=True),
                kind=kind,
                start_md=start_md,
                end_md=end_md,
                start_date=start_date,
                end_date=end_date,
                service=r.ref(data, "service", where, services, what="service"),
                venue=r.ref(data, "venue", where, venues, what="venue"),
                substitutable=r.boolean(data, "substitutable", where),
                note=r.text(data, "note", where),
            )
        )
    unique_codes(r, codes)
    return tuple(closures)


def read_substitutes(
    r: Reader, root: Mapping[str, Any], venues: tuple[str, ...]
) -> tuple[SubstituteSpec, ...]:
    found: list[SubstituteSpec] = []
    seen: dict[tuple[str | None, dt.date], str] = {}
    for where, item in r.items(root, "substitute_dates", ""):
        data = r.mapping(item, where, required=("original", "held_on"), optional=("venue", "note"))
        if data is None:
            continue
        original = (
            r.date(data.get("original"), join(where, "original")) if "original" in data else None
        )
        held_on = r.date(data.get("held_on"), join(where, "held_on")) if "held_on" in data else None
        venue = r.ref(data, "venue", where, venues, what="venue")
        if original is None or held_on is None:
            continue
        if original == held_on:
            r.error(join(where, "held_on"), "a substitute date must differ from the original date")
            continue
        key = (venue, original)
        if key in seen:
            r.error(where, f"{original} is already substituted (also {seen[key]})")
            continue
        seen[key] = where
        found.append(
            SubstituteSpec(
                original_date=original,
                held_on=held_on,
                venue=venue,
                note=r.text(data, "note", where),
            )
        )
    return tuple(found)
