"""Health numbers: valid and invalid examples for Quebec (RAMQ) and British Columbia (PHN)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kapclinic.clinical.health_numbers import (
    InvalidHealthNumber,
    phn_check_digit,
    validate_health_number,
)


@pytest.mark.parametrize(
    ("province", "typed", "stored"),
    [
        ("BC", "9698 658 215", "9698658215"),  # the example in python-stdnum's bc_phn
        ("BC", "9698-658-215", "9698658215"),
        ("BC", "9000004212", "9000004212"),
        ("QC", "lavm 9051 0212", "LAVM90510212"),  # woman born 1990-01-02 (month 01 + 50)
        ("QC", "TREG94020494", "TREG94020494"),  # man born 1994-02-04
        ("QC", "BERE-8556-1512", "BERE85561512"),
    ],
)
def test_valid_numbers_are_normalised(province: str, typed: str, stored: str) -> None:
    assert validate_health_number(province, typed) == stored


@pytest.mark.parametrize(
    ("province", "typed", "message"),
    [
        ("BC", "9698658216", "fails its check digit"),
        ("BC", "9698648215", "fails its check digit"),
        ("BC", "5736504210", "10 digits starting with 9"),
        ("BC", "969865821", "10 digits starting with 9"),
        ("BC", "96986582150", "10 digits starting with 9"),
        ("BC", "969865821A", "10 digits starting with 9"),
        ("QC", "LAV 90510212", "4 letters followed by 8 digits"),
        ("QC", "LAVM9051021", "4 letters followed by 8 digits"),
        ("QC", "1AVM90510212", "4 letters followed by 8 digits"),
        ("QC", "LAVM90130212", "not a real date"),  # month 13
        ("QC", "LAVM90630212", "not a real date"),  # month 63 = 13 + 50
        ("QC", "LAVM90013212", "not a real date"),  # day 32
        ("QC", "LAVM90010012", "not a real date"),  # day 0
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(province: str, typed: str, message: str) -> None:
    with pytest.raises(InvalidHealthNumber, match=message):
        validate_health_number(province, typed)


def test_an_unknown_province_is_refused() -> None:
    with pytest.raises(InvalidHealthNumber, match="'ON' are not supported"):
        validate_health_number("ON", "1234567890")


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_a_phn_with_its_check_digit_validates_and_any_other_digit_does_not(body: str) -> None:
    check = phn_check_digit(body)
    for digit in range(10):
        number = f"9{body}{digit}"
        if digit == check:
            assert validate_health_number("BC", number) == number
        else:
            with pytest.raises(InvalidHealthNumber):
                validate_health_number("BC", number)
