"""Consent <- care.Consent: the version of the text signed, given or withdrawn (kept)."""

from typing import Any

from kapclinic.care.models import Consent, ConsentKind
from kapclinic.fhir.resources.base import (
    LAST_CHANGE,
    Reader,
    ResourceType,
    Source,
    clinical_rows,
    coding,
    column,
    instant,
    last_change,
    patient_ref,
)

SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_TEXT_BASE = "https://kapclinic.example/fhir/consent-text"
# Our consent kinds -> FHIR consent scope (http://hl7.org/fhir/R4/valueset-consent-scope.html)
SCOPE = {
    ConsentKind.TREATMENT: "treatment",
    ConsentKind.RECORDING: "patient-privacy",
    ConsentKind.SHARE_WITH_REFERRER: "patient-privacy",
}


def consent(record: Consent, reader: Reader) -> dict[str, Any]:
    kind = ConsentKind(record.kind)
    return {
        "resourceType": "Consent",
        "status": "inactive" if record.withdrawn_at else "active",
        "scope": {"coding": [coding(SCOPE_SYSTEM, SCOPE[kind])]},
        "category": [{"text": str(kind.label)}],
        "patient": patient_ref(record.patient),
        "dateTime": instant(record.given_at),
        "performer": [patient_ref(record.patient)],
        "policy": [{"uri": f"{CONSENT_TEXT_BASE}/{record.kind}/{record.text_version}"}],
        "provision": {
            "type": "permit",
            "period": {"start": instant(record.given_at), "end": instant(record.withdrawn_at)},
        },
    }


CONSENT = ResourceType(
    "Consent",
    (
        Source(
            clinical_rows(Consent),
            consent,
            patient="patient",
            date="given_at",
            updated=LAST_CHANGE,  # given, then perhaps withdrawn
            annotations=last_change("given_at", column("withdrawn_at")),
            status_field="withdrawn_at__isnull",
            statuses={"active": (True,), "inactive": (False,)},
        ),
    ),
)
