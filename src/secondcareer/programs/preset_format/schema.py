"""The typed form of a program preset, as :mod:`preset_parser` returns it.

Plain frozen dataclasses: no ORM. Codes refer to other entries of the same preset
(an area code, a venue code, …); the parser has already checked every reference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from secondcareer.programs.rules import DueSchedule


@dataclass(frozen=True, order=True)
class Period:
    """A time range within a day, ``start`` inclusive, ``end`` exclusive."""

    start: dt.time
    end: dt.time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    def overlaps(self, other: Period) -> bool:
        return self.start < other.end and other.start < self.end


# Day type ("weekday" / "saturday" / "sunday_holiday") → its periods, in time order.
Hours = dict[str, tuple[Period, ...]]


def hours_as_json(hours: Hours) -> dict[str, list[str]]:
    return {day_type: [str(p) for p in periods] for day_type, periods in hours.items()}


@dataclass(frozen=True)
class ProgramInfo:
    slug: str
    name: str
    client: str
    card_prefix: str
    description: str = ""
    specification: str = ""
    spec_fiscal_year: int | None = None
    office_name: str = ""
    office_address: str = ""


@dataclass(frozen=True)
class AgeBand:
    code: str
    name: str
    min_age: int | None
    max_age: int | None


@dataclass(frozen=True)
class Policies:
    senior_age_from: int = 60
    age_bands: tuple[AgeBand, ...] = ()
    assigned_consultant: bool = False
    plan_review_months: tuple[int, ...] = ()
    inactivity_followup_months: int | None = None
    retention_followup_months: int | None = None
    inquiry_reply_hours: int | None = None


@dataclass(frozen=True)
class Booking:
    chatbot_always_open: bool = False
    phone_line_hours: Hours = field(default_factory=dict)


@dataclass(frozen=True)
class Contact:
    """The centre's published booking dial (予約ダイヤル), as the public pages and the
    chatbot show it: ``phone`` in the national format it is written in (a valid
    Japanese number, checked with ``phonenumbers``), ``hours`` the reception hours in
    words. Both empty when the preset has no ``contact``."""

    phone: str = ""
    hours: str = ""


@dataclass(frozen=True)
class Staffing:
    consultant_hours: Period | None = None
    consultants_per_area_min: int | None = None
    consultants_per_area_min_overrides: dict[str, int] = field(default_factory=dict)
    consultants_per_open_day_min: int | None = None
    consultant_min_experience_years: int | None = None
    managers: int | None = None
    deputy_managers: int | None = None
    reception_staff_min: int | None = None
    job_developers_min: int | None = None
    office_hours: Hours = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The ``Program.staffing`` value: only the figures the preset gives."""
        data: dict[str, object] = {}
        if self.consultant_hours is not None:
            data["consultant_hours"] = str(self.consultant_hours)
        for name in (
            "consultants_per_area_min",
            "consultants_per_open_day_min",
            "consultant_min_experience_years",
            "managers",
            "deputy_managers",
            "reception_staff_min",
            "job_developers_min",
        ):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        if self.consultants_per_area_min_overrides:
            data["consultants_per_area_min_overrides"] = dict(
                self.consultants_per_area_min_overrides
            )
        if self.office_hours:
            data["office_hours"] = hours_as_json(self.office_hours)
        return data


@dataclass(frozen=True)
class AreaSpec:
    code: str
    name: str
    kind: str
    note: str = ""


@dataclass(frozen=True)
class VenueDaySpec:
    weekday: int  # 0 = Monday
    nth: tuple[int, ...] | None = None  # None = every week


