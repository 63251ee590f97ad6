"""Hello Work's wage texts → amounts and 賃金形態, without the database.

「1,100円～1,300円」「月給 180,000円」「時給1,000円〜」「日給 8,000円」: full-width digits
and signs are normalised first. A stated form (時給・時間額 / 日給・日額 / 月給・月額) wins;
without one, the amount decides: under 5,000円 hourly, under 50,000円 daily, else
monthly. A single amount is fixed (from = to); an amount followed by 〜 and nothing is
open-ended (to is None). Anything else raises :class:`WageError` with a Japanese reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from secondcareer.core.text import normalize_text

HOURLY = "hourly"
DAILY = "daily"
MONTHLY = "monthly"

_FORMS = {
    "時給": HOURLY,
    "時間給": HOURLY,
    "時間額": HOURLY,
    "日給": DAILY,
    "日額": DAILY,
    "月給": MONTHLY,
    "月額": MONTHLY,
}
_PATTERN = re.compile(
    r"^(?P<form>時給|時間給|時間額|日給|日額|月給|月額)?[:：]?"
    r"(?P<low>\d+)円?"
    r"(?:(?P<sep>[~〜\-ー−―])(?P<high>\d+)?円?)?"
    r"(?:以上)?$"
)
_HOURLY_BELOW = 5_000
_DAILY_BELOW = 50_000


class WageError(ValueError):
    """A wage text that cannot be read; ``message`` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Wage:
    low: int
    high: int | None
    form: str


def parse_wage(text: str) -> Wage:
    value = normalize_text(text).replace(",", "").replace(" ", "").replace("円以上", "円")
    match = _PATTERN.match(value)
    if not match:
        raise WageError(
            _("賃金を読み取れません（例: 「1,100円～1,300円」「月給 180,000円」）: %(text)s")
            % {"text": text}
        )
    low = int(match["low"])
    if match["sep"] is None:
        high: int | None = low
    else:
        high = int(match["high"]) if match["high"] else None
    if low <= 0:
        raise WageError(_("賃金の額が0円です: %(text)s") % {"text": text})
    if high is not None and high < low:
        raise WageError(_("賃金の上限が下限より低くなっています: %(text)s") % {"text": text})
    if match["form"]:
        form = _FORMS[match["form"]]
    elif low < _HOURLY_BELOW:
        form = HOURLY
    elif low < _DAILY_BELOW:
        form = DAILY
    else:
        form = MONTHLY
    return Wage(low=low, high=high, form=form)
