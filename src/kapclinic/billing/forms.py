"""Shapes of the billing forms; the rules (balance, what remains to credit) live in services."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kapclinic.billing.models import InvoiceLine, PaymentMethod
from kapclinic.dates import PlausibleDateField

# The largest amount the money columns hold (12 digits, 2 after the point).
LARGEST = Decimal("9999999999.99")


def _amount() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Amount ($)"),
        min_value=Decimal("0.01"),
        max_value=LARGEST,
        max_digits=12,
        decimal_places=2,
        # In French the amount is typed "180,50": localized parsing takes the comma and the point.
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class PaymentForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    amount = _amount()
    received_on = PlausibleDateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=80,
        required=False,
        help_text=_("Cheque number, transfer or authorization code."),
    )


class CreditNoteForm(forms.Form):
    line = forms.TypedChoiceField(label=_("Service"), coerce=int)
    amount = _amount()
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, lines: list[InvoiceLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [  # type: ignore[attr-defined]
            (line.pk, f"{line.service_date:%Y-%m-%d} {line.code} {line.description()}")
            for line in lines
        ]
