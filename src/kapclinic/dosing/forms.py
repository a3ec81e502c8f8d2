"""Input parsing for the dosing screens: shapes only; the rules live in clinical/ and services.

Times are typed in the clinic's time zone (the views activate it) and may be entered late."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kapclinic.clinical.adverse_events import SEVERITY_DEFINITIONS
from kapclinic.dates import PlausibleDateField
from kapclinic.dosing.models import ROUTE_CHOICES, AdverseEvent, PregnancyAttestation
from kapclinic.dosing.models.monitoring import SERIOUS_OUTCOME_LABELS
from kapclinic.register.models import Lot

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


def moment_field(label: Any) -> forms.DateTimeField:
    """A date and time to the minute, defaulting to now; large on a tablet."""
    return forms.DateTimeField(
        label=label,
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE),
    )


class OrderForm(forms.Form):
    route = forms.ChoiceField(label=_("Route"), choices=ROUTE_CHOICES)
    # Decimal here so that 37.5 reaches clinical.orders and is refused with its reason.
    dose_mg = forms.DecimalField(
        label=_("Dose (mg)"),
        help_text=_("Whole mg."),
        max_digits=7,
        decimal_places=2,
        # "37,5" in French reaches the rule that refuses a part mg, not a "enter a number" error.
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    titration = forms.CharField(
        label=_("Titration (mg)"),
        required=False,
        help_text=_("Doses of the first sessions in turn, separated by commas, e.g. 50, 75."),
    )
    expires_on = PlausibleDateField(label=_("Expires on"), widget=forms.DateInput({"type": "date"}))
    reason_for_change = forms.CharField(label=_("Reason for the change"), required=False)

    def clean_titration(self) -> list[Decimal]:
        steps = [s.strip() for s in self.cleaned_data["titration"].split(",") if s.strip()]
        try:
            return [Decimal(step) for step in steps]
        except ArithmeticError:
            raise forms.ValidationError(_("Give the titration doses as numbers of mg.")) from None


class VitalsFields(forms.Form):
    systolic = forms.IntegerField(label=_("Systolic (mmHg)"), min_value=1, max_value=300)
    diastolic = forms.IntegerField(label=_("Diastolic (mmHg)"), min_value=1, max_value=250)
    pulse = forms.IntegerField(label=_("Pulse (per minute)"), min_value=1, max_value=300)
    spo2 = forms.IntegerField(label=_("SpO2 (%)"), min_value=1, max_value=100)
    respiratory_rate = forms.IntegerField(
        label=_("Respiratory rate (per minute)"), min_value=1, max_value=80, required=False
    )

    def values(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in VitalsFields.base_fields}


class PreDoseForm(VitalsFields):
    fasted_as_instructed = forms.BooleanField(label=_("Fasted as instructed"), required=False)
    ride_home_arranged = forms.BooleanField(
        label=_("Ride home arranged (no driving today)"), required=False
    )
    pregnancy_attestation = forms.ChoiceField(
        label=_("Pregnancy status"), choices=PregnancyAttestation.choices
    )
    alternative_safeguard = forms.CharField(
        label=_("Alternative safeguard (when the session is not recorded)"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
    taken_at = moment_field(_("Baseline taken at"))


class VitalsForm(VitalsFields):
    taken_at = moment_field(_("Taken at"))


class DoseForm(forms.Form):
    given_at = moment_field(_("Given at"))
    dose_mg = forms.IntegerField(
        label=_("Dose (mg)"),
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("Whole mg: whole tablets or sprays of the product chosen."),
    )
    lot: "forms.ModelChoiceField[Lot]" = forms.ModelChoiceField(
        label=_("Product and lot"), queryset=None
    )

    def __init__(self, *args: Any, lots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["lot"])
        field.queryset = lots
        # The strength per unit, so that the dose is seen as whole tablets or sprays.
        field.label_from_instance = lambda lot: (  # type: ignore[method-assign,assignment]
            f"{lot.product.name} {lot.product.strength_mg} mg/{lot.product.get_unit_display()}"
            f" — {lot.number} ({lot.expiry:%Y-%m-%d})"
        )


def _severity_help() -> str:
    """What each severity grade means, in the reader's language."""
    return " ".join(gettext(definition) for definition in SEVERITY_DEFINITIONS.values())


class AdverseEventForm(forms.ModelForm):
    onset_at = moment_field(_("Onset"))
    serious_outcomes = forms.MultipleChoiceField(
        label=_("Serious outcomes"),
        required=False,
        choices=[(o.value, label) for o, label in SERIOUS_OUTCOME_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AdverseEvent
        fields = ("kind", "severity", "onset_at", "description", "action", "outcome")
        help_texts = {"severity": lazy(_severity_help, str)()}
        widgets = {
            "description": forms.Textarea({"rows": 2}),
            "action": forms.Textarea({"rows": 2}),
            "outcome": forms.Textarea({"rows": 2}),
        }


class NoteForm(forms.Form):
    intention = forms.CharField(label=_("Intention"), required=False, widget=forms.Textarea)
    experience = forms.CharField(label=_("Experience"), required=False, widget=forms.Textarea)
    observations = forms.CharField(label=_("Observations"), required=False, widget=forms.Textarea)
    music = forms.BooleanField(label=_("Music"), required=False)
    eye_shades = forms.BooleanField(label=_("Eye shades"), required=False)


class DischargeForm(forms.Form):
    alert_and_oriented = forms.BooleanField(label=_("Alert and oriented"), required=False)
    walking_steadily = forms.BooleanField(label=_("Walking steadily"), required=False)
    escort_present = forms.BooleanField(label=_("Escort present"), required=False)
    missed_reason = forms.CharField(
        label=_("Why may the patient leave although a scheduled reading is missing?"),
        help_text=_("Only when a scheduled reading was not taken; kept with the discharge."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StopForm(forms.Form):
    reason = forms.CharField(label=_("Why is the session stopped?"), max_length=1000)
