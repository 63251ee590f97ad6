"""Finding the FAQ entry that answers a question: Japanese tokenisation + BM25.

Pure Python apart from :func:`answer`, which loads a program's entries through the
selectors and keeps one index per program in memory, rebuilt when the entries change.

- **Tokens.** The question is NFKC-normalised and split by SudachiPy (one tokenizer per
  process, split mode C). Particles, auxiliaries, symbols, prefixes and a few
  function-like words are dropped by part of speech; each remaining word becomes its
  *normalised form* (「もらっ」「貰う」「ねんきん」 → 「貰う」「年金」), folded to hiragana so
  that 「スマホ」 and 「すまほ」 meet. Mode C keeps compounds whole (「在職老齢年金」); their
  mode-A parts are added too (「在職」「老齢」「年金」), so a question that names only a
  part still matches.
- **Readings.** A second field holds character bigrams of the whole question's reading
  in hiragana (symbols left out), which catches questions typed in kana, or with a
  typo, that Sudachi does not resolve to the same word (「よやくしたい」, 「ざいしょく
  ろうれいねんきん」).
- **Scoring.** BM25 (k1 = 1.2, b = 0.75) over each entry's question and variants, plus
  the answer and the readings with lower weights. The confidence is the best entry's
  score divided by the score a perfect match would get — each query term's IDF, with
  words the FAQ never uses counting as the rarest — so it reads as "how much of what was
  asked this entry covers", between 0 and 1.
- **Hand-off.** Below :data:`CONFIDENCE_THRESHOLD` the chatbot hands the question to a
  person (:func:`answer` returns None); so does a question that names someone
  (「田中さん」), which is about a person's own case. The match and the runner-ups are
  still available from :func:`search` for the person who picks it up.

See docs/adr/0008-faq-retrieval.md for the measurements behind these choices.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from secondcareer.core.text import normalize_text, to_hiragana

CONFIDENCE_THRESHOLD = 0.36
RUNNER_UPS = 3

# Parts of speech that carry no topic (Sudachi's first POS level).
_DROP_POS = frozenset(
    {"助詞", "助動詞", "補助記号", "記号", "空白", "感動詞", "接頭辞", "接続詞", "連体詞"}
)
_SYMBOL_POS = frozenset({"補助記号", "記号", "空白"})
# A person's name followed by one of these is someone in particular (「田中さん」). Sudachi
# also tags some place names as 人名 (長田, 須磨), hence the honorific, not the tag alone.
_HONORIFICS = frozenset({"さん", "様", "さま", "氏", "先生", "くん", "君", "ちゃん"})
# Function-like words that survive the POS filter (normalised form, in hiragana).
_STOPWORDS = frozenset(
    {
        "為る",
        "居る",
        "有る",
        "成る",
        "事",
        "物",
        "様",
        "為",
        "此れ",
        "其れ",
        "彼れ",
        "何れ",
        "下さる",
        "頂く",
        "呉れる",
        "貰える",
        "御座る",
        "致す",
        "申す",
        "思う",
        "良い",
        "いい",
        "の",
        "ん",
        "方",
        "所",
        "ところ",
        "とき",
        "時",
        "他",
        "今",
        "私",
        "僕",
        "俺",
        "わし",
        "うち",
        "ちゃんと",
        "ちょっと",
        "やっぱり",
        "とか",
        "など",
    }
)


@dataclass(frozen=True)
class Weights:
    """How much each field counts, and BM25's parameters."""

    phrasings: float = 1.0
    answer: float = 0.3
    readings: float = 0.4
    k1: float = 1.2
    b: float = 0.75


DEFAULT_WEIGHTS = Weights()


# --- Tokenisation -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Word:
    pos: tuple[str, ...]  # Sudachi's part of speech, most general level first
    surface: str
    normalized: str
    reading: str
    parts: tuple[str, ...]  # normalised forms of the split-mode-A parts, if more than one


class _Sudachi:
    """One SudachiPy tokenizer per process (loading the dictionary takes ~0.1 s), used
    under a lock: a tokenizer is not safe to share between threads."""

    _lock = threading.Lock()
    _tokenizer: Any = None
    _modes: Any = None

    @classmethod
    def words(cls, text: str, mode: str, *, with_parts: bool) -> list[_Word]:
        with cls._lock:
            if cls._tokenizer is None:
                from sudachipy import Dictionary, SplitMode

                cls._tokenizer = Dictionary(dict="core").tokenizer()
                cls._modes = SplitMode
            modes = cls._modes
            words = []
            for m in cls._tokenizer.tokenize(text, getattr(modes, mode)):
                parts: tuple[str, ...] = ()
                if with_parts and mode != "A":
                    split = m.split(modes.A)
                    if len(split) > 1:
                        parts = tuple(p.normalized_form() for p in split)
                words.append(
                    _Word(
                        tuple(m.part_of_speech()[:3]),
                        m.surface(),
                        m.normalized_form(),
                        m.reading_form(),
                        parts,
                    )
                )
            return words


