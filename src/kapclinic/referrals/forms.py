"""Referral forms: field shape, attachments checked by content, not by name."""

from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from kapclinic.clinical.health_numbers import InvalidHealthNumber, validate_health_number
from kapclinic.clinics.models import Clinic, Condition, Province, province_today
from kapclinic.dates import BirthDateField, PlausibleDateField
from kapclinic.referrals.files import sniff_file
from kapclinic.referrals.inputs import ReferralInput, ReferrerInput
from kapclinic.referrals.models import (
    ContactMethod,
    ContactOutcome,
    Contraindication,
    Referral,
    Referrer,
    Status,
)
from kapclinic.said import translate


def sniff(upload: UploadedFile) -> str:
    """The content type from the file's first bytes; a renamed .exe is not a PDF."""
    upload.seek(0)
    content_type = sniff_file(upload)
    if content_type is None:
        raise forms.ValidationError(
            _("%(name)s is not a PDF or an image (PNG, JPEG, TIFF).") % {"name": upload.name}
        )
    return content_type


def check_upload(upload: UploadedFile) -> str:
    limit = settings.ATTACHMENT_MAX_MB * 1024 * 1024
    if (upload.size or 0) > limit:
        raise forms.ValidationError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": upload.name, "limit": settings.ATTACHMENT_MAX_MB}
        )
    return sniff(upload)


def check_born(form: forms.BaseForm, data: dict[str, Any]) -> None:
    """A date of birth is not after today in the person's province (not the server's date)."""
    born, province = data.get("date_of_birth"), data.get("province")
    if born is not None and born > province_today(province or ""):
        form.add_error("date_of_birth", _("The date of birth cannot be in the future."))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files]
        for upload in cleaned:
            check_upload(upload)
        return cleaned


def _person(data: Mapping[str, Any]) -> ReferralInput:
    """The person referred and why, as every referral form asks it (the e-referral and faxed
    forms add the clinical history; a self-referral agrees by booking)."""
    return ReferralInput(
        given_name=data["given_name"],
        family_name=data["family_name"],
        date_of_birth=data["date_of_birth"],
        province=data["province"],
        phone=data["phone"],
        condition=data["condition"],
        reason=data["reason"],
        email=data["email"],
        preferred_language=data["preferred_language"],
    )


