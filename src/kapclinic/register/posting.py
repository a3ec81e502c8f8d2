"""Posting one ledger entry: lock the (clinic, lot) balance, check the movement, write both.

Every write to the register goes through `post_entry`, inside the caller's transaction.
The balance row is taken with SELECT ... FOR UPDATE, so concurrent writers on the same lot
wait for each other and each sees the balance the previous one left; the check constraint
on Balance is the last line of defence. `verify_balances` recomputes every balance from
the ledger alone and reports any difference.
"""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.clinical.ledger import EntryKind, LedgerRefusal, check_movement
from kapclinic.clinical.reasons import Refusal
from kapclinic.clinics.models import Clinic
from kapclinic.register.errors import RegisterCode, RegisterError
from kapclinic.register.models import Balance, LedgerEntry, Lot


def locked_balance(clinic: Clinic, lot: Lot) -> Balance:
    """The balance row, locked; created at zero the first time (a racing creator wins)."""
    balances = Balance.objects.select_for_update()
    found = balances.filter(clinic=clinic, lot=lot).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            Balance.objects.create(clinic=clinic, lot=lot, quantity_mg=0)
    except IntegrityError:
        pass  # Another transaction created it first; lock theirs.
    return balances.get(clinic=clinic, lot=lot)


def _refused(
    refusal: Refusal, balance: int, change: int, lot: Lot, clinic: Clinic
) -> RegisterError:
    if refusal.code == LedgerRefusal.STOCK_SHORT:
        message = _(
            "Not enough stock: %(clinic)s holds %(balance)s mg of %(lot)s, "
            "so %(asked)s mg cannot be taken out."
        ) % {"clinic": clinic, "balance": balance, "lot": lot, "asked": -change}
        return RegisterError(message, code=RegisterCode.STOCK_SHORT, on_hand_mg=balance)
    return RegisterError(
        _("A ledger entry moves at least 1 mg."),
        code=RegisterCode.QUANTITY_ZERO,
        on_hand_mg=balance,
    )


@transaction.atomic
def post_entry(
    *,
    by: User,
    clinic: Clinic,
    lot: Lot,
    kind: EntryKind,
    change_mg: int,
    balance: Balance | None = None,
    **fields: Any,
) -> LedgerEntry:
    """Append one entry and move the balance with it, or refuse and write nothing.

    A caller that already holds the lock passes its `balance` row (from `locked_balance` in
    the same transaction) rather than have it locked a second time."""
    if balance is None:
        balance = locked_balance(clinic, lot)
    elif (balance.clinic_id, balance.lot_id) != (clinic.pk, lot.pk):
        raise ValueError("the balance passed is not this clinic's balance of this lot")
    refusal = check_movement(balance.quantity_mg, change_mg)
    if refusal is not None:
        raise _refused(refusal, balance.quantity_mg, change_mg, lot, clinic)
    balance.quantity_mg += change_mg
    balance.save(update_fields=["quantity_mg"])
    return LedgerEntry.objects.create(
        clinic=clinic,
        lot=lot,
        kind=kind,
        quantity_mg=change_mg,
        balance_after_mg=balance.quantity_mg,
        recorded_by=by,
        **fields,
    )


@dataclass(frozen=True)
class BalanceMismatch:
    clinic_id: int
    lot_id: int
    stored_mg: int
    ledger_mg: int


def verify_balances() -> list[BalanceMismatch]:
    """Every (clinic, lot) whose stored balance differs from the sum of its ledger entries."""
    sums = {
        (row["clinic_id"], row["lot_id"]): row["total"]
        for row in LedgerEntry.objects.values("clinic_id", "lot_id").annotate(
            total=Sum("quantity_mg")
        )
    }
    stored = {(b.clinic_id, b.lot_id): b.quantity_mg for b in Balance.objects.all()}
    return [
        BalanceMismatch(key[0], key[1], stored.get(key, 0), sums.get(key, 0))
        for key in sorted(set(sums) | set(stored))
        if stored.get(key, 0) != sums.get(key, 0)
    ]
