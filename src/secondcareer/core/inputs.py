"""The rules every piece of input passes, wherever it comes from (docs/adr/0015).

- **Characters.** :data:`UNSTORABLE` is what no database can keep: NUL (PostgreSQL
  cannot store or even compare it) and lone surrogates (they have no UTF-8 form).
  :class:`~secondcareer.core.input_middleware.InputRulesMiddleware` refuses it in every
  path, query string, form and JSON body (400). :data:`REFUSED` adds the other C0
  control characters but tab, line feed and carriage return (spreadsheet and XML
  exports refuse them) and U+FFFE/U+FFFF: never in an address the platform wrote, nor
  in a name, so it is refused there; a form or JSON text keeps them, because a person
  pastes them with text from a PDF or a word processor (a form feed, a vertical tab),
  and refusing the whole form would lose what they wrote.
- **Bidirectional controls** (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) and
  the other invisible formatting characters (Unicode category Cf: zero-width spaces,
  BOM…) make a name look like another one. They are refused in person names and furigana
  (:func:`name_problem`, used by the registration service for every channel), and in
  addresses and query strings, which the platform writes itself and never puts them in.
  Free text (questions, notes) keeps them: it is shown as text, and refusing it would
  lose what a person wrote.
- **Dates.** Every date the platform reads lies between :data:`DATE_MIN` and
  :data:`DATE_MAX`; anything else is refused with :class:`DateOutOfRange` (422) before
  any arithmetic, so that a week view or a time-zone conversion cannot overflow
  Python's year 1–9999.
- **JSON.** :func:`json_too_deep` is a scan of bracket depth that runs before
  ``json.loads``, whose recursion a body nested a thousand deep would exhaust.

Plain Python (no ORM), so every parser can use it: management commands, forms, the
API, the public booking and the chatbot.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secondcareer.core.errors import DomainError

# --- Characters --------------------------------------------------------------------------

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

UNSTORABLE_MESSAGE = gettext_lazy(
    "送信された内容に、保存できないため使えない文字（NUL文字など）が含まれています。"
    "入力し直してください。"
)
UNSTORABLE_FIELD_MESSAGE = gettext_lazy("使えない文字（NUL文字など）が含まれています。")
REFUSED_IN_ADDRESS_MESSAGE = gettext_lazy(
    "URLに使えない文字（制御文字や、文字の向きを変える記号など）が含まれています。"
    "リンクを確かめてください。"
)


def unstorable_in_text(value: str) -> bool:
    """True when ``value`` holds a character of :data:`UNSTORABLE`."""
    return UNSTORABLE.search(value) is not None


def refused_in_text(value: str) -> bool:
    """True when ``value`` holds a character of :data:`REFUSED`."""
    return REFUSED.search(value) is not None


def refused_in_address(value: str) -> bool:
    """True when a path or query value holds a refused character or a bidi control."""
    return REFUSED.search(value) is not None or BIDI_CONTROLS.search(value) is not None


def name_problem(value: str) -> str | None:
    """Why ``value`` cannot be a person's name or furigana, or None. Refuses
    :data:`REFUSED` and every invisible formatting character (category Cf), which
    includes the bidirectional controls and zero-width spaces. Ideographic variation
    selectors (異体字セレクタ, category Mn) stay allowed."""
    if refused_in_text(value):
        return _("使えない文字（制御文字など）が含まれています。入力し直してください。")
    if any(unicodedata.category(ch) == "Cf" for ch in value):
        return _(
            "文字の向きを変える記号や幅のない文字など、見えない制御文字が含まれています。"
            "入力し直してください。"
        )
    return None


def validate_person_name(value: str) -> None:
    """:func:`name_problem` as a Django form validator, for the forms that ask for a
    name before the registration service sees it."""
    if problem := name_problem(value):
        raise ValidationError(problem, code="name_characters")


def find_refused(data: Any, pattern: re.Pattern[str] = UNSTORABLE) -> str | None:
    """The first place in parsed JSON (keys and values, at any depth) where a string
    holds a character of ``pattern``: the top-level key it sits under, ``""`` for the
    body itself or for a key, or None when nothing does. Iterative, so depth costs no
    stack."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if pattern.search(item):
                return where
        elif isinstance(item, dict):
            for key, value in item.items():
                if isinstance(key, str) and pattern.search(key):
                    return ""
                stack.append((value, where or (key if data is item else "")))
        elif isinstance(item, list):
            stack.extend((value, where) for value in item)
    return None


