"""Provincial health numbers: normalise, and refuse what cannot be a real number.

Only the format and check digit are verified here; whether the number belongs to the
person is the province's registry's business.
"""

import re

# Conformance Standards vol. 4B, Application Rules - Client Registry (BC Ministry of
# Health): a PHN is 10 digits, the first is 9, the last a MOD-11 check digit over
# digits 2-9 with these weights.
PHN_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3)
# RAMQ (Regie de l'assurance maladie du Quebec) health insurance number: 3 letters of the
# surname, 1 of the given name, YYMMDD of birth (month + 50 for women), 2 digits.
RAMQ_PATTERN = re.compile(r"^[A-Z]{4}(\d{2})(\d{2})(\d{2})\d{2}$")
RAMQ_FEMALE_MONTH_OFFSET = 50
PROVINCES = ("QC", "BC")


class InvalidHealthNumber(ValueError):
    """The number cannot be a valid health number of that province."""


def compact(number: str) -> str:
    """Upper case, without the spaces and dashes people type."""
    return re.sub(r"[\s-]", "", number).upper()


def _validate_ramq(number: str) -> str:
    match = RAMQ_PATTERN.match(number)
    if match is None:
        raise InvalidHealthNumber(
            "A Quebec health insurance number (RAMQ) is 4 letters followed by 8 digits, "
            "e.g. ABCD 1234 5678."
        )
    month, day = int(match.group(2)), int(match.group(3))
    if month > RAMQ_FEMALE_MONTH_OFFSET:
        month -= RAMQ_FEMALE_MONTH_OFFSET
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise InvalidHealthNumber(
            "The birth date encoded in this RAMQ number (digits 3 to 6) is not a real date."
        )
    return number


def phn_check_digit(body: str) -> int | None:
    """The check digit for PHN digits 2-9, or None when no digit can complete them."""
    remainder = sum(int(d) * w for d, w in zip(body, PHN_WEIGHTS, strict=True)) % 11
    check = 11 - remainder
    return None if check >= 10 else check


def _validate_phn(number: str) -> str:
    if not re.fullmatch(r"\d{10}", number) or number[0] != "9":
        raise InvalidHealthNumber(
            "A BC Personal Health Number is 10 digits starting with 9, e.g. 9698 658 215."
        )
    if phn_check_digit(number[1:9]) != int(number[9]):
        raise InvalidHealthNumber(
            "This BC Personal Health Number fails its check digit: check for a typing error."
        )
    return number


def validate_health_number(province: str, number: str) -> str:
    """The normalised number, or InvalidHealthNumber with a sentence saying what is wrong."""
    if province not in PROVINCES:
        raise InvalidHealthNumber(
            f"Health numbers of {province!r} are not supported; expected one of {PROVINCES}."
        )
    normalised = compact(number)
    return _validate_ramq(normalised) if province == "QC" else _validate_phn(normalised)
