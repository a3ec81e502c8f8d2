"""Demo stock for the controlled-substance register: two products and a few receipts per
clinic, entered through the register's own service (so balances and audit are real).

Idempotent like the rest of the demo: a receipt is found by its clinic and invoice number.
"""

from datetime import timedelta

from kapclinic.accounts.models import User
from kapclinic.clinical.ledger import EntryKind
from kapclinic.clinics.models import Clinic
from kapclinic.register.models import LedgerEntry, Product, ProductForm
from kapclinic.register.services import receive_stock

PRODUCTS = (
    ("Ketamine HCl nasal spray (compounded)", ProductForm.NASAL_SPRAY, 10, "spray"),
    ("Ketamine HCl rapid-dissolving tablet", ProductForm.RAPID_DISSOLVING_TABLET, 100, "tablet"),
)
# (product index, lot suffix, months to expiry, milligrams received)
RECEIPTS = ((0, "NS-01", 6, 2000), (0, "NS-02", 11, 3000), (1, "RDT-01", 9, 4000))


def seed_register(clinic_key: str, clinic: Clinic, admin: User) -> None:
    products = [
        Product.objects.get_or_create(
            name=name, defaults={"form": form, "strength_mg": mg, "unit": unit}
        )[0]
        for name, form, mg, unit in PRODUCTS
    ]
    today = clinic.today()
    for index, suffix, months, quantity in RECEIPTS:
        invoice = f"DEMO-{clinic_key.upper()}-{suffix}"
        received = LedgerEntry.objects.filter(
            clinic=clinic, kind=EntryKind.RECEIPT, reference=invoice
        )
        if received.exists():
            continue
        receive_stock(
            by=admin,
            clinic=clinic,
            product=products[index],
            lot_number=f"{clinic_key.upper()}-{suffix}",
            expiry=today + timedelta(days=30 * months),
            supplier="Pharmacie de préparation / compounding pharmacy (demo)",
            invoice=invoice,
            quantity_mg=quantity,
        )