@dataclass(frozen=True)
class VenueSpec:
    code: str
    name: str
    area: str
    formal_name: str = ""
    address: str = ""
    booths: int = 1
    seats: int | None = None
    days: tuple[VenueDaySpec, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class ConsultationKindSpec:
    code: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    name: str
    kinds: tuple[str, ...]
    methods: tuple[str, ...]
    delivery: str
    slot_minutes: int
    hours: Hours
    venues: tuple[str, ...] = ()
    session_minutes: int | None = None
    booking_required: bool = True
    description: str = ""


@dataclass(frozen=True)
class ClosureSpec:
    code: str
    name: str
    kind: str
    start_md: tuple[int, int] | None = None
    end_md: tuple[int, int] | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    service: str | None = None
    venue: str | None = None
    substitutable: bool = False
    note: str = ""


@dataclass(frozen=True)
class SubstituteSpec:
    original_date: dt.date
    held_on: dt.date
    venue: str | None = None
    note: str = ""


@dataclass(frozen=True)
class EventCategorySpec:
    code: str
    name: str
    description: str = ""
    count: int | None = None
    min_themes: int | None = None
    rotate_monthly: bool = False
    asks_childcare: bool = False
    capacity: int | None = None
    delivery: str = ""
    duration_minutes: int | None = None


@dataclass(frozen=True)
class EventAllocationSpec:
    area: str
    count: int
    capacity: int | None  # resolved: the kind's capacity unless the preset overrides it
    counts: dict[str, int] = field(default_factory=dict)  # category code → count
    venues: tuple[str, ...] = ()
    childcare_note: str = ""


@dataclass(frozen=True)
class EventKindSpec:
    code: str
    name: str
    format: str
    description: str = ""
    delivery: str = "in_person"
    count: int | None = None
    count_period: str = "year"
    count_is_minimum: bool = False
    time: Period | None = None
    duration_minutes: int | None = None
    max_duration_minutes: int | None = None
    capacity: int | None = None
    capacity_approximate: bool = False
    companies_per_event: int | None = None
    followup_consultations: int | None = None
    followup_minutes: int | None = None
    days_min: int | None = None
    days_max: int | None = None
    min_themes: int | None = None
    required_themes: tuple[str, ...] = ()
    no_repeat_in_adjacent_areas: bool = False
    requires_booking: bool = True
    venues: tuple[str, ...] = ()
    venue_note: str = ""
    note: str = ""
    categories: tuple[EventCategorySpec, ...] = ()
    allocations: tuple[EventAllocationSpec, ...] = ()


@dataclass(frozen=True)
class Scope:
    """What a KPI or report figure counts (see ``models.targets._Scoped``)."""

    services: tuple[str, ...] = ()
    consultation_kinds: tuple[str, ...] = ()
    event_kinds: tuple[str, ...] = ()
    age_from: int | None = None
    note: str = ""


@dataclass(frozen=True)
class KpiSpec:
    code: str
    name: str
    unit: str
    targets: dict[int, int]  # fiscal year → value
    parent: str | None = None
    scope: Scope = field(default_factory=Scope)


@dataclass(frozen=True)
class ReportItemSpec:
    code: str
    name: str
    number: int
    parent: str | None = None
    scope: Scope = field(default_factory=Scope)


@dataclass(frozen=True)
class ReportSpec:
    due: DueSchedule
    due_notes: dict[int | None, str] = field(default_factory=dict)  # month (None = default)
    items: tuple[ReportItemSpec, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class PublicationSpec:
    code: str
    name: str
    medium: str
    format: str = ""
    count: int | None = None
    period: str = "year"
    every: int = 1
    approximate: bool = False
    copies: int | None = None
    lead_time_months: int | None = None
    event_kind: str | None = None
    note: str = ""


@dataclass(frozen=True)
class ProgramPreset:
    program: ProgramInfo
    report: ReportSpec
    policies: Policies = field(default_factory=Policies)
    booking: Booking = field(default_factory=Booking)
    contact: Contact = field(default_factory=Contact)
    staffing: Staffing = field(default_factory=Staffing)
    areas: tuple[AreaSpec, ...] = ()
    adjacency: tuple[tuple[str, str], ...] = ()
    consultation_kinds: tuple[ConsultationKindSpec, ...] = ()
    venues: tuple[VenueSpec, ...] = ()
    services: tuple[ServiceSpec, ...] = ()
    closures: tuple[ClosureSpec, ...] = ()
    substitute_dates: tuple[SubstituteSpec, ...] = ()
    events: tuple[EventKindSpec, ...] = ()
    kpi_fiscal_years: tuple[int, ...] = ()
    kpis: tuple[KpiSpec, ...] = ()
    publications: tuple[PublicationSpec, ...] = ()
