"""The shared input rules (core.inputs): characters, names, JSON depth and the date
range, as every parser and the input middleware use them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from secondcareer.core.commands import iso_date
from secondcareer.core.inputs import (
    DATE_MAX,
    DATE_MIN,
    DateOutOfRange,
    find_refused,
    json_text,
    json_too_deep,
    name_problem,
    parse_iso_date,
    parse_iso_datetime,
    refused_in_address,
    refused_in_text,
    validate_date_in_range,
)
from secondcareer.core.jpcalendar import parse_date_ja

# --- characters -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "x\udfff", "\x1b[31m", "\x08", "\ufffe"])
def test_nul_surrogates_and_control_characters_are_refused(text):
    assert refused_in_text(text)


@pytest.mark.parametrize("text", ["山田\t太郎", "一行目\n二行目\r\n", "ｶﾀｶﾅ", "😀", "\u200f"])
def test_tabs_newlines_and_every_real_character_pass(text):
    assert not refused_in_text(text)


@pytest.mark.parametrize("text", ["\u202e", "a\u2066b", "\u200e", "\u061c"])
def test_bidi_controls_are_refused_in_an_address_but_not_in_free_text(text):
    assert refused_in_address(text)
    assert not refused_in_text(text)


@pytest.mark.parametrize(
    "name",
    ["山田\u202e", "\u2067太郎", "ヤマ\u200bダ", "\ufeff花子", "鈴\u200d木", "a\x00"],
)
def test_a_name_with_an_invisible_or_control_character_has_a_problem(name):
    problem = name_problem(name)
    assert problem is not None
    assert problem.endswith("。")


@pytest.mark.parametrize("name", ["山田", "やまだ", "ヤマダ", "髙橋", "葛\U000e0100城", "Smith"])
def test_ordinary_names_and_ideographic_variants_have_no_problem(name):
    assert name_problem(name) is None


def test_find_refused_names_the_top_level_field_and_looks_inside_lists_and_keys():
    assert find_refused({"program": "kobe", "topic": ["a", {"b": "\x00"}]}) == "topic"
    assert find_refused({"a\x00": 1}) == ""
    assert find_refused(["\ud800"]) == ""
    assert find_refused({"program": "kobe", "n": 1, "x": None}) is None


def test_find_refused_walks_a_deep_structure_without_recursion():
    deep: object = "\x00"
    for _ in range(5000):
        deep = [deep]
    assert find_refused({"top": deep}) == "top"


# --- JSON depth ----------------------------------------------------------------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [0, 1, 5, 32])
def test_json_up_to_the_limit_passes(depth):
    assert not json_too_deep(nested(depth), 32)


@pytest.mark.parametrize(
    "body",
    [
        nested(33),
        '{"a":' * 1000 + "1" + "}" * 1000,
        "[" * 100_000,  # cut short: json.loads would recurse through every opener
        "[{" * 20 + "}]" * 20,
    ],
)
def test_json_past_the_limit_is_too_deep(body):
    assert json_too_deep(body, 32)


def test_brackets_inside_strings_and_escaped_quotes_do_not_count():
    body = json.dumps({"a": "[" * 1000, "b": '\\"[[[[' * 100})
    assert not json_too_deep(body, 32)


def test_a_body_in_utf_16_is_scanned_as_the_text_json_loads_would_read():
    body = ("[" * 40 + "]" * 40).encode("utf-16")
    text = json_text(body)
    assert text is not None
    assert json_too_deep(text, 32)
    assert json_text(b'{"a": "\xff"}') is None


def test_surrogates_encoded_in_utf_8_are_decoded_as_json_loads_decodes_them():
    body = '{"program": "\ud800"}'.encode("utf-8", "surrogatepass")
    assert json.loads(body) == {"program": "\ud800"}  # what a view would get
    assert find_refused(json.loads(json_text(body) or "")) == "program"


@given(st.recursive(st.none() | st.text(max_size=5), lambda c: st.lists(c, max_size=3)))
def test_the_scan_agrees_with_the_real_depth_of_any_json(value):
    def depth(item):
        return 1 + max(map(depth, item), default=0) if isinstance(item, list) else 0

    body = json.dumps(value)
    assert json_too_deep(body, 3) == (depth(value) > 3)


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "2101-01-01", "1899-12-31"])
def test_an_iso_date_outside_the_range_is_out_of_range_with_its_field(text):
    with pytest.raises(DateOutOfRange) as caught:
        parse_iso_date(text, field="from")
    assert caught.value.status == 422
    assert caught.value.field_errors == {"from": [caught.value.message]}
    assert "1900年1月1日から2100年12月31日" in caught.value.message


def test_the_ends_of_the_range_are_in_it():
    assert parse_iso_date(DATE_MIN.isoformat()) == DATE_MIN
    assert parse_iso_date(DATE_MAX.isoformat()) == DATE_MAX
    assert parse_iso_datetime("2100-12-31T23:59:59-14:00").year == 2100


def test_a_datetime_at_the_end_of_year_9999_is_out_of_range_not_an_overflow():
    with pytest.raises(DateOutOfRange):
        parse_iso_datetime("9999-12-31T23:59:59-14:00")


def test_an_unreadable_date_is_still_a_value_error():
    with pytest.raises(ValueError):
        parse_iso_date("2026-13-45")


@pytest.mark.parametrize("text", ["9999-01-01", "0001-01-01", "令和99年1月1日"])
def test_parse_date_ja_refuses_dates_outside_the_range(text):
    with pytest.raises(DateOutOfRange):
        parse_date_ja(text)


def test_the_command_date_option_says_the_range():
    with pytest.raises(CommandError, match="2100年12月31日"):
        iso_date("9999-12-31")
    with pytest.raises(CommandError, match="2100年12月31日"):
        iso_date(dt.date(1, 1, 1))
    assert iso_date("2026-12-03") == dt.date(2026, 12, 3)


def test_the_form_validator_refuses_with_the_range_message():
    validate_date_in_range(dt.date(2026, 12, 3))
    validate_date_in_range(None)
    with pytest.raises(ValidationError) as caught:
        validate_date_in_range(dt.datetime(9999, 12, 31, 23, 59))
    assert caught.value.code == "out_of_range"
