import datetime as dt

import pytest

from secondcareer.conftest import register_seeker
from secondcareer.people.cards import format_card_number, parse_card_number


def test_card_numbers_read_program_year_serial_and_check_digit():
    number = format_card_number("ST", 2026, 42)
    assert number.startswith("ST-26-00042-")
    assert parse_card_number(number) == number


@pytest.mark.parametrize("typed", ["st-26-00042-{c}", "ＳＴ２６０００４２{c}", "ST 26 00042 {c}"])
def test_a_card_number_typed_any_way_is_recognised(typed):
    number = format_card_number("ST", 2026, 42)
    check = number[-1]
    assert parse_card_number(typed.format(c=check)) == number


def test_a_mistyped_digit_is_caught_by_the_check_digit():
    number = format_card_number("ST", 2026, 42)
    wrong = number.replace("00042", "00043")
    assert parse_card_number(wrong) is None


def test_cards_are_numbered_in_order_per_program_and_fiscal_year(program, other_program):
    first = register_seeker(program, birth_date=dt.date(1960, 1, 1))
    second = register_seeker(program, birth_date=dt.date(1961, 1, 1), phone="080-1111-2222")
    elsewhere = register_seeker(other_program, birth_date=dt.date(1962, 1, 1))
    assert first.card_number.startswith("AL-26-00001-")
    assert second.card_number.startswith("AL-26-00002-")
    assert elsewhere.card_number.startswith("BE-26-00001-")
