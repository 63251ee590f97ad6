"""Preset sections about the program itself: identity, policies, booking, staffing."""

from __future__ import annotations

import re
from typing import Any

from secondcareer.programs.phones import normalize_dial
from secondcareer.programs.preset_format.reader import Reader, join, unique_codes
from secondcareer.programs.preset_format.schema import (
    AgeBand,
    Booking,
    Contact,
    Policies,
    ProgramInfo,
    Staffing,
)

_CARD_PREFIX = re.compile(r"^[A-Z]{1,4}$")


def read_program(r: Reader, value: Any) -> ProgramInfo:
    path = "program"
    if value is None:  # already reported as a missing top-level field
        return ProgramInfo(slug="", name="", client="", card_prefix="")
    data = r.mapping(
        value,
        path,
        required=("slug", "name", "client", "card_prefix"),
        optional=("description", "specification", "spec_fiscal_year", "office"),
    )
    if data is None:
        return ProgramInfo(slug="", name="", client="", card_prefix="")
    office_name = office_address = ""
    if data.get("office") is not None:
        office = r.mapping(
            data["office"], join(path, "office"), required=("name",), optional=("address",)
        )
        if office is not None:
            office_name = r.text(office, "name", join(path, "office"), required=True)
            office_address = r.text(office, "address", join(path, "office"))
    card_prefix = data.get("card_prefix")
    if card_prefix is not None and (
        not isinstance(card_prefix, str) or not _CARD_PREFIX.match(card_prefix)
    ):
        r.error(join(path, "card_prefix"), f"expected 1 to 4 capital letters, got {card_prefix!r}")
        card_prefix = ""
    return ProgramInfo(
        slug=r.code(data, "slug", path),
        name=r.text(data, "name", path, required=True),
        client=r.text(data, "client", path, required=True),
        card_prefix=card_prefix or "",
        description=r.text(data, "description", path),
        specification=r.text(data, "specification", path),
        spec_fiscal_year=r.integer(data, "spec_fiscal_year", path, minimum=2000, maximum=2100),
        office_name=office_name,
        office_address=office_address,
    )


def read_policies(r: Reader, value: Any) -> Policies:
    path = "policies"
    if value is None:
        return Policies()
    data = r.mapping(
        value,
        path,
        optional=(
            "senior_age_from",
            "age_bands",
            "assigned_consultant",
            "plan_review_months",
            "inactivity_followup_months",
            "retention_followup_months",
            "inquiry_reply_hours",
        ),
    )
    if data is None:
        return Policies()
    bands: list[AgeBand] = []
    codes: list[tuple[str, str]] = []
    for where, item in r.items(data, "age_bands", path):
        band = r.mapping(item, where, required=("code", "name"), optional=("min", "max"))
        if band is None:
            continue
        low = r.integer(band, "min", where, minimum=0, maximum=120)
        high = r.integer(band, "max", where, minimum=0, maximum=120)
        if low is not None and high is not None and low > high:
            r.error(where, f"min {low} is above max {high}")
        code = r.code(band, "code", where)
        codes.append((where, code))
        bands.append(AgeBand(code, r.text(band, "name", where, required=True), low, high))
    unique_codes(r, codes)
    months = [
        r.integer_value(item, where, minimum=1, maximum=60)
        for where, item in r.items(data, "plan_review_months", path)
    ]
    return Policies(
        senior_age_from=r.integer(data, "senior_age_from", path, minimum=40, maximum=80) or 60,
        age_bands=tuple(bands),
        assigned_consultant=r.boolean(data, "assigned_consultant", path),
        plan_review_months=tuple(m for m in months if m is not None),
        inactivity_followup_months=r.integer(
            data, "inactivity_followup_months", path, minimum=1, maximum=60
        ),
        retention_followup_months=r.integer(
            data, "retention_followup_months", path, minimum=1, maximum=60
        ),
        inquiry_reply_hours=r.integer(data, "inquiry_reply_hours", path, minimum=1, maximum=720),
    )


def read_booking(r: Reader, value: Any) -> Booking:
    path = "booking"
    if value is None:
        return Booking()
    data = r.mapping(value, path, optional=("chatbot_always_open", "phone_line_hours"))
    if data is None:
        return Booking()
    hours = data.get("phone_line_hours")
    return Booking(
        chatbot_always_open=r.boolean(data, "chatbot_always_open", path),
        phone_line_hours=r.hours(hours, join(path, "phone_line_hours")) if hours else {},
    )


def read_contact(r: Reader, value: Any) -> Contact:
    """``contact: {phone: 078-000-0000, hours: 平日 9:00〜17:00}``: the booking dial
    (see :mod:`secondcareer.programs.phones` for what is accepted) and its hours."""
    path = "contact"
    if value is None:
        return Contact()
    data = r.mapping(value, path, required=("phone",), optional=("hours",))
    if data is None:
        return Contact()
    written = r.text(data, "phone", path, required=True)
    phone = normalize_dial(written) if written else ""
    if phone is None:
        r.error(
            join(path, "phone"),
            "expected a Japanese phone number written as callers dial it "
            f"(e.g. 078-000-0000), got {written!r}",
        )
        phone = ""
    hours = r.text(data, "hours", path)
    if len(hours) > 200:
        r.error(join(path, "hours"), f"expected at most 200 characters, got {len(hours)}")
        hours = ""
    return Contact(phone=phone, hours=hours)


def read_staffing(r: Reader, value: Any, areas: tuple[str, ...]) -> Staffing:
    path = "staffing"
    if value is None:
        return Staffing()
    counts = (
        "consultants_per_area_min",
        "consultants_per_open_day_min",
        "consultant_min_experience_years",
        "managers",
        "deputy_managers",
        "reception_staff_min",
        "job_developers_min",
    )
    data = r.mapping(
        value,
        path,
        optional=(
            "consultant_hours",
            *counts,
            "consultants_per_area_min_overrides",
            "office_hours",
        ),
    )
    if data is None:
        return Staffing()
    overrides: dict[str, int] = {}
    raw_overrides = data.get("consultants_per_area_min_overrides")
    if raw_overrides is not None:
        where = join(path, "consultants_per_area_min_overrides")
        mapping = r.mapping(raw_overrides, where, optional=areas)
        for area, number in (mapping or {}).items():
            parsed = r.integer_value(number, join(where, str(area)), minimum=0, maximum=50)
            if area in areas and parsed is not None:
                overrides[area] = parsed
    consultant_hours = data.get("consultant_hours")
    return Staffing(
        consultant_hours=(
            r.period(consultant_hours, join(path, "consultant_hours"))
            if consultant_hours is not None
            else None
        ),
        consultants_per_area_min_overrides=overrides,
        office_hours=(
            r.hours(data["office_hours"], join(path, "office_hours"))
            if data.get("office_hours") is not None
            else {}
        ),
        **{name: r.integer(data, name, path, minimum=0, maximum=500) for name in counts},
    )
