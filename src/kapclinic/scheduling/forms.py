from datetime import date, datetime, time
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kapclinic.accounts.models import User
from kapclinic.clinics.models import Room
from kapclinic.dates import PlausibleDateField
from kapclinic.scheduling.models import AppointmentType, Availability, Status
from kapclinic.scheduling.selectors import clinicians_at


class PlanForm(forms.Form):
    start = PlausibleDateField(label=_("Start on"), widget=forms.DateInput(attrs={"type": "date"}))


class WhenForm(forms.Form):
    """A local date and time at the clinic, turned into an aware moment."""

    day = PlausibleDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))

    def moment(self, clinic: Any) -> datetime:
        day: date = self.cleaned_data["day"]
        at: time = self.cleaned_data["at"]
        return datetime.combine(day, at, clinic.tzinfo)


class BookForm(WhenForm):
    type = forms.ModelChoiceField(label=_("Appointment"), queryset=AppointmentType.objects.all())
    clinician = forms.ModelChoiceField(label=_("Clinician"), queryset=User.objects.none())
    room: "forms.ModelChoiceField[Room]" = forms.ModelChoiceField(label=_("Room"), queryset=None)

    field_order = ("type", "clinician", "room", "day", "at")

    def __init__(self, *args: Any, clinic: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["clinician"]).queryset = clinicians_at(clinic)
        cast(forms.ModelChoiceField, self.fields["room"]).queryset = clinic.rooms.all()


class RescheduleForm(WhenForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(Status.ATTENDED, Status.ATTENDED.label), (Status.NO_SHOW, Status.NO_SHOW.label)]
    )
    reason = forms.CharField(label=_("Note"), max_length=300, required=False)


class HoursForm(forms.ModelForm):
    class Meta:
        model = Availability
        fields = ("clinician", "weekday", "starts", "ends")
        widgets = {
            "starts": forms.TimeInput(attrs={"type": "time"}),
            "ends": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args: Any, clinic: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["clinician"]).queryset = clinicians_at(clinic)
