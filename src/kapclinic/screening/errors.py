"""The codes of screening's refusals."""

from kapclinic.errors import ErrorCode


class ScreeningCode(ErrorCode):
    INVALID = "screening.invalid"
    SIGNER_PASSWORD_WRONG = "screening.signer_password_wrong"  # noqa: S105 (a code, not a secret)
    SIGNER_LOCKED = "screening.signer_locked"
