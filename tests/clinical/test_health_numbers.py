"""Health numbers: valid and invalid examples for Quebec (RAMQ) and British Columbia (PHN)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kapclinic.clinical.health_numbers import (
    PHN_CHECK_MESSAGE,
    PHN_FORMAT_MESSAGE,
    RAMQ_DATE_MESSAGE,
    RAMQ_FORMAT_MESSAGE,
    InvalidHealthNumber,
    RamqBirthInfo,
    RamqSexMarker,
    phn_check_digit,
    ramq_birth_info,
    validate_health_number,
)


@pytest.mark.parametrize(
    ("province", "typed", "stored"),
    [
        ("BC", "9698 658 215", "9698658215"),  # python-stdnum bc_phn example; sum 281, 11 - 6 = 5
        ("BC", "9698-658-215", "9698658215"),
        ("BC", " 9698658215\t", "9698658215"),
        ("BC", "9000004212", "9000004212"),  # computed: weighted sum 53, 53 % 11 = 9, 11 - 9 = 2
        ("BC", "9876543218", "9876543218"),  # computed: weighted sum 201, 201 % 11 = 3, 11 - 3 = 8
        ("BC", "9999999998", "9999999998"),  # computed: weighted sum 432, 432 % 11 = 3, 11 - 3 = 8
        ("QC", "lavm 9051 0212", "LAVM90510212"),  # woman born 1990-01-02 (month 01 + 50)
        ("QC", "TREG94020494", "TREG94020494"),  # man born 1994-02-04
        ("QC", "BERE-8556-1512", "BERE85561512"),
        ("QC", "Bere 8562 3112", "BERE85623112"),  # 31 December, month 12 + 50
    ],
)
def test_valid_numbers_are_normalised(province: str, typed: str, stored: str) -> None:
    assert validate_health_number(province, typed) == stored


@pytest.mark.parametrize(
    ("province", "typed", "message"),
    [
        ("BC", "9698658216", PHN_CHECK_MESSAGE),  # last digit changed
        ("BC", "9698648215", PHN_CHECK_MESSAGE),  # a middle digit changed
        ("BC", "9876543219", PHN_CHECK_MESSAGE),
        ("BC", "9000000000", PHN_CHECK_MESSAGE),  # remainder 0: check would be 11 (see below)
        ("BC", "5736504210", PHN_FORMAT_MESSAGE),  # does not start with 9
        ("BC", "969865821", PHN_FORMAT_MESSAGE),  # 9 digits
        ("BC", "96986582150", PHN_FORMAT_MESSAGE),  # 11 digits
        ("BC", "969865821A", PHN_FORMAT_MESSAGE),  # a letter
        ("BC", "", PHN_FORMAT_MESSAGE),
        ("BC", "٩٦٩٨٦٥٨٢١٥", PHN_FORMAT_MESSAGE),  # Arabic-Indic digits are not accepted
        ("QC", "LAV 90510212", RAMQ_FORMAT_MESSAGE),  # 3 letters
        ("QC", "LAVM9051021", RAMQ_FORMAT_MESSAGE),  # 7 digits
        ("QC", "LAVM905102123", RAMQ_FORMAT_MESSAGE),  # 9 digits
        ("QC", "1AVM90510212", RAMQ_FORMAT_MESSAGE),
        ("QC", "LAVM90510212X", RAMQ_FORMAT_MESSAGE),
        ("QC", "9698658215", RAMQ_FORMAT_MESSAGE),  # a BC number given as Quebec's
        ("QC", "LAVM90130212", RAMQ_DATE_MESSAGE),  # month 13
        ("QC", "LAVM90630212", RAMQ_DATE_MESSAGE),  # month 63 = 13 + 50
        ("QC", "LAVM90000212", RAMQ_DATE_MESSAGE),  # month 00
        ("QC", "LAVM90500212", RAMQ_DATE_MESSAGE),  # month 50 = 0 + 50
        ("QC", "LAVM90013212", RAMQ_DATE_MESSAGE),  # day 32
        ("QC", "LAVM90010012", RAMQ_DATE_MESSAGE),  # day 0
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(province: str, typed: str, message: str) -> None:
    with pytest.raises(InvalidHealthNumber) as raised:
        validate_health_number(province, typed)
    assert str(raised.value) == message


def test_the_messages_say_what_a_valid_number_looks_like() -> None:
    assert RAMQ_FORMAT_MESSAGE == (
        "A Quebec health insurance number (RAMQ) is 4 letters followed by 8 digits, "
        "e.g. ABCD 1234 5678."
    )
    assert PHN_FORMAT_MESSAGE == (
        "A BC Personal Health Number is 10 digits starting with 9, e.g. 9698 658 215."
    )
    assert validate_health_number("BC", "9698 658 215") == "9698658215"  # the example is valid


def test_an_unknown_province_is_refused() -> None:
    with pytest.raises(InvalidHealthNumber) as raised:
        validate_health_number("ON", "1234567890")
    assert str(raised.value) == "Health numbers of 'ON' are not supported; expected one of QC, BC."


def test_an_invalid_health_number_is_a_value_error() -> None:
    assert issubclass(InvalidHealthNumber, ValueError)


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("69865821", 5),
        ("00000421", 2),
        ("87654321", 8),
        ("00000000", None),  # remainder 0 -> 11: no digit completes it
        ("00000004", None),  # remainder 1 -> 10: no digit completes it
    ],
)
def test_phn_check_digit(body: str, check: int | None) -> None:
    assert phn_check_digit(body) == check


def test_a_remainder_of_zero_has_no_valid_check_digit() -> None:
    """The Province's validator (bcgov/healthgateway) refuses it; python-stdnum would accept 0."""
    for digit in range(10):
        with pytest.raises(InvalidHealthNumber):
            validate_health_number("BC", f"900000000{digit}")


