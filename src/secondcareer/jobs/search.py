"""Japanese free-text search over employers and postings (pure: no ORM).

Each searchable row keeps a ``search_text`` column: its texts folded by
:func:`secondcareer.core.text.search_key` (NFKC, so full-width and half-width letters,
digits and ｶﾀｶﾅ become one form; katakana to hiragana; lower case; spaces and
separators removed), one text per line. A query is split into terms at spaces (ASCII or
full-width) and every term, folded the same way, must be contained in the column
(``LIKE '%term%'``, AND over the terms). Containment finds words of any length, two
characters included (介護, 清掃), which a trigram index does not; and it is the same
SQL on SQLite and PostgreSQL.

A term never matches across two texts: the folded texts hold no line breaks (they are
whitespace) and the terms hold none either, and the texts are joined with one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from secondcareer.core.text import normalize_text, search_key

MAX_TERMS = 8
_SPACE = re.compile(r"\s+")


# An import folds the same 事業所名 and 職種 thousands of times.
_folded = lru_cache(maxsize=16_384)(search_key)


def folded_text(*parts: str) -> str:
    """The ``search_text`` of a row with these texts."""
    return "\n".join(_folded(part or "") for part in parts)


def posting_search_text(occupation: str, description: str, office_name: str) -> str:
    return folded_text(occupation, description, office_name)


def employer_search_text(name: str, name_kana: str) -> str:
    return folded_text(name, name_kana)


def query_terms(query: str) -> list[str]:
    """The folded terms of ``query`` (at most :data:`MAX_TERMS`, empty ones dropped)."""
    terms = []
    for word in _SPACE.split(normalize_text(query or "")):
        key = search_key(word)
        if key and key not in terms:
            terms.append(key)
    return terms[:MAX_TERMS]
