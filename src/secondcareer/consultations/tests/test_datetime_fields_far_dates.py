"""A date and time with an offset that lands past year 9999 in Japan is a form error in
Japanese, not a 500 (the endpoint fuzz found it on the group record's start)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from secondcareer.consultations.forms import LocalDateTimeField


def test_a_moment_past_year_9999_in_japan_is_refused_as_invalid() -> None:
    field = LocalDateTimeField(error_messages={"invalid": "開始日時の形が正しくありません。"})
    with pytest.raises(ValidationError) as refused:
        field.clean("9999-12-31T23:59:59-14:00")
    assert refused.value.messages == ["開始日時の形が正しくありません。"]
