"""Loading the shipped FAQ: idempotent by code, never undoing staff edits unless forced."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from secondcareer.core.demodata import DemoContext, seeders
from secondcareer.messaging.faq.demo import seed_faq
from secondcareer.messaging.faq.models import ANSWER_MAX_LENGTH, FaqEntry, answer_problem
from secondcareer.messaging.faq.seedfile import SEED_PATH, SeedInvalid, parse_seed_file
from secondcareer.messaging.faq.selectors import faq_entries_for
from secondcareer.messaging.faq.services import faq_load_seed
from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple[object, ...]]:
    return list(
        FaqEntry.objects.order_by("id").values_list(
            "id", "program_id", "code", "question", "variants", "answer", "updated_at"
        )
    )


def test_loading_the_seed_twice_changes_nothing(kobe: Program, saitama: Program) -> None:
    first = faq_load_seed()
    rows = snapshot()
    second = faq_load_seed()
    assert first.changed and not second.changed
    assert snapshot() == rows
    assert len(second.unchanged) == len(rows)


def test_loading_for_one_program_adds_the_shared_entries_and_that_programs_only(
    kobe: Program, saitama: Program
) -> None:
    faq_load_seed(program=kobe)
    assert FaqEntry.objects.filter(program=saitama).count() == 0
    assert FaqEntry.objects.filter(program=kobe).exists()
    assert FaqEntry.objects.filter(program__isnull=True).exists()


def test_each_program_answers_from_at_least_forty_entries(seeded: None) -> None:
    assert len(faq_entries_for("kobe")) >= 40
    assert len(faq_entries_for("saitama")) >= 40


def test_shipped_answers_are_short_and_carry_no_contact_details() -> None:
    for entry in parse_seed_file():
        sentences = [s for s in re.split(r"[。？！]", entry.answer) if s.strip()]
        assert len(entry.answer) <= ANSWER_MAX_LENGTH, entry.code
        assert 1 <= len(sentences) <= 4, entry.code
        assert answer_problem(entry.answer) is None, entry.code
        assert " " not in entry.answer, entry.code  # folded YAML lines joined without spaces


def test_a_changed_seed_entry_is_updated_in_place(kobe: Program, tmp_path: Path) -> None:
    faq_load_seed(program=kobe)
    entry = FaqEntry.objects.get(program__isnull=True, code="free_of_charge")
    data = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
    for item in data["shared"]:
        if item["code"] == "free_of_charge":
            item["answer"] = "ご利用は無料です。"
    edited = tmp_path / "faq.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    result = faq_load_seed(program=kobe, path=edited)

    assert result.updated == ["shared:free_of_charge"]
    assert FaqEntry.objects.get(pk=entry.pk).answer == "ご利用は無料です。"


def test_an_entry_edited_by_staff_is_kept_unless_forced(kobe: Program, tmp_path: Path) -> None:
    faq_load_seed(program=kobe)
    entry = FaqEntry.objects.get(program=kobe, code="desk_place")
    entry.answer = "三宮ビル東館の会議スペースです。"
    entry.save()

    kept = faq_load_seed(program=kobe)
    assert kept.kept_edited == ["kobe:desk_place"] and not kept.changed
    assert FaqEntry.objects.get(pk=entry.pk).answer == "三宮ビル東館の会議スペースです。"

    forced = faq_load_seed(program=kobe, force=True)
    assert forced.updated == ["kobe:desk_place"]
    assert "御幸通6-1-12" in FaqEntry.objects.get(pk=entry.pk).answer


def test_a_seed_file_with_problems_is_rejected_with_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "faq.yaml"
    bad.write_text(
        "version: 1\n"
        "shared:\n"
        "  - {code: Bad-Code, category: usage, question: 質問, answer: 回答です。}\n"
        "  - {code: ok, category: nope, question: 質問, answer: 電話は 03-1234-5678 です。}\n",
        encoding="utf-8",
    )
    with pytest.raises(SeedInvalid) as error:
        parse_seed_file(bad)
    assert len(error.value.problems) == 3
    assert "shared[0].code" in error.value.message
    assert "shared[1].category" in error.value.message
    assert "shared[1].answer" in error.value.message


def test_load_faq_command_loads_every_loaded_program_and_is_idempotent(
    kobe: Program, saitama: Program
) -> None:
    out = io.StringIO()
    call_command("load-faq", stdout=out)
    assert "FAQ (all loaded programs): loaded" in out.getvalue()
    out = io.StringIO()
    call_command("load-faq", "--program", "kobe", stdout=out)
    assert "FAQ (kobe): unchanged; created 0, updated 0" in out.getvalue()


def test_load_faq_for_a_program_not_loaded_says_what_to_do(db: None) -> None:
    with pytest.raises(CommandError, match="load-program saitama"):
        call_command("load-faq", "--program", "saitama")


def test_the_demo_seeder_loads_the_faq_of_the_program_being_seeded(
    kobe: Program, saitama: Program
) -> None:
    assert any(s.name == "faq.entries" and s.order == 50 for s in seeders())
    lines: list[str] = []
    seed_faq(DemoContext(program=saitama, seekers=0, seed=1, log=lines.append))
    assert FaqEntry.objects.filter(program=saitama).exists()
    assert not FaqEntry.objects.filter(program=kobe).exists()
    assert lines and lines[0].startswith("faq.entries: created")
