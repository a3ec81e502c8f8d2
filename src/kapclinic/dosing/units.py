"""A dose in whole tablets or sprays of the products a route gives, as people read it."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from kapclinic.clinical.orders import units_of
from kapclinic.register.models import Product, ProductForm

# The register's dosage form that each route gives.
PRODUCT_FORM_OF_ROUTE = {
    "intranasal_spray": ProductForm.NASAL_SPRAY,
    "sublingual_rdt": ProductForm.RAPID_DISSOLVING_TABLET,
}


def products_for(route: str) -> list[Product]:
    """The formulary's products given by `route`, smallest strength first."""
    form = PRODUCT_FORM_OF_ROUTE.get(route, "")
    return list(Product.objects.filter(form=form).order_by("strength_mg", "name"))


def said_units(units: int, product: Product) -> str:
    return _("%(units)d × %(unit)s of %(strength)d mg (%(product)s)") % {  # noqa: RUF001
        "units": units,
        "unit": product.get_unit_display(),
        "strength": product.strength_mg,
        "product": product.name,
    }


def in_units(dose_mg: int, products: Iterable[Product]) -> str:
    """The dose as whole units of the first product that makes it; empty when none does."""
    for product in products:
        units = units_of(dose_mg, product.strength_mg)
        if units is not None:
            return said_units(units, product)
    return ""
