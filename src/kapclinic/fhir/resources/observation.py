"""Observation <- dosing.VitalSign (one reading is a blood-pressure panel, a heart rate, an
SpO2 and, when taken, a respiratory rate) and <- screening.QuestionnaireResponse (its total)."""

from typing import Any

from django.db.models import QuerySet

from kapclinic.accounts.models import User
from kapclinic.dosing.access import SESSION_ROLES
from kapclinic.dosing.models import VitalSign
from kapclinic.fhir.resources.base import (
    LOINC,
    Reader,
    ResourceType,
    Source,
    coding,
    instant,
    patient_ref,
    patient_ref_of,
    ref,
    require_role,
)
from kapclinic.fhir.resources.questionnaire import COLUMNS as RESPONSE_COLUMNS
from kapclinic.fhir.resources.questionnaire import response_rows
from kapclinic.patients.access import visible_patients

UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INSTRUMENT_SYSTEM = "https://kapclinic.example/fhir/CodeSystem/instrument"

# LOINC 2.80 (loinc.org), as the FHIR R4 vital-signs profile names them:
BP_PANEL = ("85354-9", "Blood pressure panel with all children optional")  # LOINC 85354-9
SYSTOLIC = ("8480-6", "Systolic blood pressure")  # LOINC 8480-6
DIASTOLIC = ("8462-4", "Diastolic blood pressure")  # LOINC 8462-4
HEART_RATE = ("8867-4", "Heart rate")  # LOINC 8867-4
# LOINC 59408-5, the pulse-oximetry code the FHIR R4 oxygen-saturation profile requires.
SPO2 = ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry")
RESPIRATORY_RATE = ("9279-1", "Respiratory rate")  # LOINC 9279-1
# Instrument totals with a LOINC code (loinc.org: 44261-6 PHQ-9 total score [Reported],
# 70274-6 GAD-7 total score [Reported.PHQ]); the others carry only our instrument code.
TOTAL_CODES = {
    "PHQ-9": ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
    "GAD-7": ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"),
}


def vital_rows(user: User) -> QuerySet[VitalSign]:
    require_role(user, SESSION_ROLES)
    return VitalSign.objects.filter(session__patient__in=visible_patients(user))


def _quantity(value: int, unit: str, code: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def _concept(pair: tuple[str, str]) -> dict[str, Any]:
    return {"coding": [coding(LOINC, pair[0], pair[1])], "text": pair[1]}


def _vital(reading: VitalSign, code: tuple[str, str]) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [coding(CATEGORY, "vital-signs", "Vital Signs")]}],
        "code": _concept(code),
        "subject": patient_ref(reading.session.patient),
        "effectiveDateTime": instant(reading.taken_at),
        "issued": instant(reading.recorded_at),
        "performer": [ref("Practitioner", reading.recorded_by_id)],
    }


def blood_pressure(reading: VitalSign, reader: Reader) -> dict[str, Any]:
    return {
        **_vital(reading, BP_PANEL),
        "component": [
            {
                "code": _concept(SYSTOLIC),
                "valueQuantity": _quantity(reading.systolic, "mmHg", "mm[Hg]"),
            },
            {
                "code": _concept(DIASTOLIC),
                "valueQuantity": _quantity(reading.diastolic, "mmHg", "mm[Hg]"),
            },
        ],
    }


def heart_rate(reading: VitalSign, reader: Reader) -> dict[str, Any]:
    return {
        **_vital(reading, HEART_RATE),
        "valueQuantity": _quantity(reading.pulse, "/min", "/min"),
    }


def oxygen_saturation(reading: VitalSign, reader: Reader) -> dict[str, Any]:
    return {**_vital(reading, SPO2), "valueQuantity": _quantity(reading.spo2, "%", "%")}


def respiratory_rate(reading: VitalSign, reader: Reader) -> dict[str, Any]:
    value = _quantity(reading.respiratory_rate or 0, "/min", "/min")
    return {**_vital(reading, RESPIRATORY_RATE), "valueQuantity": value}


def instrument_total(response: dict[str, Any], reader: Reader) -> dict[str, Any]:
    instrument = response["instrument"]
    loinc = TOTAL_CODES.get(instrument)
    codings = [coding(INSTRUMENT_SYSTEM, instrument, f"{instrument} total")]
    if loinc:
        codings.insert(0, coding(LOINC, *loinc))
    return {
        "resourceType": "Observation",
        "status": "entered-in-error" if response["entered_in_error"] else "final",
        "category": [{"coding": [coding(CATEGORY, "survey", "Survey")]}],
        "code": {"coding": codings, "text": f"{instrument} total score"},
        "subject": patient_ref_of(response, "patient"),
        "effectiveDateTime": instant(response["submitted_at"]),
        "valueInteger": response["total"],
        "interpretation": [{"text": response["band"]}],
        "derivedFrom": [ref("QuestionnaireResponse", response["pk"])],
    }


def _vital_source(prefix: str, to_fhir: Any, rows: Any = vital_rows) -> Source:
    return Source(
        rows,
        to_fhir,
        prefix=prefix,
        patient="session__patient",
        date="taken_at",
        updated="recorded_at",
        fixed_status="final",
    )


OBSERVATION = ResourceType(
    "Observation",
    (
        _vital_source("bp-", blood_pressure),
        _vital_source("hr-", heart_rate),
        _vital_source("spo2-", oxygen_saturation),
        _vital_source(
            "rr-", respiratory_rate, lambda user: vital_rows(user).exclude(respiratory_rate=None)
        ),
        Source(
            response_rows,
            instrument_total,
            prefix="score-",
            patient="patient",
            date="submitted_at",
            updated="submitted_at",
            values=RESPONSE_COLUMNS,
            status_field="entered_in_error",
            statuses={"final": (False,), "entered-in-error": (True,)},
        ),
    ),
)
