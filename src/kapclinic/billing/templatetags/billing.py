"""`{{ amount|money }}`: an amount in dollars as the reader's language writes it."""

from decimal import Decimal

from django import template
from django.utils import translation

from kapclinic.billing.money import money as format_money

register = template.Library()


@register.filter
def money(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    return format_money(Decimal(amount), translation.get_language() or "en")
