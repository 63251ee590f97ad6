"""The entry points: a preset's text or file → :class:`ProgramPreset`, or
:class:`PresetInvalid` with every problem found."""

from __future__ import annotations

from pathlib import Path

from secondcareer.programs.preset_format.consultations import (
    read_closures,
    read_services,
    read_substitutes,
)
from secondcareer.programs.preset_format.events import read_events
from secondcareer.programs.preset_format.places import (
    read_adjacency,
    read_areas,
    read_kinds,
    read_venues,
)
from secondcareer.programs.preset_format.program import (
    read_booking,
    read_contact,
    read_policies,
    read_program,
    read_staffing,
)
from secondcareer.programs.preset_format.reader import (
    SCHEMA_VERSION,
    PresetError,
    PresetInvalid,
    Reader,
    load_yaml,
)
from secondcareer.programs.preset_format.schema import ProgramPreset
from secondcareer.programs.preset_format.targets import read_kpis, read_publications, read_report

_TOP_REQUIRED = ("version", "program", "areas", "report")
_TOP_OPTIONAL = (
    "policies",
    "booking",
    "contact",
    "staffing",
    "adjacency",
    "consultation_kinds",
    "venues",
    "services",
    "closures",
    "substitute_dates",
    "events",
    "kpis",
    "publications",
)


def parse_preset_text(text: str, *, file: str) -> ProgramPreset:
    """Parse and validate preset ``text``; ``file`` names it in error messages.

    Raises :class:`PresetInvalid` listing every problem found."""
    root = load_yaml(text, file)
    r = Reader()
    data = r.mapping(root, "", required=_TOP_REQUIRED, optional=_TOP_OPTIONAL)
    if data is None:
        raise PresetInvalid(file, r.errors)
    if "version" in data and data["version"] != SCHEMA_VERSION:
        r.error(
            "version", f"unsupported version {data['version']!r} (this code reads {SCHEMA_VERSION})"
        )

    program = read_program(r, data.get("program"))
    areas = read_areas(r, data)
    area_codes = tuple(a.code for a in areas if a.code)
    kinds = read_kinds(r, data)
    venues = read_venues(r, data, area_codes)
    venue_map = {v.code: v for v in venues if v.code}
    services = read_services(r, data, tuple(k.code for k in kinds if k.code), venue_map)
    service_codes = tuple(s.code for s in services if s.code)
    events = read_events(r, data, area_codes, venue_map)
    known = {
        "services": service_codes,
        "kinds": tuple(k.code for k in kinds if k.code),
        "event_kinds": tuple(e.code for e in events if e.code),
    }
    kpi_years, kpis = read_kpis(r, data.get("kpis"), known)
    preset = ProgramPreset(
        program=program,
        policies=read_policies(r, data.get("policies")),
        booking=read_booking(r, data.get("booking")),
        contact=read_contact(r, data.get("contact")),
        staffing=read_staffing(r, data.get("staffing"), area_codes),
        areas=areas,
        adjacency=read_adjacency(r, data, area_codes),
        consultation_kinds=kinds,
        venues=venues,
        services=services,
        closures=read_closures(r, data, service_codes, tuple(venue_map)),
        substitute_dates=read_substitutes(r, data, tuple(venue_map)),
        events=events,
        kpi_fiscal_years=kpi_years,
        kpis=kpis,
        report=read_report(r, data.get("report"), known),
        publications=read_publications(r, data, known["event_kinds"]),
    )
    if r.errors:
        raise PresetInvalid(file, r.errors)
    return preset


def parse_preset_file(path: Path) -> ProgramPreset:
    """Read and parse a preset file; errors name the file by its base name."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PresetInvalid(path.name, [PresetError("", f"cannot read the file: {exc}")]) from exc
    return parse_preset_text(text, file=path.name)
