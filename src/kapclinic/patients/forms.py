"""Patient forms: shape and field-level checks; the rules live in patients.services."""

from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kapclinic.accounts.models import User
from kapclinic.clinical.health_numbers import InvalidHealthNumber, validate_health_number
from kapclinic.clinics.models import latest_today
from kapclinic.dates import BirthDateField
from kapclinic.patients.inputs import PatientInput
from kapclinic.patients.models import Patient
from kapclinic.said import translate


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, date of birth (YYYY-MM-DD) or health number"),
        required=False,
        max_length=100,
    )


class PatientForm(forms.ModelForm):
    # Typed with spaces or dashes; stored compact (12 characters at most).
    health_number = forms.CharField(label=_("Health number"), max_length=20, required=False)
    confirm_not_duplicate = forms.BooleanField(
        label=_("I checked: this is a different person"), required=False
    )

    class Meta:
        model = Patient
        fields = (
            "clinic",
            "legal_given_name",
            "legal_family_name",
            "preferred_name",
            "date_of_birth",
            "sex_at_birth",
            "gender",
            "health_number_province",
            "health_number",
            "phone",
            "email",
            "address",
            "preferred_language",
            "emergency_contact_name",
            "emergency_contact_relationship",
            "emergency_contact_phone",
        )
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        field_classes = {"date_of_birth": BirthDateField}

    def __init__(self, *args: Any, clinics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["clinic"]).queryset = clinics
        if len(clinics) == 1:
            self.fields["clinic"].initial = clinics[0]

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        clinic = self.cleaned_data.get("clinic")  # cleaned first: it comes first
        if born > (
            clinic.today()
            if clinic
            else latest_today(cast(forms.ModelChoiceField, self.fields["clinic"]).queryset or [])
        ):
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return born

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        number = data.get("health_number", "")
        province = data.get("health_number_province", "")
        if number and not province:
            self.add_error("health_number_province", _("Say which province issued this number."))
        elif number:
            try:
                data["health_number"] = validate_health_number(province, number)
            except InvalidHealthNumber as error:
                self.add_error("health_number", translate(error.phrase))
        return data

    def to_input(self) -> PatientInput:
        data = self.cleaned_data
        return PatientInput(
            legal_given_name=data["legal_given_name"],
            legal_family_name=data["legal_family_name"],
            date_of_birth=data["date_of_birth"],
            sex_at_birth=data["sex_at_birth"],
            preferred_name=data["preferred_name"],
            gender=data["gender"],
            health_number_province=data["health_number_province"],
            health_number=data["health_number"],
            phone=data["phone"],
            email=data["email"],
            address=data["address"],
            preferred_language=data["preferred_language"],
            emergency_contact_name=data["emergency_contact_name"],
            emergency_contact_relationship=data["emergency_contact_relationship"],
            emergency_contact_phone=data["emergency_contact_phone"],
        )


class CareTeamAddForm(forms.Form):
    """Add a clinician of the patient's clinic to the care team (the service checks again)."""

    member: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("Clinician"), queryset=None
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, clinicians: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["member"])
        field.queryset = clinicians
        field.label_from_instance = lambda user: f"{user} ({user.get_role_display()})"  # type: ignore[method-assign,assignment]


class CareTeamEndForm(forms.Form):
    reason = forms.CharField(label=_("Reason for ending"), max_length=500)
