"""Input shapes for the group screens; the rules live in groups.services."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.care.models import ProgramTemplate
from kapclinic.clinics.models import Clinic
from kapclinic.groups.models import IntegrationGroup

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class GroupForm(forms.Form):
    clinic = forms.ModelChoiceField(label=_("Clinic"), queryset=Clinic.objects.none())
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    facilitator = forms.ModelChoiceField(label=_("Facilitator"), queryset=User.objects.none())
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clinics = Clinic.objects.all() if user.network_wide else user.clinics.all()
        cast(forms.ModelChoiceField, self.fields["clinic"]).queryset = clinics
        cast(forms.ModelChoiceField, self.fields["facilitator"]).queryset = User.objects.filter(
            role=Role.THERAPIST, is_active=True, clinics__in=clinics
        ).distinct()


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=480, initial=90
    )

    def clean_starts_at(self) -> Any:
        value = self.cleaned_data["starts_at"]
        return timezone.make_aware(value) if timezone.is_naive(value) else value


class JoinForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Integration group"), queryset=IntegrationGroup.objects.none()
    )

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = groups


class FurtherTreatmentForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=ProgramTemplate.objects.all())
    supporter_name = forms.CharField(label=_("Community supporter"), required=False, max_length=120)
    supporter_contact = forms.CharField(
        label=_("Supporter's contact"), required=False, max_length=120
    )
