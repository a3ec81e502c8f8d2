from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kapclinic.care.models import STAGE_CHOICES, ConsentText, ProgramTemplate
from kapclinic.referrals.forms import check_upload


class EnrolForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=ProgramTemplate.objects.all())
    supporter_name = forms.CharField(label=_("Community supporter"), required=False, max_length=120)
    supporter_contact = forms.CharField(
        label=_("Supporter's contact"), required=False, max_length=120
    )


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"))

    def __init__(self, *args: Any, stages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(STAGE_CHOICES)
        cast(forms.ChoiceField, self.fields["to"]).choices = [(s, labels[s]) for s in stages]


class ConsentForm(forms.Form):
    text = forms.ModelChoiceField(
        label=_("Consent and text version"), queryset=ConsentText.objects.all()
    )
    signed_name = forms.CharField(label=_("Signed by (name)"), max_length=200)
    document = forms.FileField(label=_("Signed document (PDF)"), required=False)

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if upload and check_upload(upload) != "application/pdf":
            raise forms.ValidationError(_("The signed consent must be a PDF."))
        return upload


class ProgramForm(forms.ModelForm):
    class Meta:
        model = ProgramTemplate
        fields = (
            "name_en",
            "name_fr",
            "min_weeks",
            "max_weeks",
            "preparation_sessions",
            "dosing_sessions",
            "integration_sessions",
            "days_between_dosing",
            "requires_community_support",
            "description_en",
            "description_fr",
        )
