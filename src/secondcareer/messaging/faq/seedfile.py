"""Reading the FAQ seed file (``seed/faq.yaml``): pure, no database.

The file has ``shared`` entries (every program) and ``programs.<slug>`` entries. Every
problem found is reported at once as ``key.path: message``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from secondcareer.core.errors import DomainError
from secondcareer.messaging.faq.models import ANSWER_MAX_LENGTH, FaqCategory, answer_problem

SEED_PATH = Path(__file__).resolve().parent / "seed" / "faq.yaml"

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class SeedEntry:
    program_slug: str | None  # None: shared by every program
    code: str
    category: str
    question: str
    variants: tuple[str, ...]
    answer: str
    is_published: bool = True

    @property
    def variants_text(self) -> str:
        return "\n".join(self.variants)

    @property
    def digest(self) -> str:
        return content_digest(
            category=self.category,
            question=self.question,
            variants=self.variants_text,
            answer=self.answer,
            is_published=self.is_published,
        )


def content_digest(
    *, category: str, question: str, variants: str, answer: str, is_published: bool
) -> str:
    """Fingerprint of an entry's editable content: the loader compares it to tell an
    entry untouched since it was seeded from one staff have edited."""
    payload = json.dumps(
        [category, question, variants, answer, is_published], ensure_ascii=False
    ).encode()
    return hashlib.sha256(payload).hexdigest()


class SeedInvalid(DomainError):
    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(
            _("FAQデータ %(file)s に問題があります: %(problems)s")
            % {"file": path.name, "problems": "; ".join(problems)},
            code="invalid",
        )
        self.problems = problems


def parse_seed_file(path: Path = SEED_PATH) -> list[SeedEntry]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SeedInvalid(path, [str(exc)]) from exc
    return parse_seed(data, path=path)


def parse_seed(data: Any, *, path: Path = SEED_PATH) -> list[SeedEntry]:
    problems: list[str] = []
    entries: list[SeedEntry] = []
    if not isinstance(data, dict) or data.get("version") != 1:
        raise SeedInvalid(path, ["version: must be 1"])
    scopes: list[tuple[str | None, str, Any]] = [(None, "shared", data.get("shared") or [])]
    programs = data.get("programs") or {}
    if not isinstance(programs, dict):
        problems.append("programs: must map a program slug to a list of entries")
        programs = {}
    scopes += [(slug, f"programs.{slug}", items or []) for slug, items in programs.items()]
    for slug, where, items in scopes:
        if not isinstance(items, list):
            problems.append(f"{where}: must be a list of entries")
            continue
        seen: set[str] = set()
        for index, item in enumerate(items):
            entry = _entry(slug, f"{where}[{index}]", item, problems)
            if entry is None:
                continue
            if entry.code in seen:
                problems.append(f"{where}[{index}].code: {entry.code} appears twice")
                continue
            seen.add(entry.code)
            entries.append(entry)
    if problems:
        raise SeedInvalid(path, problems)
    return entries


def _entry(slug: str | None, where: str, item: Any, problems: list[str]) -> SeedEntry | None:
    if not isinstance(item, dict):
        problems.append(f"{where}: must be a mapping")
        return None
    before = len(problems)
    code = item.get("code")
    if not isinstance(code, str) or not _CODE.match(code) or len(code) > 60:
        problems.append(f"{where}.code: lower-case snake_case, at most 60 characters")
    category = item.get("category")
    if category not in FaqCategory.values:
        problems.append(f"{where}.category: one of {', '.join(FaqCategory.values)}")
    question = item.get("question")
    if not isinstance(question, str) or not question.strip() or len(question) > 200:
        problems.append(f"{where}.question: required, at most 200 characters")
    variants = item.get("variants") or []
    if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
        problems.append(f"{where}.variants: a list of strings")
        variants = []
    answer = item.get("answer")
    if not isinstance(answer, str) or not answer.strip():
        problems.append(f"{where}.answer: required")
    else:
        answer = _join_lines(answer)
        if len(answer) > ANSWER_MAX_LENGTH:
            problems.append(
                f"{where}.answer: {len(answer)} characters, at most {ANSWER_MAX_LENGTH}"
            )
        elif problem := answer_problem(answer):
            problems.append(f"{where}.answer: {problem}")
    published = item.get("published", True)
    if not isinstance(published, bool):
        problems.append(f"{where}.published: true or false")
    if len(problems) > before or not (
        isinstance(code, str) and isinstance(question, str) and isinstance(answer, str)
    ):
        return None
    return SeedEntry(
        program_slug=slug,
        code=code,
        category=str(category),
        question=question.strip(),
        variants=tuple(v.strip() for v in variants if v.strip()),
        answer=answer,
        is_published=published,
    )


_FOLDED_BREAK = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
_SPACES = re.compile(r"\s+")


def _join_lines(text: str) -> str:
    """A folded YAML block (``>-``) joins its lines with spaces; Japanese sentences take
    none, so a space is kept only between two ASCII characters."""
    return _FOLDED_BREAK.sub("", _SPACES.sub(" ", text).strip())
