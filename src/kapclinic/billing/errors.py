"""Why a billing action was refused."""

from kapclinic.errors import Conflict, DomainError


class BillingError(DomainError):
    code = "billing.invalid"


class AlreadyInvoiced(Conflict):
    code = "billing.already_invoiced"


class NotDelivered(BillingError):
    code = "billing.not_delivered"


class NoFee(BillingError):
    code = "billing.no_fee"


class Overpayment(BillingError):
    code = "billing.overpayment"


class CreditTooLarge(BillingError):
    code = "billing.credit_too_large"
