"""Identifying numbers of employers, checked without the database.

- 法人番号 (corporate number, National Tax Agency): 13 digits, the first of which is a
  check digit over the 12-digit base number (平成26年財務省令第70号 第2条):
  ``9 − (Σ Pn × Qn mod 9)``, where Pn is the n-th digit of the base number counted from
  its lowest digit and Qn is 1 for odd n, 2 for even n. Example: 7123456789012.
- 事業所番号 (Hello Work establishment number): ``####-######-#``.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from secondcareer.core.text import normalize_text

_CORPORATE = re.compile(r"^[1-9]\d{12}$")
OFFICE_NUMBER = re.compile(r"^\d{4}-\d{6}-\d$")


def corporate_check_digit(base: str) -> int:
    """The check digit of a 12-digit base number."""
    if not re.fullmatch(r"\d{12}", base):
        raise ValueError(f"a base number has 12 digits: {base!r}")
    total = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(base), 1))
    return 9 - total % 9


def is_corporate_number(value: str) -> bool:
    """True for a 13-digit 法人番号 whose first digit checks out."""
    return bool(_CORPORATE.match(value)) and corporate_check_digit(value[1:]) == int(value[0])


def normalize_office_number(value: str) -> str:
    """Full-width digits and hyphens to half-width (「１３０１－１２３４５６－７」)."""
    return normalize_text(value).replace("ー", "-").replace("−", "-").replace(" ", "")


def validate_corporate_number(value: str) -> None:
    if not value:
        return
    if not re.fullmatch(r"\d{13}", value):
        raise ValidationError(_("法人番号は13桁の数字で入力してください。"), code="format")
    if not is_corporate_number(value):
        raise ValidationError(
            _("法人番号の検査用数字（先頭の1桁）が合いません。番号を確かめてください。"),
            code="check_digit",
        )


def validate_office_number(value: str) -> None:
    if value and not OFFICE_NUMBER.match(value):
        raise ValidationError(
            _("事業所番号は「1234-567890-1」の形（4桁-6桁-1桁）で入力してください。"),
            code="format",
        )
