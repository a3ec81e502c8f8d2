"""Money arithmetic: Decimal only, Canadian dollars, rounded to the cent half up.

Pure Python (no Django), so the rounding and the tax per line are tested on their own.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CURRENCY = "CAD"
CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    """`amount` to the cent, halves rounded up: ROUND_HALF_UP, the rule CRA guide RC4022
    gives for GST/HST (a fraction of 0.5 cent or more counts as a cent) [from memory, verify]."""
    if isinstance(amount, float):
        raise TypeError("money is never a float")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rate:
    """One sales tax at a rate, e.g. GST 5 %."""

    code: str
    rate: Decimal
    name_en: str
    name_fr: str


@dataclass(frozen=True)
class TaxLine:
    code: str
    rate: Decimal
    amount: Decimal


def taxes_on(amount: Decimal, rates: tuple[Rate, ...]) -> tuple[TaxLine, ...]:
    """Each tax on `amount`, computed and rounded per tax and per line (never on a total)."""
    return tuple(TaxLine(rate.code, rate.rate, cents(amount * rate.rate)) for rate in rates)


def money(amount: Decimal, language: str = "en") -> str:
    """12 345,60 $ in French, $12,345.60 in English (the Canadian usage)."""
    value = cents(amount)
    sign = "-" if value < 0 else ""
    whole, fraction = f"{abs(value):,.2f}".split(".")
    if language.startswith("fr"):
        return f"{sign}{whole.replace(',', '\u00a0')},{fraction}\u00a0$"
    return f"{sign}${whole}.{fraction}"
