"""Why a referral action was refused."""

from kapclinic.errors import Conflict, DomainError


class ReferralError(DomainError):
    code = "referral.invalid"


class NotVerified(ReferralError):
    code = "referral.referrer_not_verified"


class WrongStatus(Conflict):
    code = "referral.wrong_status"
