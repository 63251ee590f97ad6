from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet

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
