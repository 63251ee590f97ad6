"""Scoring the FAQ against a labelled set of questions (``bench/faq_eval.yaml``).

Shared by ``bench/bench_faq.py`` (which reports the figures) and the regression test
(which asserts a floor). Pure: the caller passes the search function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from secondcareer.messaging.faq.retrieval import FaqMatch


@dataclass(frozen=True)
class EvalQuestion:
    program: str
    text: str
    expected: str | None  # the entry code; None = out of scope (hand to a person)


@dataclass(frozen=True)
class EvalSets:
    main: tuple[EvalQuestion, ...]
    holdout: tuple[EvalQuestion, ...]


def _questions(block: dict[str, Any]) -> list[EvalQuestion]:
    questions = [
        EvalQuestion(program, text, code)
        for program, groups in (block.get("in_scope") or {}).items()
        for code, texts in groups.items()
        for text in texts
    ]
    questions += [
        EvalQuestion(program, text, None)
        for program, texts in (block.get("out_of_scope") or {}).items()
        for text in texts
    ]
    return questions


def load_eval_sets(path: Path) -> EvalSets:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return EvalSets(
        main=tuple(_questions(data)), holdout=tuple(_questions(data.get("holdout") or {}))
    )


@dataclass
class EvalFigures:
    in_scope: int = 0
    out_of_scope: int = 0
    top1_correct: int = 0  # the best entry is the expected one, whatever its confidence
    answered_correctly: int = 0  # ... and confident enough to be sent
    answered_wrongly: int = 0  # confident, but the wrong entry
    in_scope_handed_off: int = 0
    out_of_scope_handed_off: int = 0
    misses: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(part: int, whole: int) -> float:
        return round(part / whole, 4) if whole else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "in_scope_questions": self.in_scope,
            "out_of_scope_questions": self.out_of_scope,
            "top1_accuracy": self._ratio(self.top1_correct, self.in_scope),
            "answered_correctly": self._ratio(self.answered_correctly, self.in_scope),
            "answered_wrongly": self._ratio(self.answered_wrongly, self.in_scope),
            "in_scope_handoff": self._ratio(self.in_scope_handed_off, self.in_scope),
            "out_of_scope_handoff": self._ratio(self.out_of_scope_handed_off, self.out_of_scope),
        }


SearchFn = Callable[[EvalQuestion], FaqMatch | None]


def evaluate(questions: Iterable[EvalQuestion], search: SearchFn) -> EvalFigures:
    figures = EvalFigures()
    for question in questions:
        match = search(question)
        confident = match is not None and match.confident
        if question.expected is None:
            figures.out_of_scope += 1
            if match is not None and match.confident:
                figures.misses.append(f"[oos] {question.program}: {question.text} → {match.code}")
            else:
                figures.out_of_scope_handed_off += 1
            continue
        figures.in_scope += 1
        right = match is not None and match.code == question.expected
        figures.top1_correct += right
        if not confident:
            figures.in_scope_handed_off += 1
        elif right:
            figures.answered_correctly += 1
        else:
            figures.answered_wrongly += 1
        if not right:
            got = match.code if match else "-"
            figures.misses.append(
                f"[in] {question.program}: {question.text} → {got} (expected {question.expected})"
            )
    return figures
