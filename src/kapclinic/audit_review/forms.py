from django import forms
from django.utils.translation import gettext_lazy as _

from kapclinic.dates import PlausibleDateField


class AuditSearchForm(forms.Form):
    patient = forms.IntegerField(
        label=_("Patient record number"), required=False, min_value=1, max_value=2**63 - 1
    )
    user = forms.CharField(label=_("User email"), required=False, max_length=254)
    start = PlausibleDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = PlausibleDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return data
