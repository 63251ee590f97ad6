"""The topic taxonomy comes from the preset's ``consultation_topics`` and is kept as rows;
roles get what DESIGN.md gives them (no notes for reception and job developers, no
person for the municipality)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from secondcareer.consultations.models import ConsultationTopic
from secondcareer.consultations.tests.conftest import record
from secondcareer.core.errors import DomainError
from secondcareer.people.models import Role
from secondcareer.people.roles import ROLE_PERMISSIONS
from secondcareer.programs.preset_format import PresetInvalid, parse_preset_text
from secondcareer.programs.services import program_load_preset

TAXONOMY = [
    "work_wishes",
    "income_pension",
    "health",
    "skills",
    "job_search",
    "application_documents",
    "interview_practice",
    "workplace_trouble",
    "family_care",
    "living_hardship",
    "other",
]


def test_both_presets_load_the_taxonomy_as_rows(kobe, saitama):
    for program in (kobe, saitama):
        topics = ConsultationTopic.objects.filter(program=program)
        assert list(topics.values_list("code", flat=True)) == TAXONOMY
        assert list(topics.filter(suggests_referral=True).values_list("code", flat=True)) == [
            "living_hardship"
        ]


def test_loading_again_changes_nothing(saitama):
    result = program_load_preset(path_or_name="saitama")
    assert not result.changed


def _without_topic(tmp_path: Path, code: str) -> Path:
    text = (Path(settings.PROGRAM_PRESET_DIR) / "saitama.yaml").read_text()
    lines = text.splitlines(keepends=True)
    start = lines.index(f"  - code: {code}\n")
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    path = tmp_path / "saitama.yaml"
    path.write_text("".join(lines[:start] + lines[end:]))
    return path


def test_a_topic_left_out_of_the_preset_is_deleted(saitama, tmp_path):
    result = program_load_preset(path_or_name=str(_without_topic(tmp_path, "other")))
    assert result.deleted["consultations.ConsultationTopic"] == 1
    assert not ConsultationTopic.objects.filter(program=saitama, code="other").exists()


def test_a_topic_in_use_cannot_leave_the_preset(saitama, st_seeker, st_consultant, tmp_path):
    record(st_seeker, st_consultant, dt.date(2027, 1, 7), topics=["other"])
    with pytest.raises(DomainError, match="相談の話題「その他」は 相談記録の話題 1件"):
        program_load_preset(path_or_name=str(_without_topic(tmp_path, "other")))
    assert ConsultationTopic.objects.filter(program=saitama, code="other").exists()


def test_a_topic_written_twice_is_refused_with_its_path():
    text = (Path(settings.PROGRAM_PRESET_DIR) / "kobe.yaml").read_text()
    text = text.replace(
        "  - code: other\n    name: その他\n", "  - code: health\n    name: 健康2\n"
    )
    with pytest.raises(PresetInvalid) as refused:
        parse_preset_text(text, file="kobe.yaml")
    assert any(
        line.startswith("kobe.yaml: consultation_topics[10]") for line in refused.value.lines()
    )


def test_only_consultants_and_managers_read_notes_and_only_managers_approve_at_6_months():
    notes, approve = "consultations.view_case_notes", "consultations.approve_manager_review"
    assert notes in ROLE_PERMISSIONS[Role.CONSULTANT]
    assert notes in ROLE_PERMISSIONS[Role.MANAGER]
    assert approve in ROLE_PERMISSIONS[Role.MANAGER]
    assert approve not in ROLE_PERMISSIONS[Role.CONSULTANT]
    for role in (Role.RECEPTION, Role.JOB_DEVELOPER):
        mine = {p for p in ROLE_PERMISSIONS[role] if p.startswith("consultations.")}
        assert notes not in mine
        # Reception makes the inactivity follow-up's calls: logging one is all it adds.
        added = {p for p in mine if "plan" in p or p.startswith("consultations.add_")}
        assert added == ({"consultations.add_inactivitycheck"} if role == Role.RECEPTION else set())
    assert "consultations.view_case" in ROLE_PERMISSIONS[Role.JOB_DEVELOPER]
    assert "consultations.view_inactivitycheck" not in ROLE_PERMISSIONS[Role.JOB_DEVELOPER]
    assert not {p for p in ROLE_PERMISSIONS[Role.MUNICIPALITY] if p.startswith("consultations.")}
