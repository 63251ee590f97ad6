"""Reads for the FAQ: which entries a program's chatbot answers from."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from secondcareer.messaging.faq.models import FaqEntry


def _scope(program_slug: str | None) -> Q:
    shared = Q(program__isnull=True)
    return shared | Q(program__slug=program_slug) if program_slug else shared


def faq_entries_for(program_slug: str | None) -> list[FaqEntry]:
    """Published entries of the program and the shared ones; where the program has an
    entry with a shared entry's code, the program's replaces the shared one."""
    rows: QuerySet[FaqEntry] = (
        FaqEntry.objects.filter(_scope(program_slug), is_published=True)
        .only("id", "program_id", "code", "category", "question", "variants", "answer")
        .order_by("id")
    )
    by_code: dict[str, FaqEntry] = {}
    for entry in rows:
        if entry.code not in by_code or entry.program_id is not None:
            by_code[entry.code] = entry
    return sorted(by_code.values(), key=lambda e: e.pk)


def faq_version(program_slug: str | None) -> tuple[Any, ...]:
    """Changes whenever an entry the program answers from is saved, added, removed or
    (un)published: a cache key for the retrieval index. One aggregate query. Every save
    moves ``updated_at`` forward and a removal lowers the count, so any change alters it,
    in every process (unlike a signal, which only reaches the process that saved)."""
    row = FaqEntry.objects.filter(_scope(program_slug)).aggregate(
        count=Count("id"),
        published=Count("id", filter=Q(is_published=True)),
        last_updated=Max("updated_at"),
        last_id=Max("id"),
    )
    return (row["count"], row["published"], row["last_updated"], row["last_id"])
