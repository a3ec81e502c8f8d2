"""Why a billing action was refused."""

from kapclinic.errors import Conflict, DomainError, ErrorCode


class BillingCode(ErrorCode):
    INVALID = "billing.invalid"
    ALREADY_INVOICED = "billing.already_invoiced"
    NOT_DELIVERED = "billing.not_delivered"
    CANCELLED = "billing.cancelled"
    NO_FEE = "billing.no_fee"
    OVERPAYMENT = "billing.overpayment"
    CREDIT_TOO_LARGE = "billing.credit_too_large"


class BillingError(DomainError):
    code = BillingCode.INVALID


class AlreadyInvoiced(Conflict):
    code = BillingCode.ALREADY_INVOICED


class NotDelivered(BillingError):
    code = BillingCode.NOT_DELIVERED


class NoFee(BillingError):
    code = BillingCode.NO_FEE


class Overpayment(BillingError):
    code = BillingCode.OVERPAYMENT


class CreditTooLarge(BillingError):
    code = BillingCode.CREDIT_TOO_LARGE
