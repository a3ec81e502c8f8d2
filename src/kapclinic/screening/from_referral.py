"""What a referral tells the screening before anyone asks: its contraindications, medications
and history become the screening's starting facts, marked as the referrer's word.

The referral's checklist is coarser than the screening's: where one referral box covers two
screening facts ("heart disease or stroke", "pregnant or nursing"), both are set, so that the
screening starts at the referral's level of caution and never below it; the physician unticks
what does not apply. The facts stay editable; the form names what the referral said beside
each field (ReferralFacts.notes)."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from kapclinic.labels import labels

# Referral checklist code -> screening medical-history codes (clinical.eligibility.Condition).
HISTORY_FROM_CONTRAINDICATION: dict[str, tuple[str, ...]] = {
    "psychosis": ("psychosis",),
    "mania": ("mania",),
    "untreated_hypertension": ("untreated_hypertension",),
    "heart_disease_or_stroke": ("cardiovascular_disease", "cerebrovascular_disease"),
    "seizures": ("seizure_disorder",),
    "severe_liver_disease": ("severe_liver_disease",),
    "untreated_thyroid_disease": ("untreated_thyroid_disease",),
}
PREGNANT_OR_NURSING = "pregnant_or_nursing"


@dataclass(frozen=True)
class ReferralFacts:
    """The screening fields a referral fills, and per field what the referral said."""

    values: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def _history_text(referral: Any) -> str:
    parts = [referral.history.strip()]
    if referral.contraindication_other.strip():
        parts.append(
            _("Other contraindication: %(text)s") % {"text": referral.contraindication_other}
        )
    return "\n".join(part for part in parts if part)


def facts_from_referral(referral: Any) -> ReferralFacts:
    """The starting facts of a screening opened from this referral (empty without one)."""
    if referral is None:
        return ReferralFacts()
    ticked = list(referral.contraindications or ())
    history = [code for box in ticked for code in HISTORY_FROM_CONTRAINDICATION.get(box, ())]
    values: dict[str, Any] = {}
    notes: dict[str, str] = {}
    said = _("From the referral: %(what)s")
    if history:
        values["history"] = history
        boxes = [box for box in ticked if box in HISTORY_FROM_CONTRAINDICATION]
        notes["history"] = said % {"what": labels(boxes, "contraindication")}
    if PREGNANT_OR_NURSING in ticked:
        values["pregnant"] = values["nursing"] = True
        notes["pregnant"] = notes["nursing"] = said % {
            "what": labels([PREGNANT_OR_NURSING], "contraindication")
        }
    if referral.medications.strip():
        values["medications"] = referral.medications.strip()
        notes["medications"] = _("From the referral.")
    text = _history_text(referral)
    if text:
        values["psychiatric_history"] = text
        notes["psychiatric_history"] = _("From the referral.")
    return ReferralFacts(values=values, notes=notes)