@pytest.mark.parametrize(
    ("number", "info"),
    [
        ("LAVM 9051 0212", RamqBirthInfo(90, 1, 2, RamqSexMarker.FEMALE)),
        ("TREG94020494", RamqBirthInfo(94, 2, 4, RamqSexMarker.MALE)),
        ("BERE85623112", RamqBirthInfo(85, 12, 31, RamqSexMarker.FEMALE)),
        ("ABCD00123112", RamqBirthInfo(0, 12, 31, RamqSexMarker.MALE)),
    ],
)
def test_ramq_birth_info_decodes_the_birth_date(number: str, info: RamqBirthInfo) -> None:
    assert ramq_birth_info(number) == info


def test_ramq_birth_info_refuses_what_validation_refuses() -> None:
    with pytest.raises(InvalidHealthNumber, match="not a real date"):
        ramq_birth_info("LAVM90630212")
    with pytest.raises(InvalidHealthNumber, match="4 letters followed by 8 digits"):
        ramq_birth_info("LAVM9051")


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


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=4),
    st.integers(0, 99),
    st.integers(1, 12),
    st.booleans(),
    st.integers(1, 31),
    st.integers(0, 99),
)
def test_every_encodable_ramq_birth_date_validates_and_decodes(
    letters: str, yy: int, month: int, female: bool, day: int, admin: int
) -> None:
    encoded_month = month + 50 if female else month
    number = f"{letters}{yy:02d}{encoded_month:02d}{day:02d}{admin:02d}"
    assert validate_health_number("QC", number.lower()) == number
    marker = RamqSexMarker.FEMALE if female else RamqSexMarker.MALE
    assert ramq_birth_info(number) == RamqBirthInfo(yy, month, day, marker)


def test_a_refusal_carries_its_sentence_as_a_phrase_a_form_translates() -> None:
    with pytest.raises(InvalidHealthNumber) as raised:
        validate_health_number("QC", "BERE 1234 5678")
    assert raised.value.phrase.template == RAMQ_DATE_MESSAGE
    assert str(raised.value) == RAMQ_DATE_MESSAGE
