"""`{{ amount|money }}`: an amount in dollars as the reader's language writes it."""

from decimal import Decimal

from django import template
from django.utils import translation
from django.utils.translation import pgettext_lazy

from kapclinic.billing.money import money as format_money

register = template.Library()


@register.filter
def money(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    return format_money(Decimal(amount), translation.get_language() or "en")


# A sales tax's short name as the reader's language writes it (the invoice line keeps the
# code it was taxed under: GST is TPS in French, QST is TVQ, HST is TVH, PST is TVP).
TAX_NAMES = {
    "GST": pgettext_lazy("sales tax", "GST"),
    "QST": pgettext_lazy("sales tax", "QST"),
    "HST": pgettext_lazy("sales tax", "HST"),
    "PST": pgettext_lazy("sales tax", "PST"),
}


@register.filter
def tax_name(code: str) -> str:
    return str(TAX_NAMES.get(code, code))
