from django import forms
from django.utils.translation import gettext_lazy as _


class PortalConsentForm(forms.Form):
    """An in-portal signature: the typed name, and a box ticked after reading the text."""

    signed_name = forms.CharField(label=_("Your full name, as your signature"), max_length=200)
    agree = forms.BooleanField(label=_("I have read this text and I agree."))
