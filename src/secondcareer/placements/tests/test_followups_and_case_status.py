"""Retention follow-ups: generated at the preset's offsets from the start date (month
ends clamped), flagged as own service after the contract's end, overdue derived from
the day; an interview is also a 定着支援フォローアップ consultation record; a "left"
outcome takes the case back to in support."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
import time_machine
import yaml
from django.core.management import CommandError, call_command
from pydantic import ValidationError

from secondcareer.consultations.models import Case, ConsultationRecord, ConsultationTopic
from secondcareer.consultations.status import CaseStatus
from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditEntry
from secondcareer.jobs.models import Employer
from secondcareer.people.models import Seeker, User
from secondcareer.placements.models import FollowUp, Placement
from secondcareer.placements.selectors import followups_due
from secondcareer.placements.services import followup_record, placement_create
from secondcareer.programs.models import ConsultationKind, Program
from secondcareer.programs.preset_format import ProgramPreset

pytestmark = pytest.mark.django_db

PRESETS = Path(__file__).resolve().parents[2] / "programs" / "presets"


def _place(
    program: Program, seeker: Seeker, employer: Employer, actor: User, start: dt.date
) -> Placement:
    return placement_create(
        program=program,
        seeker=seeker,
        employer=employer,
        actor=actor,
        start_on=start,
        employment_type="non_regular",
        source="hellowork",
        weekly_hours=20,
        wage=1100,
        wage_type="hourly",
        confirmed_by="employer",
        confirmed_on=start,
    )


def _at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), TOKYO), tick=False)


def test_followups_follow_the_presets_offsets_and_clamp_month_ends(
    program: Program, seeker: Seeker, employer: Employer, manager: User
) -> None:
    program.retention_followup_offsets = [1, 2, 6]
    with _at(dt.date(2027, 2, 1)):
        placement = _place(program, seeker, employer, manager, dt.date(2027, 1, 31))
    assert [(f.months, f.due_on) for f in placement.followups.order_by("months")] == [
        (1, dt.date(2027, 2, 28)),
        (2, dt.date(2027, 3, 31)),
        (6, dt.date(2027, 7, 31)),
    ]


def test_followups_after_the_contract_end_are_own_service_and_stay_on_the_list(
    program: Program, seeker: Seeker, employer: Employer, manager: User
) -> None:
    program.contract_ends_on = dt.date(2027, 3, 31)
    with _at(dt.date(2027, 1, 10)):
        placement = _place(program, seeker, employer, manager, dt.date(2027, 1, 10))
    flags = {f.months: f.own_service for f in placement.followups.all()}
    assert flags == {1: False, 3: True, 6: True}
    listed = list(followups_due(program, dt.date(2027, 12, 31)))
    assert [f.months for f in listed] == [1, 3, 6]


def test_the_preset_format_reads_retention_and_contract_and_defaults_to_1_3_6() -> None:
    base = yaml.safe_load((PRESETS / "kobe.yaml").read_text(encoding="utf-8"))
    del base["retention"], base["contract"]
    preset = ProgramPreset.from_mapping(base)
    assert preset.retention.followup_months == (1, 3, 6)
    assert preset.contract.ends_on is None
    preset = ProgramPreset.from_mapping(
        {**base, "retention": {"followup_months": [2, 4]}, "contract": {"ends_on": "2027-03-31"}}
    )
    assert preset.retention.followup_months == (2, 4)
    assert preset.contract.ends_on == dt.date(2027, 3, 31)
    with pytest.raises(ValidationError) as caught:
        ProgramPreset.from_mapping({**base, "retention": {"followup_months": [3, 1]}})
    assert "小さい順" in str(caught.value)


def test_both_presets_follow_up_at_1_3_6_months_and_end_their_contracts(
    kobe: Program, saitama: Program
) -> None:
    for program in (kobe, saitama):
        assert program.retention_followup_offsets == [1, 3, 6]
        assert program.contract_ends_on == dt.date(2024, 3, 31)


def test_a_missed_followup_becomes_overdue_the_day_after_its_due_date(
    program: Program, seeker: Seeker, employer: Employer, manager: User
) -> None:
    with _at(dt.date(2026, 11, 1)):
        _place(program, seeker, employer, manager, dt.date(2026, 11, 1))
    first = FollowUp.objects.get(months=1)
    assert first.due_on == dt.date(2026, 12, 1)
    on_the_day = list(followups_due(program, dt.date(2026, 12, 1)))
    assert [(f.months, f.overdue) for f in on_the_day] == [(1, False)]  # type: ignore[attr-defined]
    after = list(followups_due(program, dt.date(2026, 12, 2)))
    assert [(f.months, f.overdue) for f in after] == [(1, True)]  # type: ignore[attr-defined]
    assert not FollowUp._meta.get_field("due_on").null  # overdue itself is not a column
    assert "overdue" not in {f.name for f in FollowUp._meta.get_fields()}


def test_the_cli_lists_the_followups_due_as_json_and_audits_each_seeker(
    program: Program, seeker: Seeker, employer: Employer, manager: User
) -> None:
    with _at(dt.date(2026, 6, 1)):
        placement = _place(program, seeker, employer, manager, dt.date(2026, 6, 1))
    out = io.StringIO()
    call_command(
        "followups-due", "--program", "alpha", "--on", "2026-09-01", "--format", "json", stdout=out
    )
    assert json.loads(out.getvalue()) == [
        {
            "placement_id": placement.pk,
            "seeker_id": seeker.pk,
            "months": 1,
            "due": "2026-07-01",
            "overdue": True,
        },
        {
            "placement_id": placement.pk,
            "seeker_id": seeker.pk,
            "months": 3,
            "due": "2026-09-01",
            "overdue": False,
        },
    ]
    assert AuditEntry.objects.filter(note="followups-due", object_id=str(seeker.pk)).count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "--program で事業の識別子を指定してください"),
        (("--program", "nope"), "nope"),
        (("--program", "alpha", "--on", "2026-13-01"), "日付"),
        (("--program", "alpha", "--format", "csv"), "--format には json"),
    ],
)
def test_the_cli_refuses_bad_options_in_japanese(
    program: Program, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("followups-due", *args, stdout=io.StringIO())
    assert message in str(caught.value)


def test_an_interview_is_also_a_retention_consultation_record(
    program: Program,
    seeker: Seeker,
    employer: Employer,
    consultant: User,
    retention_kind: ConsultationKind,
) -> None:
    with _at(dt.date(2026, 9, 1)):
        placement = _place(program, seeker, employer, consultant, dt.date(2026, 9, 1))
    followup = placement.followups.get(months=1)
    with _at(dt.date(2026, 10, 2)):
        followup_record(
            followup=followup,
            actor=consultant,
            outcome="continuing",
            interview_minutes=20,
            note="順調",
        )
    followup.refresh_from_db()
    record = ConsultationRecord.objects.get()
    assert followup.consultation_record == record
    assert record.kind == retention_kind
    assert record.seeker == seeker
    assert record.minutes == 20
    assert followup.done_on == dt.date(2026, 10, 2)


def test_difficulties_need_topics_left_needs_a_date_and_a_followup_is_recorded_once(
    program: Program, seeker: Seeker, employer: Employer, consultant: User
) -> None:
    topic = ConsultationTopic.objects.create(
        program=program, code="workplace", name="職場の人間関係"
    )
    with _at(dt.date(2026, 9, 1)):
        placement = _place(program, seeker, employer, consultant, dt.date(2026, 9, 1))
    followup = placement.followups.get(months=1)
    with _at(dt.date(2026, 10, 2)):
        with pytest.raises(DomainError) as caught:
            followup_record(followup=followup, actor=consultant, outcome="difficulties")
        assert "話題" in caught.value.message
        with pytest.raises(DomainError) as caught:
            followup_record(followup=followup, actor=consultant, outcome="left")
        assert "離職日" in caught.value.message
        with pytest.raises(DomainError):
            followup_record(
                followup=followup, actor=consultant, outcome="difficulties", topics=["nope"]
            )
        followup_record(
            followup=followup, actor=consultant, outcome="difficulties", topics=["workplace"]
        )
        with pytest.raises(DomainError) as caught:
            followup_record(followup=followup, actor=consultant, outcome="continuing")
        assert caught.value.status == 409
    followup.refresh_from_db()
    assert followup.outcome == "difficulties"
    assert list(followup.topics.all()) == [topic]


def test_the_case_goes_from_in_support_to_followup_to_placed_and_back_to_in_support_on_left(
    program: Program, seeker: Seeker, employer: Employer, consultant: User
) -> None:
    from secondcareer.consultations.models import PlanStatus, SupportPlan

    case = Case.objects.create(
        program=program, seeker=seeker, consultant=consultant, opened_on=dt.date(2026, 4, 1)
    )
    SupportPlan.objects.create(
        case=case,
        version=1,
        status=PlanStatus.APPROVED,
        goals="就職",
        approved_by=consultant,
        approved_on=dt.date(2026, 4, 1),
    )

    def status() -> CaseStatus:
        fresh = Case.objects.get(pk=case.pk)
        annotated = Case.objects.with_status_facts().get(pk=case.pk)
        assert fresh.status == annotated.status  # the same with or without the facts
        return fresh.status

    assert status() == CaseStatus.IN_SUPPORT
    with _at(dt.date(2026, 5, 1)):
        placement = _place(program, seeker, employer, consultant, dt.date(2026, 5, 1))
    assert status() == CaseStatus.FOLLOW_UP
    with _at(dt.date(2026, 11, 5)):
        for followup in placement.followups.order_by("months"):
            followup_record(followup=followup, actor=consultant, outcome="continuing")
    assert status() == CaseStatus.PLACED
    with _at(dt.date(2027, 1, 5)):
        again = _place(program, seeker, employer, consultant, dt.date(2027, 1, 5))
    assert status() == CaseStatus.FOLLOW_UP
    with _at(dt.date(2027, 2, 10)):
        followup_record(
            followup=again.followups.get(months=1),
            actor=consultant,
            outcome="left",
            left_on=dt.date(2027, 2, 1),
            left_reason="体力的に続けられない",
        )
    # The first placement still stands (every follow-up done, continuing).
    assert status() == CaseStatus.PLACED
    with _at(dt.date(2027, 2, 11)):
        FollowUp.objects.filter(placement=placement, months=6).update(
            outcome="left", left_on=dt.date(2027, 1, 1)
        )
    assert status() == CaseStatus.IN_SUPPORT
