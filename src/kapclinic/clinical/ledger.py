"""The controlled-substance ledger's arithmetic: which way each kind of entry moves stock,
whether a movement is allowed, and when a loss or theft must be reported.

Quantities are whole milligrams of ketamine hydrochloride: the unit the physician orders and
the register reports in, whatever the product's form (a tablet or a spray actuation is its
strength in mg). Pure Python: the register app stores entries and locks balances.
"""

from datetime import date, datetime, timedelta
from enum import StrEnum

from kapclinic.clinical.reasons import Refusal

# Narcotic Control Regulations s.55(g) and Health Canada CS-GD-005: a practitioner reports a
# loss or theft of a narcotic to Health Canada within 10 (calendar) days of its discovery.
LOSS_REPORT_WITHIN = timedelta(days=10)


class EntryKind(StrEnum):
    RECEIPT = "receipt"
    ADMINISTRATION = "administration"
    WASTE = "waste"
    DESTRUCTION = "destruction"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    COUNT_ADJUSTMENT = "count_adjustment"
    REVERSAL = "reversal"


class LedgerRefusal(StrEnum):
    """The codes of the refusals below (the register's error codes reuse them)."""

    QUANTITY_ZERO = "quantity.zero"
    STOCK_SHORT = "stock.short"
    LOT_EXPIRED = "lot.expired"


INFLOWS = frozenset({EntryKind.RECEIPT, EntryKind.TRANSFER_IN})
OUTFLOWS = frozenset(
    {EntryKind.ADMINISTRATION, EntryKind.WASTE, EntryKind.DESTRUCTION, EntryKind.TRANSFER_OUT}
)
# A physical count is a fact and a reversal is itself the correction: neither is reversed.
NOT_REVERSIBLE = frozenset({EntryKind.COUNT_ADJUSTMENT, EntryKind.REVERSAL})


def signed_quantity(kind: EntryKind, quantity_mg: int) -> int:
    """The change to the balance an entry of `kind` for `quantity_mg` makes (outflows negative)."""
    if kind in INFLOWS:
        return quantity_mg
    if kind in OUTFLOWS:
        return -quantity_mg
    raise ValueError(f"{kind} entries carry their own sign")


def check_movement(balance_mg: int, change_mg: int) -> Refusal | None:
    """None when the balance may move by `change_mg`; the reason otherwise."""
    if change_mg == 0:
        return Refusal(LedgerRefusal.QUANTITY_ZERO, "A ledger entry moves at least 1 mg.")
    if balance_mg + change_mg < 0:
        return Refusal(
            LedgerRefusal.STOCK_SHORT,
            f"Only {balance_mg} mg are on hand; {-change_mg} mg cannot be taken out.",
        )
    return None


def check_usable(expiry: date, today: date) -> Refusal | None:
    """An expired lot may still be counted, moved or destroyed, never given to a patient."""
    if expiry < today:
        return Refusal(LedgerRefusal.LOT_EXPIRED, f"This lot expired on {expiry.isoformat()}.")
    return None


def loss_report_due(discovered_at: datetime) -> datetime:
    return discovered_at + LOSS_REPORT_WITHIN
