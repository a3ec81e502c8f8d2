from django import forms
from django.utils.translation import gettext_lazy as _

from kapclinic.sharedcare.models import LetterKind


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("Letter"), choices=LetterKind.choices)
    note = forms.CharField(
        label=_("Physician's note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your words to the referrer, printed in the letter."),
    )


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label=_("Corrected note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DischargeForm(forms.Form):
    note = forms.CharField(label=_("Discharge summary for the referrer"), max_length=4000)
