"""Provincial health numbers: normalise, and refuse what cannot be a real number.

Only the format, the encoded birth date (Quebec) and the check digit (British Columbia) are
verified here; whether the number belongs to the person is the province's registry's business.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from kapclinic.clinical.reasons import Phrase, PhraseValue, gettext_noop

# BC Ministry of Health, Appendix D "PHN Check Digit Number Routine" (HL7 compliance standards),
# as implemented by the Province in bcgov/healthgateway PhnValidator.cs: weights for digits 2-9.
PHN_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3)
# Same sources: the check digit is 11 minus (weighted sum mod 11); 10 or 11 means no valid PHN.
PHN_MODULUS = 11
# BC Ministry of Health, personal health identification: a PHN is 10 digits and starts with 9.
PHN_PATTERN = re.compile(r"9[0-9]{9}")
# RAMQ, information on the health insurance card: 3 letters of birth surname, 1 of given name,
# then YYMMDD of birth and a 2-digit administrative code.
RAMQ_PATTERN = re.compile(r"[A-Z]{4}(?P<yy>[0-9]{2})(?P<month>[0-9]{2})(?P<day>[0-9]{2})[0-9]{2}")
# RAMQ, information on the health insurance card: 50 is added to the month to indicate female.
RAMQ_FEMALE_MONTH_OFFSET = 50
PROVINCES = ("QC", "BC")

_ = gettext_noop
# English templates a form shows in the reader's language (kapclinic.said).
RAMQ_FORMAT_MESSAGE = _(
    "A Quebec health insurance number (RAMQ) is 4 letters followed by 8 digits, "
    "e.g. ABCD 1234 5678."
)
RAMQ_DATE_MESSAGE = _(
    "The birth month and day in this Quebec health insurance number (the 7th to 10th "
    "characters) are not a real date: check for a typing error."
)
PHN_FORMAT_MESSAGE = _(
    "A BC Personal Health Number is 10 digits starting with 9, e.g. 9698 658 215."
)
PHN_CHECK_MESSAGE = _(
    "This BC Personal Health Number fails its check digit: check for a typing error."
)


UNSUPPORTED_PROVINCE_MESSAGE = _(
    "Health numbers of %(province)s are not supported; expected one of %(provinces)s."
)


class InvalidHealthNumber(ValueError):
    """The number cannot be a valid health number of that province.

    `str()` is the English sentence; `phrase` is the same sentence for a form to translate.
    """

    def __init__(self, template: str, **values: PhraseValue) -> None:
        self.phrase = Phrase(template, values)
        super().__init__(str(self.phrase))


class RamqSexMarker(StrEnum):
    """What the month of a RAMQ number encodes (month + 50 means female), nothing more."""

    FEMALE = "F"
    MALE = "M"


@dataclass(frozen=True, slots=True)
class RamqBirthInfo:
    """The birth date a RAMQ number encodes; the century is not encoded, so only two digits."""

    yy: int
    month: int
    day: int
    sex_marker: RamqSexMarker


def compact(number: str) -> str:
    """Upper case, without the spaces and dashes people type."""
    return re.sub(r"[\s-]", "", number).upper()


def ramq_birth_info(number: str) -> RamqBirthInfo:
    """Decode year, month, day and sex marker, so staff can compare them with the chart."""
    match = RAMQ_PATTERN.fullmatch(compact(number))
    if match is None:
        raise InvalidHealthNumber(RAMQ_FORMAT_MESSAGE)
    month, day = int(match["month"]), int(match["day"])
    marker = RamqSexMarker.FEMALE if month > RAMQ_FEMALE_MONTH_OFFSET else RamqSexMarker.MALE
    if marker is RamqSexMarker.FEMALE:
        month -= RAMQ_FEMALE_MONTH_OFFSET
    # Day 1-31 whatever the month: without the century, 29 February cannot be checked anyway.
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise InvalidHealthNumber(RAMQ_DATE_MESSAGE)
    return RamqBirthInfo(yy=int(match["yy"]), month=month, day=day, sex_marker=marker)


def phn_check_digit(body: str) -> int | None:
    """The check digit for PHN digits 2-9, or None when no digit can complete them."""
    weighted = sum(int(digit) * weight for digit, weight in zip(body, PHN_WEIGHTS, strict=True))
    check = PHN_MODULUS - weighted % PHN_MODULUS
    return None if check >= 10 else check


def _validate_ramq(number: str) -> str:
    ramq_birth_info(number)
    return number


def _validate_phn(number: str) -> str:
    if PHN_PATTERN.fullmatch(number) is None:
        raise InvalidHealthNumber(PHN_FORMAT_MESSAGE)
    if phn_check_digit(number[1:9]) != int(number[9]):
        raise InvalidHealthNumber(PHN_CHECK_MESSAGE)
    return number


def validate_health_number(province: str, number: str) -> str:
    """The normalised number, or InvalidHealthNumber with a sentence saying what is wrong."""
    if province not in PROVINCES:
        raise InvalidHealthNumber(
            UNSUPPORTED_PROVINCE_MESSAGE, province=repr(province), provinces=", ".join(PROVINCES)
        )
    normalised = compact(number)
    return _validate_ramq(normalised) if province == "QC" else _validate_phn(normalised)
