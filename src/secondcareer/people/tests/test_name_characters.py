"""Names and furigana cannot hold bidirectional controls or other invisible formatting
characters (core.inputs.name_problem): 「山田\u202e」 would show reversed text after the
name, and 「ヤマ\u200bダ」 looks like 「ヤマダ」 but is another name. The registration
service refuses them for every channel (web, LINE, phone, desk), with a message on the
field."""

from __future__ import annotations

import datetime as dt

import pytest

from secondcareer.core.errors import DomainError
from secondcareer.people.models import Seeker
from secondcareer.people.services import seeker_register

BASE = dict(
    actor=None,
    channel="web",
    family_name="鈴木",
    given_name="一郎",
    family_name_kana="スズキ",
    given_name_kana="イチロウ",
    birth_date=dt.date(1958, 4, 2),
    phone="090-1234-5678",
    registered_on=dt.date(2026, 11, 20),
)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("family_name", "鈴木\u202e"),
        ("given_name", "\u2066一郎\u2069"),
        ("family_name", "鈴\u200b木"),
        ("given_name_kana", "イチ\u200eロウ"),
        ("family_name_kana", "\u202bスズキ"),
    ],
)
def test_a_name_with_an_invisible_control_is_refused_on_its_field(program, field, value):
    with pytest.raises(DomainError) as caught:
        seeker_register(program=program, **{**BASE, field: value})

    assert caught.value.status == 422  # readable, but refused
    [message] = caught.value.field_errors[field]
    assert "見えない制御文字" in message
    assert not Seeker.objects.exists()


def test_a_name_with_an_ideographic_variation_selector_is_kept(program):
    seeker = seeker_register(program=program, **{**BASE, "family_name": "葛\U000e0100城"})
    assert seeker.family_name == "葛\U000e0100城"
