"""Japanese text to TF-IDF vectors: SudachiPy tokens, scikit-learn's TfidfVectorizer.

Tokens: NFKC, then SudachiPy with SudachiDict-core in split mode C (the longest unit, so
a compound such as 経理事務 stays one token) *plus* the mode-A parts of each compound
(経理, 事務), so that a career history saying 経理 meets a posting saying 経理事務 and
vice versa. Only nouns are kept (common and proper, not numerals or pronouns), as their
dictionary form: careers and job contents are told in nouns (経理, 介護, 清掃, 運転), and
the shared nouns are what the reasons quote (「前職の経理経験が活かせます」). Two-character
words are whole tokens here (介護, 清掃), which is why SQLite's trigram tokenizer was not
used.

One tokenizer per process (loading the dictionary takes ~0.1 s), used under a lock:
a SudachiPy tokenizer is not safe to share between threads.
"""

from __future__ import annotations

import threading
import unicodedata
from typing import Any

_lock = threading.Lock()
_tokenizer: Any = None
_modes: Any = None

# Nouns that tell nothing about a job (normalised form).
_STOPWORDS = frozenset(
    {"事", "物", "為", "等", "方", "所", "様", "中", "的", "頃", "時", "度", "他", "以上", "以下"}
)
_SKIP_SUBPOS = frozenset({"数詞", "助動詞語幹"})


def _keep(pos: tuple[str, ...], word: str) -> bool:
    if pos[0] != "名詞" or pos[1] in _SKIP_SUBPOS:
        return False
    if word in _STOPWORDS:
        return False
    # A lone kana is noise (の, ー); a lone kanji (車, 畑) can be a word.
    return not (len(word) == 1 and not ("\u4e00" <= word <= "\u9fff"))


def tokens(text: str) -> list[str]:
    """The noun tokens of a text, mode C plus the mode-A parts of each compound."""
    global _tokenizer, _modes
    clean = unicodedata.normalize("NFKC", text or "").strip()
    if not clean:
        return []
    out: list[str] = []
    with _lock:
        if _tokenizer is None:
            from sudachipy import Dictionary, SplitMode

            _tokenizer = Dictionary(dict="core").tokenizer()
            _modes = SplitMode
        for m in _tokenizer.tokenize(clean, _modes.C):
            pos = tuple(m.part_of_speech())
            word = m.normalized_form()
            if _keep(pos, word):
                out.append(word)
            parts = m.split(_modes.A)
            if len(parts) > 1:
                for p in parts:
                    part_pos = tuple(p.part_of_speech())
                    part = p.normalized_form()
                    if part != word and _keep(part_pos, part):
                        out.append(part)
    return out