@dataclass(frozen=True)
class Analysis:
    """A text reduced to what BM25 compares: words and reading bigrams."""

    words: tuple[str, ...]
    readings: tuple[str, ...]
    names_person: bool = False  # 「田中さん」: about someone's own case, never an FAQ


def _fold(term: str) -> str:
    return to_hiragana(term).casefold()


def _bigrams(text: str) -> list[str]:
    if len(text) < 2:
        return [text] if text else []
    return [text[i : i + 2] for i in range(len(text) - 1)]


def analyse(text: str, *, mode: str = "C", add_parts: bool = True) -> Analysis:
    """Words (normalised, hiragana-folded, function words dropped) and reading bigrams."""
    clean = normalize_text(text)
    if not clean:
        return Analysis((), ())
    words: list[str] = []
    spoken: list[str] = []
    names_person = False
    previous: _Word | None = None
    for word in _Sudachi.words(clean, mode, with_parts=add_parts):
        if previous is not None and previous.pos[2:3] == ("人名",):
            names_person = names_person or word.surface in _HONORIFICS
        previous = word
        if word.pos[0] in _SYMBOL_POS:
            continue
        spoken.append(_fold(word.reading))
        if word.pos[0] in _DROP_POS:
            continue
        folded = _fold(word.normalized)
        if folded in _STOPWORDS:
            continue
        words.append(folded)
        words.extend(p for p in map(_fold, word.parts) if p not in _STOPWORDS)
    readings = _bigrams("".join(spoken))
    return Analysis(tuple(words), tuple(readings), names_person)


def tokenize(text: str) -> list[str]:
    """The words of ``text`` as the index sees them (for tests and debugging)."""
    return list(analyse(text).words)


# --- BM25 -------------------------------------------------------------------------------


class Bm25:
    """Okapi BM25 over a fixed set of documents (lists of terms)."""

    def __init__(self, documents: Sequence[Sequence[str]], *, k1: float, b: float) -> None:
        self.k1 = k1
        self.b = b
        self.size = len(documents)
        self.lengths = [len(doc) for doc in documents]
        self.average = (sum(self.lengths) / self.size) if self.size else 1.0
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for index, doc in enumerate(documents):
            for term, count in Counter(doc).items():
                self.postings.setdefault(term, []).append((index, count))
        self.idf = {term: self._idf(len(docs)) for term, docs in self.postings.items()}
        self.max_idf = self._idf(0)

    def _idf(self, df: int) -> float:
        return math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))

    def scores(self, terms: Iterable[str]) -> dict[int, float]:
        totals: dict[int, float] = {}
        average = self.average or 1.0
        for term in set(terms):
            postings = self.postings.get(term)
            if not postings:
                continue
            idf = self.idf[term]
            for index, tf in postings:
                norm = self.k1 * (1.0 - self.b + self.b * self.lengths[index] / average)
                totals[index] = totals.get(index, 0.0) + idf * tf * (self.k1 + 1.0) / (tf + norm)
        return totals

    def ideal(self, terms: Iterable[str]) -> float:
        """The score of a document of average length holding each term once; a term no
        document holds counts as the rarest, so asking about something the FAQ never
        mentions lowers the confidence."""
        return sum(self.idf.get(t, self.max_idf) for t in set(terms))


# --- Index --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FaqDocument:
    """What the index needs of an entry (built from a ``FaqEntry`` by :func:`index_for`)."""

    entry_id: int
    code: str
    question: str
    phrasings: tuple[str, ...]  # the question and its variants
    answer: str


@dataclass(frozen=True)
class Candidate:
    entry_id: int
    code: str
    question: str
    score: float
    confidence: float


@dataclass(frozen=True)
class FaqMatch:
    """The best entry for a question. ``confident`` is False when the chatbot should
    hand the question to a person; ``runner_ups`` are the next best entries."""

    entry_id: int
    code: str
    question: str
    answer: str
    score: float
    confidence: float
    threshold: float
    runner_ups: tuple[Candidate, ...] = field(default=())
    names_person: bool = False

    @property
    def confident(self) -> bool:
        return not self.names_person and self.confidence >= self.threshold