class ReferralForm(forms.ModelForm):
    # Typed with spaces or dashes; stored compact (12 characters at most).
    health_number = forms.CharField(label=_("Health number"), max_length=20, required=False)
    contraindications = forms.MultipleChoiceField(
        label=_("Contraindications"),
        choices=Contraindication.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        # Lazy, so that it is put in the reader's language, not the one active at import.
        help_text=lazy(
            lambda: (
                _("PDF or images (PNG, JPEG, TIFF), at most %(mb)s MB each.")
                % {"mb": settings.ATTACHMENT_MAX_MB}
            ),
            str,
        )(),
    )

    class Meta:
        model = Referral
        fields = (
            "given_name",
            "family_name",
            "date_of_birth",
            "province",
            "health_number",
            "phone",
            "email",
            "preferred_language",
            "condition",
            "reason",
            "contraindications",
            "contraindication_other",
            "medications",
            "history",
            "community_support",
            "patient_agreed",
        )
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        field_classes = {"date_of_birth": BirthDateField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["condition"]).queryset = Condition.objects.all()
        self.fields["condition"].help_text = _(
            "Conditions under development go to an interest list, not the intake queue."
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        check_born(self, data)
        if data.get("health_number") and data.get("province"):
            try:
                data["health_number"] = validate_health_number(
                    data["province"], data["health_number"]
                )
            except InvalidHealthNumber as error:
                self.add_error("health_number", translate(error.phrase))
        return data

    def to_input(self) -> ReferralInput:
        data = self.cleaned_data
        return replace(
            _person(data),
            health_number=data["health_number"],
            contraindications=tuple(data["contraindications"]),
            contraindication_other=data["contraindication_other"],
            medications=data["medications"],
            history=data["history"],
            community_support=data["community_support"],
            patient_agreed=data["patient_agreed"],
        )


class SubmitReferralForm(ReferralForm):
    """Submitting needs the attestation; a draft may be saved without it."""

    def clean_patient_agreed(self) -> bool:
        if not self.cleaned_data.get("patient_agreed"):
            raise forms.ValidationError(_("Confirm that the patient agreed to be referred."))
        return True


class FaxReferralForm(SubmitReferralForm):
    fax_document = forms.FileField(label=_("Faxed referral (PDF)"))
    referrer = forms.ModelChoiceField(label=_("Referrer"), queryset=Referrer.objects.all())
    clinic: "forms.ModelChoiceField[Clinic]" = forms.ModelChoiceField(
        label=_("Clinic"), queryset=None
    )

    def __init__(self, *args: Any, clinics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["clinic"]).queryset = clinics

    def clean_fax_document(self) -> UploadedFile:
        upload = self.cleaned_data["fax_document"]
        if check_upload(upload) != "application/pdf":
            raise forms.ValidationError(_("The faxed referral must be a PDF."))
        return upload


class ContactAttemptForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=ContactMethod.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactOutcome.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StatusForm(forms.Form):
    """A status change; given the referral's status, it offers only the moves allowed from it."""

    to = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args: Any, allowed: Collection[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed is not None:
            field = cast(forms.ChoiceField, self.fields["to"])
            field.choices = [("", BLANK_CHOICE_LABEL)] + [
                (value, label) for value, label in Status.choices if value in allowed
            ]


class ReferrerForm(forms.ModelForm):
    """A referrer typed in from the letterhead of a faxed form."""

    class Meta:
        model = Referrer
        fields = (
            "full_name",
            "profession",
            "registration_number",
            "college",
            "practice_address",
            "phone",
            "fax",
            "email",
        )

    def to_input(self) -> ReferrerInput:
        data = self.cleaned_data
        return ReferrerInput(
            full_name=data["full_name"],
            profession=data["profession"],
            registration_number=data["registration_number"],
            college=data["college"],
            practice_address=data["practice_address"],
            phone=data["phone"],
            email=data["email"],
            fax=data["fax"],
        )


class ReferrerRegistrationForm(ReferrerForm):
    """The same details, typed by the professional, with a password for the portal."""

    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=12)


def slot_label(slot: Any) -> str:
    """The slot as people read it: clinic, then date and time in the clinic's time zone."""
    local = timezone.localtime(slot.starts_at, slot.clinic.tzinfo)
    return f"{slot.clinic.name} — {local:%Y-%m-%d %H:%M}"


class ProvinceForm(forms.Form):
    """The public booking's first step: the province, so that only its clinics' times are
    offered in the second (asked on its own, so the page needs no script to filter)."""

    province = forms.ChoiceField(label=_("Province where you live"), choices=Province.choices)


class SelfReferralForm(forms.Form):
    """The public booking form, once the province is chosen: a pre-check, who you are, and a
    time for the call at one of the province's clinics."""

    # Chosen in the first step (ProvinceForm) and carried here; the page shows it with a link
    # to change it.
    province = forms.ChoiceField(
        label=_("Province where you live"), choices=Province.choices, widget=forms.HiddenInput
    )
    date_of_birth = BirthDateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    pregnant_or_nursing = forms.BooleanField(label=_("I am pregnant or nursing"), required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30)
    email = forms.EmailField(label=_("Email"))
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    condition = forms.ModelChoiceField(
        label=_("What would you like help with?"),
        queryset=Condition.objects.filter(status="offered"),
    )
    reason = forms.CharField(
        label=_("In a few words, why now?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    slot = forms.ChoiceField(label=_("Time for the intake call"))
    # A field people never see: only robots fill it in.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )

    def __init__(self, *args: Any, slots: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = {str(slot.pk): slot for slot in slots}
        province = self.chosen_province()
        offered = [s for s in slots if province in ("", s.clinic.jurisdiction.province)]
        groups: dict[str, list[tuple[int, str]]] = {}
        for slot in offered:  # grouped by province, each time in its clinic's zone
            label = str(slot.clinic.jurisdiction)
            groups.setdefault(label, []).append((slot.pk, slot_label(slot)))
        cast(forms.ChoiceField, self.fields["slot"]).choices = list(groups.items())
        # Every free slot stays a valid value; clean() explains a slot in another province.
        self.fields["slot"].valid_value = lambda value: str(value) in self.slots  # type: ignore[attr-defined]

    def chosen_province_label(self) -> str:
        province = self.chosen_province()
        return str(Province(province).label) if province else ""

    def chosen_province(self) -> str:
        value = (self.data.get("province") if self.is_bound else None) or self.initial.get(
            "province", ""
        )
        return value if value in Province.values else ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        check_born(self, data)
        slot = self.slots.get(str(data.get("slot", "")))
        if slot is not None and data.get("province") not in (None, slot.clinic.province):
            self.add_error(
                None,
                _(
                    "This time is at a clinic in another province. Please choose a time "
                    "offered in your province."
                ),
            )
        return data

    def to_input(self) -> ReferralInput:
        """The person, as a referral: they agree to their own referral by booking."""
        return replace(_person(self.cleaned_data), patient_agreed=True)


class AvailabilityForm(forms.Form):
    clinic: "forms.ModelChoiceField[Clinic]" = forms.ModelChoiceField(
        label=_("Clinic"), queryset=None
    )
    day = PlausibleDateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args: Any, clinics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["clinic"]).queryset = clinics

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The end is before the start."))
        return data
