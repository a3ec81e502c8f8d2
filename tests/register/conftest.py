"""Register fixtures: a product, a lot that expires next year, stock received at Montréal."""

from datetime import date, timedelta
from typing import Any

import pytest

from kapclinic.register.models import LedgerEntry, Lot, Product, ProductForm
from kapclinic.register.services import receive_stock


@pytest.fixture
def product(db: None) -> Product:
    return Product.objects.create(
        name="Ketamine HCl nasal spray",
        form=ProductForm.NASAL_SPRAY,
        strength_mg=10,
        unit="spray",
    )


@pytest.fixture
def receive(network: dict[str, Any], product: Product) -> Any:
    """Receive `quantity_mg` of lot `number` at a clinic (Montréal unless told)."""

    def received(quantity_mg: int = 1000, number: str = "K-001", **fields: Any) -> LedgerEntry:
        defaults = {
            "by": network["clinic_admin"],
            "clinic": network["montreal"],
            "product": product,
            "lot_number": number,
            "expiry": date.today() + timedelta(days=365),
            "supplier": "Compounding pharmacy",
            "invoice": "INV-1",
            "quantity_mg": quantity_mg,
        }
        return receive_stock(**{**defaults, **fields})

    return received


@pytest.fixture
def lot(receive: Any) -> Lot:
    """Lot K-001 with 1000 mg on hand at Montréal."""
    return receive().lot
