from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from kapclinic.accounts.models import Credential, User
from kapclinic.accounts.roles import STAFF_ROLES, Role
from kapclinic.dates import PlausibleDateField
from kapclinic.errors import id_or_none


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Choices by id; an id no database column can hold is refused as any unknown choice is
    (SQLite otherwise overflows into a 500)."""

    def _check_values(self, value: Any) -> Any:
        for raw in value:
            if id_or_none(raw) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                    params={"pk": raw},
                )  # fmt: skip
        return super()._check_values(value)  # type: ignore[misc]  # private in Django, not stubbed


class StaffForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(
        label=_("Role"), choices=[(r.value, r.label) for r in Role if r in STAFF_ROLES]
    )
    clinics = ModelIdsField(label=_("Clinics"), queryset=None)
    password = forms.CharField(
        label=_("First password"),
        widget=forms.PasswordInput,
        help_text=_("At least 12 characters. They will enrol MFA at first sign-in."),
    )

    def __init__(self, *args: Any, clinics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["clinics"]).queryset = clinics

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email already exists."))
        return email

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password


class ReasonForm(forms.Form):
    """The reason given for an act that needs one: deactivate, cancel, withdraw."""

    reason = forms.CharField(label=_("Reason"), max_length=300)


class CredentialForm(forms.ModelForm):
    class Meta:
        model = Credential
        fields = ("kind", "issuer", "number", "version", "issued_on", "expires_on")
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}),
            "expires_on": forms.DateInput(attrs={"type": "date"}),
        }
        field_classes = {"issued_on": PlausibleDateField, "expires_on": PlausibleDateField}
        help_texts = {
            "issuer": _("The college, the jurisdiction of the check, or the training body."),
            "version": _("For an ethics attestation: the version of the code attested."),
        }
