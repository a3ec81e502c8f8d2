"""Writes to the register: products, receipts, administrations, waste and destruction under
a re-authenticated witness, transfers between clinics, and reversing entries.

Every service runs in one transaction, posts through `posting.post_entry` (which locks the
balance) and writes its audit event in the same transaction. The one row written outside it
is a wrong witness password, kept after the refused waste has rolled back.
"""

import uuid
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.clinical.ledger import EntryKind, check_usable, signed_quantity
from kapclinic.clinical.orders import units_of, whole_units_refusal
from kapclinic.clinics.models import Clinic
from kapclinic.errors import NotPermitted
from kapclinic.register.access import HANDLING_ROLES
from kapclinic.register.errors import RegisterCode, RegisterError
from kapclinic.register.models import LedgerEntry, Lot, Product
from kapclinic.register.posting import locked_balance, post_entry
from kapclinic.register.witness import check_witness, record_failed_attempt
from kapclinic.said import said


def _audit(by: User, entry: LedgerEntry, **detail: Any) -> None:
    record_event(
        actor=by,
        action=Action.CREATE,
        target=entry,
        detail={"kind": entry.kind, "quantity_mg": entry.quantity_mg, **detail},
    )


def _positive(quantity_mg: int) -> None:
    if quantity_mg <= 0:
        raise RegisterError(_("Give a quantity of at least 1 mg."), code=RegisterCode.QUANTITY_ZERO)


def _handler(by: User) -> None:
    if by.role not in HANDLING_ROLES:
        raise NotPermitted(_("Only a physician or a nurse gives or destroys ketamine."))


@transaction.atomic
def add_product(
    *, by: User, name: str, form: str, strength_mg: int, unit: str, din: str = ""
) -> Product:
    if Product.objects.filter(name__iexact=name.strip()).exists():
        raise RegisterError(
            _("A product named %(name)s already exists.") % {"name": name.strip()},
            code=RegisterCode.PRODUCT_DUPLICATE,
        )
    product = Product(name=name, form=form, strength_mg=strength_mg, unit=unit, din=din)
    product.full_clean()
    product.save()
    record_event(actor=by, action=Action.CREATE, target=product)
    return product


@transaction.atomic
def receive_stock(
    *,
    by: User,
    clinic: Clinic,
    product: Product,
    lot_number: str,
    expiry: date,
    supplier: str,
    invoice: str,
    quantity_mg: int,
) -> LedgerEntry:
    """Enter a delivery: the lot is created on first receipt and must not be expired."""
    _positive(quantity_mg)
    lot, _created = Lot.objects.get_or_create(
        product=product,
        number=lot_number.strip(),
        defaults={"expiry": expiry, "supplier": supplier},
    )
    if lot.expiry != expiry:
        raise RegisterError(
            _("Lot %(lot)s is registered with expiry %(expiry)s; check the label.")
            % {"lot": lot.number, "expiry": lot.expiry.isoformat()},
            code=RegisterCode.LOT_EXPIRY_MISMATCH,
        )
    if check_usable(lot.expiry, clinic.today()) is not None:
        raise RegisterError(
            _("This lot has expired; it cannot be received."), code=RegisterCode.LOT_EXPIRED
        )
    entry = post_entry(
        by=by,
        clinic=clinic,
        lot=lot,
        kind=EntryKind.RECEIPT,
        change_mg=quantity_mg,
        reference=invoice,
        note=supplier,
    )
    _audit(by, entry, invoice=invoice)
    return entry


@transaction.atomic
def record_administration(
    *, by: User, clinic: Clinic, lot: Lot, quantity_mg: int, session_ref: str | int
) -> LedgerEntry:
    """The dosing session's dose, written once, from the session (never typed twice)."""
    _handler(by)
    _positive(quantity_mg)
    if check_usable(lot.expiry, clinic.today()) is not None:
        raise RegisterError(
            _("Lot %(lot)s expired on %(expiry)s; it cannot be given.")
            % {"lot": lot.number, "expiry": lot.expiry.isoformat()},
            code=RegisterCode.LOT_EXPIRED,
        )
    product = lot.product
    if refusal := whole_units_refusal(
        quantity_mg, product.strength_mg, product.name, product.get_unit_display()
    ):
        raise RegisterError(said(refusal), code=RegisterCode.DOSE_NOT_WHOLE_UNITS)
    entry = post_entry(
        by=by,
        clinic=clinic,
        lot=lot,
        kind=EntryKind.ADMINISTRATION,
        change_mg=signed_quantity(EntryKind.ADMINISTRATION, quantity_mg),
        units=units_of(quantity_mg, product.strength_mg),
        session_ref=str(session_ref),
    )
    _audit(by, entry, session_ref=str(session_ref), units=entry.units)
    return entry


