"""Program configuration: everything a preset declares, one module per subject."""

from secondcareer.programs.choices import AreaKind
from secondcareer.programs.models.closures import Closure, SubstituteDate
from secondcareer.programs.models.consultation import ConsultationKind, OpeningPeriod, Service
from secondcareer.programs.models.events import (
    EventAllocation,
    EventAllocationCount,
    EventCategory,
    EventKind,
)
from secondcareer.programs.models.program import Area, Program
from secondcareer.programs.models.targets import (
    Kpi,
    KpiTarget,
    Publication,
    ReportDueRule,
    ReportItem,
)
from secondcareer.programs.models.venues import Venue, VenueDay

__all__ = [
    "Area",
    "AreaKind",
    "Closure",
    "ConsultationKind",
    "EventAllocation",
    "EventAllocationCount",
    "EventCategory",
    "EventKind",
    "Kpi",
    "KpiTarget",
    "OpeningPeriod",
    "Program",
    "Publication",
    "ReportDueRule",
    "ReportItem",
    "Service",
    "SubstituteDate",
    "Venue",
    "VenueDay",
]
