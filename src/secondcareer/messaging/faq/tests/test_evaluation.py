"""The FAQ evaluation set (bench/faq_eval.yaml) guards against regressions: these floors
sit a little below the figures measured when the FAQ was written (top-1 88.5 %,
answered correctly 85.2 %, out-of-scope handed to a person 82.5 %; see
docs/adr/0008-faq-retrieval.md). Speed is measured in bench/, not here."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from secondcareer.core.text import normalize_text
from secondcareer.messaging.faq.evaluation import EvalQuestion, evaluate, load_eval_sets
from secondcareer.messaging.faq.retrieval import FaqMatch, search
from secondcareer.messaging.faq.seedfile import parse_seed_file

EVAL_PATH = Path(settings.PROJECT_DIR) / "bench" / "faq_eval.yaml"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not EVAL_PATH.is_file(), reason="bench/ is not in this installation"),
]


def ask(question: EvalQuestion) -> FaqMatch | None:
    return search(question.text, program_slug=question.program)


def test_the_evaluation_set_stays_above_its_accuracy_floor(seeded: None) -> None:
    figures = evaluate(load_eval_sets(EVAL_PATH).main, ask).as_dict()
    assert figures["top1_accuracy"] >= 0.85, figures
    assert figures["answered_correctly"] >= 0.82, figures
    assert figures["out_of_scope_handoff"] >= 0.775, figures
    assert figures["in_scope_handoff"] <= 0.08, figures


def test_the_evaluation_set_is_large_and_labels_real_entries() -> None:
    sets = load_eval_sets(EVAL_PATH)
    in_scope = [q for q in sets.main if q.expected]
    assert len(in_scope) >= 150
    assert len(sets.main) - len(in_scope) >= 30
    entries = parse_seed_file()
    for question in [*sets.main, *sets.holdout]:
        if question.expected:
            codes = {e.code for e in entries if e.program_slug in (None, question.program)}
            assert question.expected in codes, question


def test_no_evaluation_question_is_copied_into_the_entries() -> None:
    sets = load_eval_sets(EVAL_PATH)
    phrasings = {
        normalize_text(text).rstrip("?？。")
        for entry in parse_seed_file()
        for text in (entry.question, *entry.variants)
    }
    copied = [
        q.text
        for q in [*sets.main, *sets.holdout]
        if normalize_text(q.text).rstrip("?？。") in phrasings
    ]
    assert copied == []
