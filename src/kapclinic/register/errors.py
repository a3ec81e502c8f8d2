"""Refusals of the register, each with a stable code (the clinical.ledger codes reused)."""

from kapclinic.errors import DomainError, ErrorCode


class RegisterCode(ErrorCode):
    INVALID = "register.invalid"
    QUANTITY_ZERO = "quantity.zero"
    STOCK_SHORT = "stock.short"
    PRODUCT_DUPLICATE = "product.duplicate"
    LOT_EXPIRED = "lot.expired"
    LOT_EXPIRY_MISMATCH = "lot.expiry_mismatch"
    DOSE_NOT_WHOLE_UNITS = "dose.not_whole_units"
    REASON_MISSING = "reason.missing"
    TRANSFER_SAME_CLINIC = "transfer.same_clinic"
    REVERSAL_NOT_REVERSIBLE = "reversal.not_reversible"
    REVERSAL_DONE = "reversal.done"
    COUNT_NEGATIVE = "count.negative"
    DISCREPANCY_SURPLUS = "discrepancy.surplus"
    DISCREPANCY_REPORTED = "discrepancy.reported"
    WITNESS_MISSING = "witness.missing"
    WITNESS_SELF = "witness.self"
    WITNESS_ROLE = "witness.role"
    WITNESS_CLINIC = "witness.clinic"
    WITNESS_LOCKED = "witness.locked"
    WITNESS_PASSWORD_WRONG = "witness.password"  # noqa: S105 (a code, not a password)


class RegisterError(DomainError):
    code = RegisterCode.INVALID
