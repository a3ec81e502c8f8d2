"""Questionnaire forms built from the instrument definitions: one radio group per item."""

from typing import Any, cast

from django import forms
from django.db.models import Field
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kapclinic.clinical.instruments import INSTRUMENTS, Instrument
from kapclinic.clinics.models import Condition
from kapclinic.screening.inputs import ScreeningInput
from kapclinic.screening.models import INSTRUMENT_CHOICES, Decision, Screening


def _text(english: str, french: str | None, language: str) -> str:
    return french if language.startswith("fr") and french else english


class QuestionnaireForm(forms.Form):
    """Every item as a required choice among the published answers, in the reader's language."""

    def __init__(self, *args: Any, instrument: Instrument, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.prompt = _text(instrument.prompt_en or "", instrument.prompt_fr, language)
        for item in instrument.items:
            self.fields[f"item_{item.number}"] = forms.TypedChoiceField(
                label=f"{item.number}. {_text(item.text_en, item.text_fr, language)}",
                choices=[(o.value, _text(o.label_en, o.label_fr, language)) for o in item.options],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer for this question.")},
            )

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"item_{item.number}"] for item in self.instrument.items]

    def missing(self) -> list[tuple[int, forms.BoundField]]:
        """The questions sent without an answer, in order, with their numbers: the summary at
        the top of the form counts them and links to the first."""
        return [
            (item.number, self[f"item_{item.number}"])
            for item in self.instrument.items
            if f"item_{item.number}" in self.errors
        ]


class AssignForm(forms.Form):
    instruments = forms.MultipleChoiceField(
        label=_("Questionnaires to assign"),
        choices=INSTRUMENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Review note"), widget=forms.Textarea(attrs={"rows": 3}))


def questionnaire_form_or_404(data: Any, *, instrument: str, language: str) -> QuestionnaireForm:
    """The form for a known instrument code (404 for any other), in the reader's language."""
    from django.http import Http404

    definition = INSTRUMENTS.get(instrument)
    if definition is None:
        raise Http404
    return QuestionnaireForm(data or None, instrument=definition, language=language)


def _vital(name: str, highest: int) -> forms.IntegerField:
    label = capfirst(cast(Field, Screening._meta.get_field(name)).verbose_name)
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=highest)


class ScreeningForm(forms.ModelForm):
    history = forms.MultipleChoiceField(
        label=_("Medical history"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("psychosis", _("Psychosis")),
            ("mania", _("Mania")),
            ("untreated_hypertension", _("Untreated hypertension")),
            ("cardiovascular_disease", _("Cardiovascular disease")),
            ("cerebrovascular_disease", _("Cerebrovascular disease (stroke)")),
            ("seizure_disorder", _("Seizure disorder")),
            ("severe_liver_disease", _("Severe liver disease")),
            ("untreated_thyroid_disease", _("Untreated thyroid disease")),
        ],
    )

    # Plausible vital signs, the dosing session's bounds: 0 is a typo, not a reading.
    systolic = _vital("systolic", 300)
    diastolic = _vital("diastolic", 250)
    pulse = _vital("pulse", 300)

    class Meta:
        model = Screening
        fields = (
            "indication",
            "pregnant",
            "nursing",
            "history",
            "psychiatric_history",
            "medications",
            "substance_use",
            "systolic",
            "diastolic",
            "pulse",
            "failed_antidepressant_trials",
        )

    def __init__(
        self, *args: Any, from_referral: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        """`from_referral`: per field, what the referral said (shown as the field's help)."""
        super().__init__(*args, **kwargs)
        for name, note in (from_referral or {}).items():
            if name in self.fields:
                self.fields[name].help_text = note

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (data.get("systolic") is None) != (data.get("diastolic") is None):
            self.add_error("diastolic", _("Give both blood pressure numbers, or neither."))
        return data

    def to_input(self) -> ScreeningInput:
        data = self.cleaned_data
        return ScreeningInput(
            indication=data["indication"],
            pregnant=data["pregnant"],
            nursing=data["nursing"],
            history=tuple(data["history"]),
            psychiatric_history=data["psychiatric_history"],
            medications=data["medications"],
            substance_use=data["substance_use"],
            systolic=data["systolic"],
            diastolic=data["diastolic"],
            pulse=data["pulse"],
            failed_antidepressant_trials=data["failed_antidepressant_trials"],
        )


class StartScreeningForm(forms.Form):
    indication = forms.ModelChoiceField(label=_("Indication"), queryset=Condition.objects.all())


class DeterminationForm(forms.Form):
    # No decision is chosen in advance: a signed "Eligible" must be the physician's own choice.
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("", BLANK_CHOICE_LABEL), *Decision.choices]
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when deciding against an absolute finding."),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Re-enter your password (or your authenticator code) to sign."),
    )
