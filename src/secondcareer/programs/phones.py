"""The centre's published booking dial: what a valid one looks like and its ``tel:``
link. Pure (``phonenumbers`` only); the preset reader, the model's validator and the
pages share it.

A dial is written the way callers dial it: digits with hyphens, brackets or spaces,
starting with the trunk prefix 0 (no +81), and ``phonenumbers`` must hold it to be a
valid Japanese number. The shipped presets carry placeholders of that shape whose
local number starts with 0 (078-000-0000): the Japanese numbering plan gives no
subscriber a local number starting with 0 (it is the trunk prefix), so the
placeholder can never ring anyone, while ``phonenumbers``, whose Japanese metadata
checks the area code only, accepts it. See docs/programs/saitama.md (``contact``).
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

_DIAL_CHARS = re.compile(r"^0[0-9()\- ]+$")


def normalize_dial(text: str) -> str | None:
    """``text`` NFKC-normalised and stripped when it is a valid dial, else None."""
    dial = unicodedata.normalize("NFKC", text or "").strip()
    if not _DIAL_CHARS.match(dial):
        return None
    try:
        number = phonenumbers.parse(dial, "JP")
    except phonenumbers.NumberParseException:
        return None
    return dial if phonenumbers.is_valid_number(number) else None


def tel_uri(dial: str) -> str:
    """``tel:+81-78-000-0000`` (RFC 3966) for a dial, "" for anything else."""
    if normalize_dial(dial) is None:
        return ""
    number = phonenumbers.parse(unicodedata.normalize("NFKC", dial), "JP")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966)


def local_number_starts_with_zero(dial: str) -> bool:
    """True for a placeholder no subscriber can hold: the digits after the area code
    begin with 0 (078-000-0000)."""
    if normalize_dial(dial) is None:
        return False
    number = phonenumbers.parse(unicodedata.normalize("NFKC", dial), "JP")
    national = phonenumbers.national_significant_number(number)
    area = phonenumbers.length_of_geographical_area_code(number)
    return area > 0 and national[area:].startswith("0")
