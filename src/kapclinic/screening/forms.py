"""Questionnaire forms built from the instrument definitions: one radio group per item."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kapclinic.clinical.instruments import INSTRUMENTS, Instrument
from kapclinic.screening.models import INSTRUMENT_CHOICES


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


class AssignForm(forms.Form):
    instruments = forms.MultipleChoiceField(
        label=_("Questionnaires to assign"),
        choices=INSTRUMENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Review note"), widget=forms.Textarea(attrs={"rows": 3}))


def instrument_or_none(code: str) -> Instrument | None:
    return INSTRUMENTS.get(code)
