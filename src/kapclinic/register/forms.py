"""Shapes of the register's forms; the rules live in the services."""

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kapclinic.accounts.models import User
from kapclinic.clinics.models import Clinic
from kapclinic.dates import PlausibleDateField
from kapclinic.register.access import HANDLING_ROLES
from kapclinic.register.models import DiscrepancyKind, Lot, Product, ProductForm, ProductUnit

QUANTITY_HELP = _("In milligrams of ketamine hydrochloride.")


QUANTITY_LABEL = _("Quantity (mg)")


# The largest integer the database columns hold (a larger number is a form error, not a 500).
LARGEST_MG = 2**31 - 1


def _quantity(label: Any = QUANTITY_LABEL, min_value: int = 1) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=min_value, max_value=LARGEST_MG, help_text=QUANTITY_HELP
    )


class LotChoiceForm(forms.Form):
    """A form acting on a lot the clinic holds (or has held)."""

    lot = forms.ModelChoiceField(label=_("Lot"), queryset=Lot.objects.none())

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lots = Lot.objects.filter(balances__clinic=clinic).select_related("product")
        cast(forms.ModelChoiceField, self.fields["lot"]).queryset = lots


class ProductCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    form = forms.ChoiceField(label=_("Dosage form"), choices=ProductForm.choices)
    strength_mg = forms.IntegerField(
        label=_("Strength (mg per unit)"), min_value=1, max_value=LARGEST_MG
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=ProductUnit.choices)
    din = forms.CharField(label=_("DIN"), max_length=8, required=False)


class ReceiptForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.all())
    lot_number = forms.CharField(label=_("Lot number"), max_length=60)
    expiry = PlausibleDateField(
        label=_("Expiry date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    supplier = forms.CharField(label=_("Supplier"), max_length=120)
    invoice = forms.CharField(label=_("Invoice number"), max_length=120)
    quantity_mg = _quantity()


class WasteForm(LotChoiceForm):
    quantity_mg = _quantity()
    destruction = forms.BooleanField(
        label=_("Destruction of unserviceable stock (not the remainder of a dose)"), required=False
    )
    reason = forms.CharField(label=_("Reason and method"), widget=forms.Textarea(attrs={"rows": 2}))
    witness = forms.ModelChoiceField(label=_("Witness"), queryset=User.objects.none())
    witness_password = forms.CharField(
        label=_("Witness's password"),
        widget=forms.PasswordInput,
        help_text=_("The witness types their own password to co-sign the declaration."),
    )

    def __init__(self, *args: Any, clinic: Clinic, by: User, **kwargs: Any) -> None:
        super().__init__(*args, clinic=clinic, **kwargs)
        witnesses = User.objects.filter(is_active=True, role__in=HANDLING_ROLES, clinics=clinic)
        cast(forms.ModelChoiceField, self.fields["witness"]).queryset = witnesses.exclude(
            pk=by.pk
        ).order_by("full_name")


class TransferForm(LotChoiceForm):
    clinic_to = forms.ModelChoiceField(label=_("To clinic"), queryset=Clinic.objects.none())
    quantity_mg = _quantity()
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, clinic=clinic, **kwargs)
        cast(forms.ModelChoiceField, self.fields["clinic_to"]).queryset = Clinic.objects.exclude(
            pk=clinic.pk
        )


class CountForm(LotChoiceForm):
    counted_mg = _quantity(_("Counted (mg)"), min_value=0)
    kind = forms.ChoiceField(
        label=_("If it differs, what happened"),
        choices=DiscrepancyKind.choices,
        initial=DiscrepancyKind.UNEXPLAINED,
    )
    explanation = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Why this entry is wrong"), max_length=500)


class PeriodForm(forms.Form):
    """A period of clinic days (both ends included) and, for the ledger, a product."""

    start = PlausibleDateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = PlausibleDateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.all(), required=False
    )

    def __init__(self, data: Any, *, clinic: Clinic) -> None:
        today = timezone.localdate(timezone=clinic.tzinfo)
        defaults = {"start": today - timedelta(days=30), "end": today}
        super().__init__({**defaults, **{k: v for k, v in data.items() if v}})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return cleaned
