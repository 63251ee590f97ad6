"""Words in a consultation record that suggest the case may need public support (Kobe
Ⅲ-2: 生活困窮など公的支援が必要なケース). Pure: no ORM.

The text is folded the way :mod:`secondcareer.core.text` folds names for search (NFKC,
katakana → hiragana, no spaces), and so are the words, so 「ｶﾞｽ代」 is found as 「ガス代」,
「生活 保護」 as 「生活保護」 and 「らいふらいん」 as 「ライフライン」 (kanji are not read: 「かいご」 is
not 「介護」). A match only *suggests* a referral on the case page; the consultant decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from secondcareer.core.text import normalize_text, to_hiragana

# Short and plain on purpose: each is a word a consultant writes when money, housing,
# food or care is the problem. Kana forms are folded like the text (ひらがな).
HARDSHIP_WORDS: tuple[str, ...] = (
    "生活保護",
    "生活費",
    "生活が苦しい",
    "困窮",
    "家賃",
    "滞納",
    "借金",
    "多重債務",
    "ローンが払えない",
    "食べ物",
    "食費",
    "光熱費",
    "ライフライン",
    "ガス代",
    "電気代",
    "水道代",
    "住まいがない",
    "住む所",
    "立ち退き",
    "失業",
    "無収入",
    "所持金",
    "介護",
)

_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """``text`` as words are matched in it: NFKC, hiragana, lower case, no spaces."""
    return _SPACE.sub("", to_hiragana(normalize_text(text or ""))).casefold()


_FOLDED = tuple((word, fold(word)) for word in HARDSHIP_WORDS)


def hardship_words(*texts: str, words: Iterable[str] | None = None) -> list[str]:
    """The hardship words found in ``texts``, each once, in :data:`HARDSHIP_WORDS` order
    (``words``: another list, e.g. in a test)."""
    haystack = "\n".join(fold(t) for t in texts if t)
    if not haystack:
        return []
    pairs = _FOLDED if words is None else tuple((w, fold(w)) for w in words)
    return [word for word, folded in pairs if folded and folded in haystack]
