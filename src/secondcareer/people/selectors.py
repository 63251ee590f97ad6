from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from secondcareer.core.sql import model_columns
from secondcareer.core.text import normalize_text, search_key
from secondcareer.people.access import seekers_visible_to
from secondcareer.people.cards import parse_card_number
from secondcareer.people.models import Seeker
from secondcareer.people.phones import phone_digits

_PHONE_LIKE = re.compile(r"[\d\-\s()+]{4,}")


def seeker_search(*, user: Any, query: str = "", program_id: int | None = None) -> QuerySet[Seeker]:
    """Seekers the user may see, matching ``query`` by name (kanji or kana, any width,
    either script), phone digits, or card number. Only programs the user has a role
    in are ever searched."""
    seekers = seekers_visible_to(user).select_related("program", "area")
    if program_id is not None:
        seekers = seekers.filter(program_id=program_id)
    text = normalize_text(query or "")
    if not text:
        return seekers
    card = parse_card_number(text)
    if card:
        return seekers.filter(card_number=card)
    condition = Q()
    for word in text.split(" "):
        key = search_key(word)
        if key:
            condition &= Q(name_search_key__contains=key)
    if _PHONE_LIKE.fullmatch(text):
        condition |= Q(phone_digits__contains=phone_digits(text))
    return seekers.filter(condition) if condition else seekers.none()


def seeker_in_program(program_id: int, seeker_id: int) -> Seeker | None:
    """The seeker ``seeker_id`` if registered in the program, loaded with only its id
    and program (other fields load on first use), or None. One hand-written statement
    (:mod:`secondcareer.core.sql`): the booking API asks it on every call."""
    if not -(2**63) <= seeker_id < 2**63:  # beyond any id (SQLite could not even bind it)
        return None
    columns = model_columns(Seeker, "s", ["program"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.sql} FROM {connection.ops.quote_name(Seeker._meta.db_table)} s "  # noqa: S608 - names from the model
            "WHERE s.id = %s AND s.program_id = %s",
            [seeker_id, program_id],
        )
        row = cursor.fetchone()
    return columns.load(row) if row is not None else None
