"""Why a referral action was refused."""

from kapclinic.errors import Conflict, DomainError, ErrorCode


class ReferralCode(ErrorCode):
    INVALID = "referral.invalid"
    WRONG_STATUS = "referral.wrong_status"
    DUPLICATE_NUMBER = "referral.duplicate_number"


class ReferralError(DomainError):
    code = ReferralCode.INVALID


class WrongStatus(Conflict):
    code = ReferralCode.WRONG_STATUS
