"""Demo stock for the controlled-substance register: two products and a few receipts per
clinic, entered through the register's own service (so balances and audit are real).

Idempotent like the rest of the demo: a receipt is found by its clinic and invoice number.
"""

from datetime import timedelta

from kapclinic.accounts.models import User
from kapclinic.clinical.ledger import EntryKind
from kapclinic.clinics.models import Clinic
from kapclinic.register.models import LedgerEntry, Product, ProductForm, ProductUnit
from kapclinic.register.services import receive_stock

# Names read the same in English and French (the dosage form and the unit are shown beside
# them, translated); the first name is the one an older demo database was seeded with.
PRODUCTS = (
    ("Ketamine HCl nasal spray (compounded)", "KetaNasal 10", ProductForm.NASAL_SPRAY, 10),
    (
        "Ketamine HCl rapid-dissolving tablet",
        "KetaSub 100",
        ProductForm.RAPID_DISSOLVING_TABLET,
        100,
    ),
)
UNIT_OF_FORM = {
    ProductForm.NASAL_SPRAY: ProductUnit.SPRAY,
    ProductForm.RAPID_DISSOLVING_TABLET: ProductUnit.TABLET,
}
# (product index, lot suffix, months to expiry, milligrams received)
RECEIPTS = ((0, "NS-01", 6, 2000), (0, "NS-02", 11, 3000), (1, "RDT-01", 9, 4000))


def _product(former: str, name: str, form: ProductForm, mg: int) -> Product:
    """The demo product, renamed in place when an older demo seeded it under its English name."""
    if not Product.objects.filter(name=name).exists():
        Product.objects.filter(name=former).update(name=name)
    product, _ = Product.objects.get_or_create(
        name=name, defaults={"form": form, "strength_mg": mg, "unit": UNIT_OF_FORM[form]}
    )
    return product


def seed_register(clinic_key: str, clinic: Clinic, admin: User) -> None:
    products = [_product(*spec) for spec in PRODUCTS]
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