def record_waste(
    *,
    by: User,
    clinic: Clinic,
    lot: Lot,
    quantity_mg: int,
    witness: User,
    witness_password: str,
    reason: str,
    destruction: bool = False,
) -> LedgerEntry:
    """Waste (a dose's remainder) or destruction (unserviceable stock), co-signed by a witness
    who re-enters their password; both names go on the joint declaration.

    A wrong witness password is recorded once the refused write has rolled back, so it counts
    towards the witness's lockout (witness.recent_failures) whoever calls this."""
    try:
        return _record_waste(
            by=by,
            clinic=clinic,
            lot=lot,
            quantity_mg=quantity_mg,
            witness=witness,
            witness_password=witness_password,
            reason=reason,
            destruction=destruction,
        )
    except RegisterError as error:
        if error.code == RegisterCode.WITNESS_PASSWORD_WRONG:
            record_failed_attempt(by=by, witness=witness)
        raise


@transaction.atomic
def _record_waste(
    *,
    by: User,
    clinic: Clinic,
    lot: Lot,
    quantity_mg: int,
    witness: User,
    witness_password: str,
    reason: str,
    destruction: bool,
) -> LedgerEntry:
    _handler(by)
    _positive(quantity_mg)
    check_witness(by=by, witness=witness, password=witness_password, clinic=clinic)
    if not reason.strip():
        raise RegisterError(_("Say why the stock is destroyed."), code=RegisterCode.REASON_MISSING)
    kind = EntryKind.DESTRUCTION if destruction else EntryKind.WASTE
    entry = post_entry(
        by=by,
        clinic=clinic,
        lot=lot,
        kind=kind,
        change_mg=signed_quantity(kind, quantity_mg),
        witness=witness,
        note=reason,
    )
    _audit(by, entry, witness=witness.email)
    return entry


@transaction.atomic
def transfer(
    *, by: User, clinic_from: Clinic, clinic_to: Clinic, lot: Lot, quantity_mg: int, note: str = ""
) -> tuple[LedgerEntry, LedgerEntry]:
    """Move stock between clinics: an outgoing and an incoming entry, both or neither."""
    _positive(quantity_mg)
    if clinic_from == clinic_to:
        raise RegisterError(
            _("Choose another clinic to transfer to."), code=RegisterCode.TRANSFER_SAME_CLINIC
        )
    shared = uuid.uuid4()
    legs = []
    for clinic, other, kind in (
        (clinic_from, clinic_to, EntryKind.TRANSFER_OUT),
        (clinic_to, clinic_from, EntryKind.TRANSFER_IN),
    ):
        legs.append(
            post_entry(
                by=by,
                clinic=clinic,
                lot=lot,
                kind=kind,
                change_mg=signed_quantity(kind, quantity_mg),
                reference=other.name,
                transfer_ref=shared,
                note=note,
            )
        )
    for leg in legs:
        _audit(by, leg, transfer_ref=str(shared))
    return legs[0], legs[1]


def _legs_to_reverse(entry: LedgerEntry) -> list[LedgerEntry]:
    """A transfer is reversed as a whole; the incoming leg first frees the stock to return."""
    if entry.transfer_ref is None:
        return [entry]
    legs = LedgerEntry.objects.select_related("clinic", "lot").filter(
        transfer_ref=entry.transfer_ref
    )
    return sorted(legs, key=lambda leg: leg.kind != EntryKind.TRANSFER_IN)


@transaction.atomic
def reverse_entry(*, by: User, entry: LedgerEntry, reason: str) -> list[LedgerEntry]:
    """Correct a mistaken entry by a new one of opposite sign; the original stays as it was."""
    if not reason.strip():
        raise RegisterError(_("Say why the entry is reversed."), code=RegisterCode.REASON_MISSING)
    if not entry.reversible:
        raise RegisterError(
            _("Counts and reversals are not reversed; record a new count instead."),
            code=RegisterCode.REVERSAL_NOT_REVERSIBLE,
        )
    reversals = []
    for leg in _legs_to_reverse(entry):
        balance = locked_balance(leg.clinic, leg.lot)  # a second reverser waits here, sees ours
        if LedgerEntry.objects.filter(reverses=leg).exists():
            raise RegisterError(
                _("This entry was already reversed."), code=RegisterCode.REVERSAL_DONE
            )
        reversal = post_entry(
            by=by,
            balance=balance,
            clinic=leg.clinic,
            lot=leg.lot,
            kind=EntryKind.REVERSAL,
            change_mg=-leg.quantity_mg,
            reverses=leg,
            note=reason,
        )
        _audit(by, reversal, reverses=leg.pk)
        reversals.append(reversal)
    return reversals
