"""User card numbers (利用者カード番号): readable when printed and read aloud.

Format ``ST-26-00042-7``: the program's prefix, the fiscal year of issue (two digits),
a five-digit serial within that program and year, and a Luhn check digit over the
digits, so a digit typed wrong at the desk or heard wrong on the phone is caught
instead of opening someone else's record. Pure functions; allocation is in services.
"""

from __future__ import annotations

import re
import unicodedata

_PARSE = re.compile(r"^([A-Z]{1,4})(\d{2})(\d{5})(\d)$")


def luhn_check_digit(digits: str) -> int:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def format_card_number(prefix: str, fiscal_year: int, serial: int) -> str:
    if not re.fullmatch(r"[A-Z]{1,4}", prefix):
        raise ValueError(f"card prefix must be 1–4 capital letters, got {prefix!r}")
    if not 1 <= serial <= 99999:
        raise ValueError("card serial out of range 1–99999")
    body = f"{fiscal_year % 100:02d}{serial:05d}"
    return f"{prefix}-{body[:2]}-{body[2:]}-{luhn_check_digit(body)}"


def parse_card_number(text: str) -> str | None:
    """The canonical card number for what a person typed (full-width, lower case,
    spaces or no hyphens are fine), or None when it is not a valid card number."""
    compact = re.sub(r"[\s\-‐‑–—―ー]", "", unicodedata.normalize("NFKC", text)).upper()
    match = _PARSE.match(compact)
    if not match:
        return None
    prefix, year, serial, check = match.groups()
    if luhn_check_digit(year + serial) != int(check):
        return None
    return f"{prefix}-{year}-{serial}-{check}"