class FaqIndex:
    """BM25 over a program's entries. Build once, search many times (thread-safe reads)."""

    def __init__(
        self,
        documents: Sequence[FaqDocument],
        *,
        weights: Weights = DEFAULT_WEIGHTS,
        mode: str = "C",
        add_parts: bool = True,
    ) -> None:
        self.documents = list(documents)
        self.weights = weights
        self.mode = mode
        self.add_parts = add_parts
        phrasing_words: list[list[str]] = []
        reading_terms: list[list[str]] = []
        answer_words: list[list[str]] = []
        for doc in self.documents:
            analysed = [self._analyse(p) for p in doc.phrasings]
            phrasing_words.append([w for a in analysed for w in a.words])
            reading_terms.append([r for a in analysed for r in a.readings])
            answer_words.append(list(self._analyse(doc.answer).words))
        self.phrasings = Bm25(phrasing_words, k1=weights.k1, b=weights.b)
        self.readings = Bm25(reading_terms, k1=weights.k1, b=weights.b)
        self.answers = Bm25(answer_words, k1=weights.k1, b=weights.b)

    def _analyse(self, text: str) -> Analysis:
        return analyse(text, mode=self.mode, add_parts=self.add_parts)

    def search(self, question: str, *, threshold: float = CONFIDENCE_THRESHOLD) -> FaqMatch | None:
        """The best entry with its confidence (None only when nothing matches at all)."""
        query = self._analyse(question)
        if not query.words and not query.readings:
            return None
        w = self.weights
        combined: dict[int, float] = {}
        for index_, weight, terms in (
            (self.phrasings, w.phrasings, query.words),
            (self.answers, w.answer, query.words),
            (self.readings, w.readings, query.readings),
        ):
            if weight:
                for doc, score in index_.scores(terms).items():
                    combined[doc] = combined.get(doc, 0.0) + weight * score
        if not combined:
            return None
        ideal = w.phrasings * self.phrasings.ideal(query.words) + w.readings * self.readings.ideal(
            query.readings
        )
        ranked = sorted(combined.items(), key=lambda item: (-item[1], item[0]))

        def candidate(doc_index: int, score: float) -> Candidate:
            doc = self.documents[doc_index]
            confidence = min(1.0, score / ideal) if ideal > 0 else 0.0
            return Candidate(doc.entry_id, doc.code, doc.question, score, confidence)

        best = candidate(*ranked[0])
        return FaqMatch(
            entry_id=best.entry_id,
            code=best.code,
            question=best.question,
            answer=self.documents[ranked[0][0]].answer,
            score=best.score,
            confidence=best.confidence,
            threshold=threshold,
            runner_ups=tuple(candidate(*item) for item in ranked[1 : 1 + RUNNER_UPS]),
            names_person=query.names_person,
        )


# --- Per-program cache ----------------------------------------------------------------------

_cache: dict[str | None, tuple[tuple[Any, ...], FaqIndex]] = {}
_cache_lock = threading.Lock()


def index_for(program_slug: str | None) -> FaqIndex:
    """The program's index, rebuilt when its entries changed since it was built."""
    from secondcareer.messaging.faq.selectors import faq_entries_for, faq_version

    version = faq_version(program_slug)
    cached = _cache.get(program_slug)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _cache_lock:
        cached = _cache.get(program_slug)
        if cached is not None and cached[0] == version:
            return cached[1]
        index = FaqIndex(
            [
                FaqDocument(
                    entry_id=entry.pk,
                    code=entry.code,
                    question=entry.question,
                    phrasings=tuple(entry.phrasings()),
                    answer=entry.answer,
                )
                for entry in faq_entries_for(program_slug)
            ]
        )
        _cache[program_slug] = (version, index)
        return index


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def search(
    question: str, *, program_slug: str | None, threshold: float = CONFIDENCE_THRESHOLD
) -> FaqMatch | None:
    """The best entry for ``question`` whatever its confidence (for staff screens)."""
    return index_for(program_slug).search(question, threshold=threshold)


def answer(
    question: str, *, program_slug: str | None, threshold: float = CONFIDENCE_THRESHOLD
) -> FaqMatch | None:
    """The entry that answers ``question`` in the program, or None: hand it to a person."""
    match = search(question, program_slug=program_slug, threshold=threshold)
    return match if match is not None and match.confident else None
