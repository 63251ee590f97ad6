"""Reads of internships: the staff list with what each one still lacks, and the plan
document's data (docs/internships.md)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from secondcareer.placements.internship_access import visible_internships
from secondcareer.placements.internship_models import (
    Internship,
    InternshipConsent,
    InternshipKind,
)
from secondcareer.placements.internship_pdf import InsuranceData, PlanData
from secondcareer.placements.internships.services import internship_missing
from secondcareer.programs.models import Program


def internships_for(user: Any, program: Program, *, status: str = "") -> QuerySet[Internship]:
    """The program's internships ``user`` may see, newest first, with what the list
    shows loaded (participant, employer, consents, insurance): a fixed number of
    queries for any page."""
    qs = Internship.objects.select_related("participant", "employer", "insurance").prefetch_related(
        Prefetch("consents", queryset=InternshipConsent.objects.order_by("party"))
    )
    if status:
        qs = qs.filter(status=status)
    return visible_internships(user, program.pk, qs).order_by("-start_on", "-id")


def internship_lacks(internship: Internship) -> list[str]:
    """What the internship still lacks: the confirmation's pieces (consents, insurance)
    and the plan's empty items (計画書: 実施内容, …)."""
    lacks = internship_missing(internship)
    plan = internship.plan_missing
    if plan:
        lacks.append("計画書の記載（" + "・".join(plan) + "）")
    return lacks


def internship_plan_data(internship: Internship) -> PlanData:
    """The plan document's data from the internship (its program, participant,
    employer, host contact and insurance loaded)."""
    insurance = getattr(internship, "insurance", None)
    contact = internship.host_contact
    return PlanData(
        program_name=internship.program.name,
        kind_label=str(InternshipKind(internship.kind).label),
        participant_name=internship.participant.full_name,
        employer_name=internship.employer.name,
        employer_address=internship.employer.address,
        host_contact=(f"{contact.name}（{contact.role}）" if contact.role else contact.name)
        if contact
        else "",
        days=internship.days,
        place=internship.place,
        content=internship.content,
        schedule=internship.schedule,
        safety_notes=internship.safety_notes,
        harassment_notes=internship.harassment_notes,
        travel_paid_by_employer=internship.travel_paid_by_employer,
        travel_note=internship.travel_note,
        insurance=InsuranceData(
            policy_name=insurance.policy_name,
            policy_number=insurance.policy_number,
            insurer=insurance.insurer,
            coverage_start=insurance.coverage_start,
            coverage_end=insurance.coverage_end,
        )
        if insurance is not None
        else None,
        insurance_required=internship.needs_insurance,
        prepared_on=timezone.localdate(),
    )
