"""Writes for the FAQ: loading the shipped seed file.

:func:`faq_load_seed` is what ``secondcareer load-faq`` and the demo seeder call. It
creates or updates entries by (program, code), so loading twice changes nothing. An
entry that staff have edited since it was seeded (its content no longer matches the
fingerprint the loader stored) is kept as it is unless ``force`` is given: the seed
improves the FAQ without undoing the centre's own wording.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from secondcareer.core.errors import DomainError
from secondcareer.messaging.faq.models import FaqEntry
from secondcareer.messaging.faq.seedfile import (
    SEED_PATH,
    SeedEntry,
    content_digest,
    parse_seed_file,
)
from secondcareer.programs.models import Program


@dataclass
class SeedLoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)  # edited by staff, left alone
    programs_not_loaded: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        text = (
            f"created {len(self.created)}, updated {len(self.updated)}, "
            f"unchanged {len(self.unchanged)}, kept (edited by staff) {len(self.kept_edited)}"
        )
        if self.programs_not_loaded:
            text += f"; programs not loaded: {', '.join(self.programs_not_loaded)}"
        return text


def _current_digest(entry: FaqEntry) -> str:
    return content_digest(
        category=entry.category,
        question=entry.question,
        variants=entry.variants,
        answer=entry.answer,
        is_published=entry.is_published,
    )


def faq_load_seed(
    *, program: Program | None = None, path: Path | None = None, force: bool = False
) -> SeedLoadResult:
    """Load the shared entries and the entries of ``program`` (of every program in the
    file that is loaded in the database when ``program`` is None), in one transaction."""
    entries = parse_seed_file(path or SEED_PATH)
    result = SeedLoadResult()
    wanted: dict[str | None, Program | None] = {None: None}
    slugs = sorted({e.program_slug for e in entries if e.program_slug is not None})
    if program is not None:
        wanted[program.slug] = program
    else:
        found = {p.slug: p for p in Program.objects.filter(slug__in=slugs)}
        wanted.update(found)
        result.programs_not_loaded = [slug for slug in slugs if slug not in found]
    with transaction.atomic():
        existing = {
            (e.program.slug if e.program else None, e.code): e
            for e in FaqEntry.objects.select_related("program").filter(
                program__slug__in=[s for s in wanted if s]
            )
        }
        existing.update({(None, e.code): e for e in FaqEntry.objects.filter(program__isnull=True)})
        for seed in entries:
            if seed.program_slug not in wanted:
                continue
            _apply(seed, wanted[seed.program_slug], existing, result, force=force)
    return result


def _apply(
    seed: SeedEntry,
    program: Program | None,
    existing: dict[tuple[str | None, str], FaqEntry],
    result: SeedLoadResult,
    *,
    force: bool,
) -> None:
    label = f"{seed.program_slug or 'shared'}:{seed.code}"
    entry = existing.get((seed.program_slug, seed.code))
    if entry is None:
        FaqEntry.objects.create(
            program=program,
            code=seed.code,
            category=seed.category,
            question=seed.question,
            variants=seed.variants_text,
            answer=seed.answer,
            is_published=seed.is_published,
            seed_digest=seed.digest,
        )
        result.created.append(label)
        return
    current = _current_digest(entry)
    if current == seed.digest:
        if entry.seed_digest != seed.digest:
            entry.seed_digest = seed.digest  # same text written by hand: adopt it
            entry.save(update_fields=["seed_digest"])
        result.unchanged.append(label)
        return
    if current != entry.seed_digest and not force:
        result.kept_edited.append(label)
        return
    entry.category = seed.category
    entry.question = seed.question
    entry.variants = seed.variants_text
    entry.answer = seed.answer
    entry.is_published = seed.is_published
    entry.seed_digest = seed.digest
    entry.save()
    result.updated.append(label)


def program_for_slug(slug: str) -> Program:
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise DomainError(
            _(
                "事業「%(slug)s」はまだ読み込まれていません。"
                "先に load-program %(slug)s を実行してください。"
            )
            % {"slug": slug},
            code="not_found",
            status=404,
        )
    return program


def faq_entries_set_published(*, entries: Iterable[FaqEntry], published: bool) -> int:
    """Publish or withdraw FAQ entries; returns how many changed. ``save()`` per row, not
    ``update()``: ``updated_at`` must move so the chatbot's index is rebuilt."""
    changed = 0
    with transaction.atomic():
        for entry in entries:
            if entry.is_published != published:
                entry.is_published = published
                entry.save(update_fields=["is_published", "updated_at"])
                changed += 1
    return changed
