"""Japanese text normalisation.

Names and free text arrive in every width and script: half-width katakana from old
systems, full-width digits and spaces from phones, hiragana or katakana furigana.
``normalize_text`` gives the canonical stored form (Unicode NFKC, single spaces);
``search_key`` folds further so that a receptionist finds 「ヤマダ タロウ」 by typing
「やまだたろう」 or 「ﾔﾏﾀﾞ」.
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

_SPACES = re.compile(r"\s+")
# Separators people put inside names: spaces, middle dots, hyphen-like marks.
_NAME_SEPARATORS = re.compile(r"[\s・･\-‐‑–—―ー]")


def normalize_text(value: str) -> str:
    """NFKC, trimmed, runs of whitespace (full-width spaces included) collapsed to one."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip()


def to_hiragana(value: str) -> str:
    """Katakana (full or half width) to hiragana; other characters unchanged."""
    return jaconv.kata2hira(unicodedata.normalize("NFKC", value))


def to_katakana(value: str) -> str:
    """Hiragana to full-width katakana, the form furigana is stored in."""
    return jaconv.hira2kata(normalize_text(value))


def search_key(value: str) -> str:
    """Key for matching names: NFKC, katakana→hiragana, lower case, no separators.

    The long-vowel mark 「ー」 is dropped with the other separators so that 「ユーコ」
    and 「ゆうこ」 share most of their key; exact equality is not required for search,
    only containment.
    """
    folded = to_hiragana(normalize_text(value)).casefold()
    return _NAME_SEPARATORS.sub("", folded)


def is_kana(value: str) -> bool:
    """True when ``value`` (after normalisation) is only kana, spaces and 「ー」."""
    text = normalize_text(value).replace(" ", "")
    return bool(text) and all(
        ("\u3041" <= ch <= "\u309f") or ("\u30a0" <= ch <= "\u30ff") for ch in text
    )
