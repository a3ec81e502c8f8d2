"""Why a referral action was refused."""

from kapclinic.errors import Conflict, DomainError


class ReferralError(DomainError):
    code = "referral.invalid"


class WrongStatus(Conflict):
    code = "referral.wrong_status"
