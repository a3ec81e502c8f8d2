"""The one place where a stored code becomes the words a person reads.

Codes are kept in the database and passed between modules (`needs_review`, `zone_1`,
`suicidal_ideation`); a page, an email or a chart shows the label, in the reader's language:
`{{ finding.severity|label:"severity" }}` in a template (a builtin filter, settings.TEMPLATES),
`label(code, "band")` in Python. A code nobody named yet reads as words ("needs review"),
never with underscores; tests/web/test_no_codes_shown.py walks the demo to keep it so.
"""

from collections.abc import Mapping
from types import MappingProxyType

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kapclinic.clinical import eligibility, instruments

register = template.Library()

# Severity bands of the questionnaires (clinical.instruments, each with its source there).
BANDS: Mapping[str, Promise] = {
    "minimal": pgettext_lazy("severity band", "Minimal"),
    "mild": pgettext_lazy("severity band", "Mild"),
    "moderate": pgettext_lazy("severity band", "Moderate"),
    "moderately_severe": pgettext_lazy("severity band", "Moderately severe"),
    "severe": pgettext_lazy("severity band", "Severe"),
    "below_threshold": _("Below the threshold"),
    "probable_ptsd": _("Probable PTSD"),
    "zone_1": _("Zone I (low risk)"),
    "zone_2": _("Zone II (hazardous use)"),
    "zone_3": _("Zone III (harmful use)"),
    "zone_4": _("Zone IV (possible dependence)"),
    "no_problem": _("No drug-related problem"),
    "drug_related_problems": _("Drug-related problems"),
    "probable_dependence": _("Probable dependence"),
}

FLAGS: Mapping[str, Promise] = {
    instruments.SUICIDAL_IDEATION: _("Suicidal ideation"),
    instruments.PROVISIONAL_PTSD_DSM5: _("Provisional PTSD (DSM-5 pattern)"),
    # A referral's flags (referrals.intake).
    "under_minimum_age": _("Under the minimum age"),
    "pregnant_or_nursing": _("Pregnant or nursing"),
    "unverified_referrer": _("Referrer not verified"),
    "possible_match": _("Possible existing record: reconcile"),
}

SEVERITIES: Mapping[str, Promise] = {
    eligibility.Severity.ABSOLUTE: pgettext_lazy("contraindication", "Absolute"),
    eligibility.Severity.RELATIVE: pgettext_lazy("contraindication", "Relative"),
    eligibility.Severity.INFO: _("For information"),
}

OUTCOMES: Mapping[str, Promise] = {
    eligibility.Outcome.ELIGIBLE: _("eligible"),
    eligibility.Outcome.INELIGIBLE: _("not eligible"),
    eligibility.Outcome.NEEDS_REVIEW: _("needs a physician's review"),
}

CONTRAINDICATIONS: Mapping[str, Promise] = {
    "psychosis": _("History of psychosis"),
    "mania": _("History of mania"),
    "untreated_hypertension": _("Untreated hypertension"),
    "heart_disease_or_stroke": _("Heart disease or stroke"),
    "cardiovascular_disease": _("Cardiovascular disease"),
    "cerebrovascular_disease": _("Cerebrovascular disease"),
    "seizures": _("Seizures"),
    "seizure_disorder": _("Seizure disorder"),
    "severe_liver_disease": _("Severe liver disease"),
    "untreated_thyroid_disease": _("Untreated thyroid disease"),
    "pregnant_or_nursing": _("Pregnant or nursing"),
    "other": _("Other"),
}

# What an audit event is about: the model's label (app.model) -> a word for it.
OBJECTS: Mapping[str, Promise] = {
    "patients.patient": _("Patient"),
    "referrals.referral": _("Referral"),
    "referrals.referrer": _("Referrer"),
    "referrals.attachment": _("Attachment"),
    "referrals.referralattachment": _("Attachment"),
    "screening.screening": _("Screening"),
    "screening.determination": _("Determination"),
    "screening.questionnaireresponse": _("Questionnaire"),
    "screening.safetyflag": _("Safety flag"),
    "care.enrolment": _("Enrolment"),
    "care.consent": _("Consent"),
    "scheduling.appointment": _("Appointment"),
    "dosing.order": _("Ketamine order"),
    "dosing.dosingsession": _("Dosing session"),
    "dosing.administration": _("Administration"),
    "dosing.vitalsign": _("Vital signs"),
    "dosing.discharge": _("Discharge"),
    "care.materialassignment": _("Preparation material"),
    "patients.careteammember": _("Care team"),
    "scheduling.attendance": _("Attendance"),
    "recordings.recording": _("Recording"),
    "recordings.accessrequest": _("Request for a recording"),
    "recordings.playbackgrant": _("Recording playback"),
    "register.ledgerentry": _("Register entry"),
    "accounts.user": _("Account"),
    "accounts.credential": _("Credential"),
}

# Lists audited as one event naming the patients shown (audit_review.selectors.events_about).
LISTS: Mapping[str, Promise] = {
    "intake_queue": _("Intake queue (a page of the list)"),
    "week": _("Clinic week (the calendar)"),
    "patient_search": _("Patient search (the results)"),
    "my_tasks": _("My tasks"),
    "billing_to_invoice": _("Services to invoice (billing)"),
    "billing_receivables": _("Receivables (billing)"),
    "dosing_today": _("Today's dosing sessions"),
    "group_roster": _("Integration group roster"),
    "recordings": _("Recordings (the list)"),
    "recording_requests": _("Requests for a copy of a recording"),
    "fhir_search": _("FHIR API search (a page of results)"),
}

_KINDS: dict[str, Mapping[str, Promise]] = {
    "band": BANDS,
    "flag": FLAGS,
    "severity": SEVERITIES,
    "outcome": OUTCOMES,
    "contraindication": CONTRAINDICATIONS,
    "object": OBJECTS,
    "list": LISTS,
}
KINDS: Mapping[str, Mapping[str, Promise]] = MappingProxyType(_KINDS)


def name_kind(kind: str, names: Mapping[str, Promise]) -> None:
    """An app above this module names the codes of one kind, from its AppConfig.ready: accounts
    names the roles ("role"), which this module, below the domain apps, may not import."""
    _KINDS[kind] = MappingProxyType(dict(names))


def words(code: str) -> str:
    """A code nobody has named yet, as words rather than a code ("needs review")."""
    last = code.rsplit(".", 1)[-1]
    return last.replace("_", " ").strip().capitalize()


@register.filter
def label(code: object, kind: str) -> str:
    """The reader's words for a code of this kind ("" stays "")."""
    if code is None or code == "":
        return ""
    named = KINDS[kind].get(str(code))
    return str(named) if named is not None else words(str(code))


@register.filter
def labels(codes: object, kind: str) -> str:
    """Several codes of one kind, as a comma-separated list."""
    return ", ".join(label(code, kind) for code in (codes or ()))  # type: ignore[attr-defined]
