"""Answering a question from the FAQ of a program, and handing it to a person when the
FAQ does not answer it."""

from __future__ import annotations

import pytest

from secondcareer.messaging.faq.models import FaqCategory, FaqEntry
from secondcareer.messaging.faq.retrieval import CONFIDENCE_THRESHOLD, answer, search
from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db


def test_a_paraphrased_question_finds_the_right_entry(seeded: None) -> None:
    match = answer("年金をもらいながら仕事しても大丈夫なの？", program_slug="kobe")
    assert match is not None
    assert match.code == "working_while_pension"
    assert "年金事務所" in match.answer


def test_an_out_of_scope_question_is_handed_to_a_person(seeded: None) -> None:
    assert answer("今夜のおかずは何がいいかな", program_slug="kobe") is None
    low = search("今夜のおかずは何がいいかな", program_slug="kobe")
    assert low is None or (low.confidence < CONFIDENCE_THRESHOLD and not low.confident)


def test_a_question_that_names_someone_is_handed_to_a_person(seeded: None) -> None:
    assert answer("相談の予約はどうやってしますか", program_slug="saitama") is not None
    assert answer("鈴木さんに相談の予約を取ってもらえますか", program_slug="saitama") is None


def test_a_match_carries_its_confidence_and_runner_ups(seeded: None) -> None:
    match = search("予約を取り消したいのですが", program_slug="saitama")
    assert match is not None and match.confident
    assert match.code == "cancel_booking"
    assert 0 < match.confidence <= 1
    assert len(match.runner_ups) == 3
    assert all(c.score <= match.score and c.code != match.code for c in match.runner_ups)


def test_an_empty_or_punctuation_only_question_finds_nothing(seeded: None) -> None:
    assert search("", program_slug="kobe") is None
    assert answer("？？　！", program_slug="kobe") is None


def test_program_specific_entries_are_not_returned_for_another_program(seeded: None) -> None:
    question = "ラーク所沢では何曜日に相談できますか"
    in_saitama = answer(question, program_slug="saitama")
    assert in_saitama is not None and in_saitama.code == "venue_tokorozawa"
    saitama_ids = set(FaqEntry.objects.filter(program__slug="saitama").values_list("id", flat=True))
    in_kobe = search(question, program_slug="kobe")
    assert in_kobe is not None
    assert {in_kobe.entry_id, *(c.entry_id for c in in_kobe.runner_ups)}.isdisjoint(saitama_ids)


def test_each_program_gets_its_own_answer_to_the_same_question(seeded: None) -> None:
    kobe = answer("相談は1回何分くらいですか", program_slug="kobe")
    saitama = answer("相談は1回何分くらいですか", program_slug="saitama")
    assert kobe is not None and saitama is not None
    assert kobe.code == saitama.code == "consultation_length"
    assert "1時間" in kobe.answer and "45分" in saitama.answer


def test_editing_an_entry_in_the_database_changes_the_answer(seeded: None) -> None:
    question = "駐車場はありますか"
    before = answer(question, program_slug="kobe")
    assert before is not None and before.code == "parking"

    entry = FaqEntry.objects.get(pk=before.entry_id)
    entry.answer = "三宮ビル東館には駐車場がありません。公共交通機関をご利用ください。"
    entry.save()
    after = answer(question, program_slug="kobe")
    assert after is not None and after.answer == entry.answer

    entry.is_published = False
    entry.save()
    unpublished = search(question, program_slug="kobe")
    assert unpublished is None or unpublished.code != "parking"


def test_a_new_entry_is_answered_at_once(seeded: None, kobe: Program) -> None:
    question = "ワイファイにつなげますか"
    assert answer(question, program_slug="kobe") is None
    FaqEntry.objects.create(
        program=kobe,
        code="wifi",
        category=FaqCategory.PLACES_HOURS,
        question="窓口でWi-Fiは使えますか？",
        variants="ワイファイはありますか\nインターネットに接続できますか",
        answer="三宮ビル東館の窓口では、Wi-Fiはご用意していません。",
    )
    match = answer(question, program_slug="kobe")
    assert match is not None and match.code == "wifi"


def test_a_program_entry_replaces_the_shared_entry_with_the_same_code(
    seeded: None, saitama: Program
) -> None:
    FaqEntry.objects.create(
        program=saitama,
        code="parking",
        category=FaqCategory.PLACES_HOURS,
        question="会場に駐車場はありますか？",
        answer="各会場の駐車場は、施設の案内ページでご確認ください。",
    )
    saitama_match = answer("駐車場はありますか", program_slug="saitama")
    kobe_match = answer("駐車場はありますか", program_slug="kobe")
    assert saitama_match is not None and kobe_match is not None
    assert saitama_match.answer == "各会場の駐車場は、施設の案内ページでご確認ください。"
    assert kobe_match.answer != saitama_match.answer
