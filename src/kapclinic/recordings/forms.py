from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you opening this recording?"),
        help_text=_("Your reason is kept in the audit trail with every part you watch."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HoldForm(forms.Form):
    hold = forms.BooleanField(label=_("Keep under legal hold"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
    )
    others_reviewed = forms.BooleanField(
        label=_("Other people in it were reviewed and severed"), required=False
    )
    note = forms.CharField(label=_("Note"), required=False)
