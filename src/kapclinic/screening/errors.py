"""The codes of screening's refusals."""

from kapclinic.errors import ErrorCode


class ScreeningCode(ErrorCode):
    INVALID = "screening.invalid"
