"""The root of the preset format: one field per top-level section.

A new section is a model module of its own and one field here (see
docs/programs/README.md, "Adding a preset section").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import Field, Strict, ValidationInfo, field_validator, model_validator

from secondcareer.programs.preset_format.consultations import (
    Closures,
    Services,
    SubstituteDates,
)
from secondcareer.programs.preset_format.events import EventKinds
from secondcareer.programs.preset_format.fields import (
    PresetModel,
    UniqueCodes,
    codes_of,
    refusal,
)
from secondcareer.programs.preset_format.matching import Matching
from secondcareer.programs.preset_format.places import (
    Adjacency,
    Areas,
    ConsultationKind,
    Venue,
    Venues,
)
from secondcareer.programs.preset_format.program import (
    Booking,
    Contact,
    Contract,
    Policies,
    ProgramInfo,
    Retention,
    Staffing,
    Video,
    no_contact,
    no_video,
)
from secondcareer.programs.preset_format.support import SupportBodies
from secondcareer.programs.preset_format.targets import Kpis, KpiSpec, Publications, Report
from secondcareer.programs.preset_format.topics import ConsultationTopics

SCHEMA_VERSION = 1

# The sections whose codes other sections refer to: reference kind → top-level key.
_DECLARING = {
    "area": "areas",
    "kind": "consultation_kinds",
    "venue": "venues",
    "service": "services",
    "event_kind": "events",
}


def _version(value: int) -> int:
    if value != SCHEMA_VERSION:
        raise refusal(
            _("版 %(version)r には対応していません（読めるのは %(supported)s）")
            % {"version": value, "supported": SCHEMA_VERSION}
        )
    return value


class ProgramPreset(PresetModel):
    """A program preset (``programs/presets/<slug>.yaml``); see docs/programs/."""

    # Fields are validated in the order written here: ``venues`` before the sections that
    # check capacities and weekdays against it.

    version: Annotated[int, Strict()]
    program: ProgramInfo
    policies: Policies = Field(default_factory=Policies)
    booking: Booking = Field(default_factory=Booking)
    retention: Retention = Field(default_factory=Retention)
    contract: Contract = Field(default_factory=Contract)
    contact: Contact = Field(default_factory=no_contact)
    video: Video = Field(default_factory=no_video)
    staffing: Staffing = Field(default_factory=Staffing)
    areas: Areas
    adjacency: Adjacency = ()
    consultation_kinds: Annotated[tuple[ConsultationKind, ...], UniqueCodes] = ()
    consultation_topics: ConsultationTopics = ()
    support_bodies: SupportBodies = ()
    venues: Venues = ()
    services: Services = ()
    closures: Closures = ()
    substitute_dates: SubstituteDates = ()
    events: EventKinds = ()
    kpi_targets: Kpis | None = Field(None, alias="kpis")
    report: Report
    publications: Publications = ()
    matching: Matching | None = None

    @classmethod
    def from_mapping(cls, data: Any) -> ProgramPreset:
        """Validate the loaded YAML; raises ``pydantic.ValidationError``."""
        return cls.model_validate(data, context={})

    @model_validator(mode="before")
    @classmethod
    def _declared_codes(cls, data: Any, info: ValidationInfo) -> Any:
        """Collect the codes each section declares, for the references to check."""
        if not isinstance(info.context, dict):
            raise TypeError("validate a preset with ProgramPreset.from_mapping()")
        raw = data if isinstance(data, Mapping) else {}
        info.context["declared"] = {
            kind: codes_of(raw.get(key)) for kind, key in _DECLARING.items()
        }
        return data

    @field_validator("version", mode="after")
    @classmethod
    def _supported_version(cls, value: int) -> int:
        return _version(value)

    @field_validator("venues", mode="after")
    @classmethod
    def _share_venues(cls, value: tuple[Venue, ...], info: ValidationInfo) -> tuple[Venue, ...]:
        """The valid venues, for the services and events validated after them."""
        if isinstance(info.context, dict):
            info.context["venues"] = {v.code: v for v in value}
        return value

    @property
    def kpi_fiscal_years(self) -> tuple[int, ...]:
        return self.kpi_targets.fiscal_years if self.kpi_targets else ()

    @property
    def kpis(self) -> tuple[KpiSpec, ...]:
        return self.kpi_targets.specs if self.kpi_targets else ()
