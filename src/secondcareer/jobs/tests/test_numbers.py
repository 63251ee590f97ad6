"""法人番号's check digit (平成26年財務省令第70号 第2条) and 事業所番号's shape."""

from __future__ import annotations

import pytest

from secondcareer.core.errors import DomainError
from secondcareer.jobs.numbers import corporate_check_digit, is_corporate_number
from secondcareer.jobs.services import employer_create
from secondcareer.programs.models import Program


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("7123456789012", True),  # the worked example of the rule
        ("4011001098993", True),  # a registered company's number
        ("5123456789012", False),  # check digit off by two
        ("4011001098994", False),  # a base digit mistyped
        ("0123456789012", False),  # a check digit is never 0
        ("712345678901", False),  # 12 digits
        ("712345678901a", False),
    ],
)
def test_a_corporate_number_is_valid_only_with_its_check_digit(number: str, valid: bool) -> None:
    assert is_corporate_number(number) is valid


def test_the_check_digit_weights_alternate_from_the_right() -> None:
    # 2×1 + 1×2 + 0×1 + 9×2 + 8×1 + 7×2 + 6×1 + 5×2 + 4×1 + 3×2 + 2×1 + 1×2 = 74; 9 − 74 mod 9
    assert corporate_check_digit("123456789012") == 7
    assert corporate_check_digit("000000000009") == 9 - 9 % 9


def test_an_employer_with_a_wrong_corporate_number_is_refused_in_japanese(
    program: Program,
) -> None:
    with pytest.raises(DomainError) as caught:
        employer_create(program=program, name="株式会社テスト", corporate_number="5123456789012")
    assert "検査用数字" in caught.value.message
    assert not program.employers.exists()


def test_an_employer_with_a_badly_shaped_office_number_is_refused(program: Program) -> None:
    with pytest.raises(DomainError) as caught:
        employer_create(program=program, name="株式会社テスト", office_number="1301-12345-6")
    assert "事業所番号" in caught.value.message


def test_an_employer_with_valid_numbers_and_contacts_is_stored(program: Program) -> None:
    employer = employer_create(
        program=program,
        name="株式会社テスト",
        corporate_number="7123456789012",
        office_number="1301-123456-7",
        industry="P",
        contacts=[{"name": "山田 花子", "role": "人事課長", "phone": "03-1234-5678"}],
    )
    assert employer.get_industry_display() == "医療，福祉"
    assert [c.name for c in employer.contacts.all()] == ["山田 花子"]