# --- JSON ---------------------------------------------------------------------------------

# A string, escapes and all; one cut short runs to the end (so the scan stays linear).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.?[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def json_text(body: bytes) -> str | None:
    """``body`` decoded the way ``json.loads`` decodes bytes (UTF-8, UTF-16 or UTF-32,
    a BOM dropped, encoded surrogates let through), or None when it cannot be decoded.
    Scanning the text rather than the bytes keeps a UTF-16 character from hiding a
    bracket or a quote."""
    try:
        return body.decode(json.detect_encoding(body), "surrogatepass")
    except (UnicodeDecodeError, LookupError):
        return None


def json_too_deep(text: str, limit: int) -> bool:
    """True when ``text``, read as JSON, nests arrays and objects deeper than ``limit``.

    Cheap and without recursion: strings are cut out, everything but brackets is
    dropped, and each pass removes the innermost pairs (so a well-formed body of depth
    d is empty after d passes). A body that still has pairs after ``limit`` passes is
    too deep; what is left without pairs is closers then openers (``]]][[``, a body
    cut short), too deep when it holds more than ``limit`` openers. What passes nests
    at most ``2 * limit`` deep, which ``json.loads`` parses without trouble."""
    if text.count("[") + text.count("{") <= limit:
        return False  # the common case: too few openers to nest that deep at all
    brackets = _NOT_BRACKETS.sub("", _JSON_STRING.sub("", text))
    brackets = brackets.replace("{", "[").replace("}", "]")
    for _pass in range(limit):
        shorter = brackets.replace("[]", "")
        if len(shorter) == len(brackets):
            break
        brackets = shorter
    else:
        if "[]" in brackets:
            return True
    return brackets.count("[") > limit


# --- Dates ------------------------------------------------------------------------------------

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)

Moment = TypeVar("Moment", dt.date, dt.datetime)


def date_range_message() -> str:
    return _("日付は%(first)sから%(last)sまでの範囲で指定してください。") % {
        "first": f"{DATE_MIN.year}年{DATE_MIN.month}月{DATE_MIN.day}日",
        "last": f"{DATE_MAX.year}年{DATE_MAX.month}月{DATE_MAX.day}日",
    }


class DateOutOfRange(DomainError):
    """A readable date outside :data:`DATE_MIN`–:data:`DATE_MAX` (422, ``out_of_range``).
    A :class:`DomainError`, not a ``ValueError``: code that falls back quietly on an
    unreadable date does not swallow it, and a parser that forgets it still answers
    with a Japanese message instead of a 500."""

    def __init__(self, field: str | None = None) -> None:
        message = date_range_message()
        super().__init__(
            message,
            code="out_of_range",
            status=422,
            field_errors={field: [message]} if field else None,
        )


def date_in_range(value: dt.date) -> bool:
    """True for a date, or a datetime whose wall-clock date, in the range."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return DATE_MIN <= day <= DATE_MAX


def check_date_range(value: Moment, *, field: str | None = None) -> Moment:
    """``value`` unchanged, or :class:`DateOutOfRange` naming ``field``."""
    if not date_in_range(value):
        raise DateOutOfRange(field)
    return value


def parse_iso_date(text: str, *, field: str | None = None) -> dt.date:
    """A date in ISO 8601 (``YYYY-MM-DD``). ``ValueError`` when it cannot be read,
    :class:`DateOutOfRange` when it lies outside the range."""
    return check_date_range(dt.date.fromisoformat(text), field=field)


def parse_iso_datetime(text: str, *, field: str | None = None) -> dt.datetime:
    """A date and time in ISO 8601, with or without an offset. ``ValueError`` when it
    cannot be read, :class:`DateOutOfRange` when it lies outside the range."""
    return check_date_range(dt.datetime.fromisoformat(text), field=field)


def validate_date_in_range(value: dt.date | None) -> None:
    """The range as a Django form validator (``DateField(validators=[…])``), so that a
    form shows the message next to its field and keeps what was typed."""
    if value is not None and not date_in_range(value):
        raise ValidationError(date_range_message(), code="out_of_range")
