from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kapclinic.care.models import ProgramTemplate


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
        self.fields["to"].choices = [(s, s.capitalize()) for s in stages]
