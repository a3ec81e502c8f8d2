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
    patient_columns,
    patient_ref_of,
)

SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_TEXT_BASE = "https://kapclinic.example/fhir/consent-text"
# Our consent kinds -> FHIR consent scope (http://hl7.org/fhir/R4/valueset-consent-scope.html)
SCOPE = {
    ConsentKind.TREATMENT: "treatment",
    ConsentKind.RECORDING: "patient-privacy",
    ConsentKind.SHARE_WITH_REFERRER: "patient-privacy",
}


# The columns consent() reads (a plain row, see Source.values).
COLUMNS = ("kind", "withdrawn_at", "given_at", "text_version", *patient_columns("patient"))


def consent(record: dict[str, Any], reader: Reader) -> dict[str, Any]:
    kind = ConsentKind(record["kind"])
    given, withdrawn = instant(record["given_at"]), instant(record["withdrawn_at"])
    patient = patient_ref_of(record, "patient")
    return {
        "resourceType": "Consent",
        "status": "inactive" if withdrawn else "active",
        "scope": {"coding": [coding(SCOPE_SYSTEM, SCOPE[kind])]},
        "category": [{"text": str(kind.label)}],
        "patient": patient,
        "dateTime": given,
        "performer": [dict(patient)],
        "policy": [{"uri": f"{CONSENT_TEXT_BASE}/{kind.value}/{record['text_version']}"}],
        "provision": {"type": "permit", "period": {"start": given, "end": withdrawn}},
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
            values=COLUMNS,
            status_field="withdrawn_at__isnull",
            statuses={"active": (True,), "inactive": (False,)},
        ),
    ),
)
