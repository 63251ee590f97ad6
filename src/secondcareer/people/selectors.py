from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from secondcareer.core.text import normalize_text, search_key
from secondcareer.people.access import seekers_visible_to
from secondcareer.people.cards import parse_card_number
from secondcareer.people.models import Seeker
from secondcareer.people.phones import phone_digits
from secondcareer.programs.models import Program

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


def program_and_seeker(program_slug: str, value: str) -> tuple[Program, Seeker]:
    """The program and one of its seekers, named the way the commands take them: the
    seeker's ID or card number. ``LookupError`` with a Japanese message otherwise (a
    seeker of another program is not found)."""
    program = Program.objects.filter(slug=program_slug).first()
    if program is None:
        raise LookupError(_("事業「%(slug)s」は登録されていません。") % {"slug": program_slug})
    seekers = Seeker.objects.filter(program=program)
    card_number = parse_card_number(value)
    if card_number is not None:
        seeker = seekers.filter(card_number=card_number).first()
    elif re.fullmatch(r"[0-9]{1,18}", value.strip()):
        seeker = seekers.filter(pk=int(value.strip())).first()
    else:
        raise LookupError(
            _("--seeker には利用者のIDか利用者カード番号を指定してください: %(value)s")
            % {"value": value}
        )
    if seeker is None:
        raise LookupError(
            _("事業「%(slug)s」に利用者 %(value)s はいません。")
            % {"slug": program.slug, "value": value}
        )
    return program, seeker
