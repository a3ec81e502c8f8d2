"""The dashboard's filters: which questionnaire, which period, grouped by what."""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kapclinic.outcomes.dashboards import DashboardQuery
from kapclinic.outcomes.trajectories import FOLLOWED

ISO_DATE = {"type": "date"}
# The longest period one dashboard covers (ten years of enrolments).
MAX_PERIOD_DAYS = 3660


class DashboardForm(forms.Form):
    instrument = forms.ChoiceField(
        label=_("Questionnaire"), choices=[(code, code) for code in FOLLOWED]
    )
    # A date input's value is ISO whatever the reader's language.
    start = forms.DateField(label=_("Enrolled from"), widget=forms.DateInput(ISO_DATE, "%Y-%m-%d"))
    end = forms.DateField(label=_("Enrolled until"), widget=forms.DateInput(ISO_DATE, "%Y-%m-%d"))
    group_by = forms.ChoiceField(
        label=_("Group by"),
        choices=[
            ("clinic", _("Clinic")),
            ("program", _("Program")),
            ("indication", _("Indication")),
        ],
    )

    @classmethod
    def initial_for(cls, today: date) -> dict[str, object]:
        return {
            "instrument": "PHQ-9",
            "start": today - timedelta(days=365),
            "end": today,
            "group_by": "clinic",
        }

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                raise ValidationError(_("The end of the period comes before its start."))
            if (end - start).days > MAX_PERIOD_DAYS:
                raise ValidationError(_("Choose a period of at most ten years."))
        return cleaned

    def query(self) -> DashboardQuery:
        data = self.cleaned_data
        return DashboardQuery(
            instrument=data["instrument"],
            start=data["start"],
            end=data["end"],
            group_by=data["group_by"],
        )
