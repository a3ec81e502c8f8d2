"""Every clinical resource type: validates against R4B, follows the web UI's access rules (a
therapist off the care team sees nothing, billing is refused), and each read is audited."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.dosing.monitoring import record_adverse_event
from kapclinic.fhir.registry import RESOURCES
from kapclinic.screening.models import Source
from kapclinic.screening.services import record_response
from tests.dosing.conftest import dosed
from tests.fhir.conftest import outcome

pytestmark = pytest.mark.django_db

CLINICAL_TYPES = [
    "ServiceRequest",
    "Task",
    "Appointment",
    "Observation",
    "QuestionnaireResponse",
    "MedicationRequest",
    "MedicationAdministration",
    "AdverseEvent",
    "Consent",
    "EpisodeOfCare",
    "CarePlan",
]


@pytest.fixture
def chart(ready: dict[str, Any]) -> dict[str, Any]:
    """Patient A with a referral, a dosed session (baseline vitals, the dose), an adverse
    event, a PHQ-9 and a GAD-7, two consents and an enrolment."""
    session = dosed(ready, minutes_ago=30)
    record_adverse_event(
        by=ready["nurse"],
        session_id=session.pk,
        kind="nausea",
        severity="mild",
        onset_at=timezone.now() - timedelta(minutes=10),
        description="Nausea after the dose",
    )
    for instrument, answers in (("PHQ-9", [1] * 8 + [0]), ("GAD-7", [2] * 7)):
        record_response(
            by=ready["nurse"],
            patient=ready["patient_a"],
            instrument=instrument,
            answers=answers,
            source=Source.STAFF,
            language="en",
        )
    return ready


@pytest.mark.parametrize("resource_type", CLINICAL_TYPES)
def test_each_type_validates_and_is_found_by_patient(
    chart: dict[str, Any], api: Any, resource_type: str
) -> None:
    reader = api(
        chart["physician"] if resource_type not in ("ServiceRequest", "Task") else chart["intake"]
    )
    patient = chart["patient_a"]
    bundle = reader.ok(resource_type, {"patient": f"Patient/{patient.pk}", "_count": "50"})
    assert bundle["total"] >= 1
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert resource["resourceType"] == resource_type
        read = reader.ok(f"{resource_type}/{resource['id']}")
        assert read == resource
    event = AuditEvent.objects.filter(action=Action.READ, patient=patient).latest("id")
    assert event.detail == {"fhir": resource_type}


def test_vitals_use_the_loinc_codes(chart: dict[str, Any], api: Any) -> None:
    bundle = api(chart["nurse"]).ok("Observation", {"_count": "100"})
    codes = {
        entry["resource"]["code"]["coding"][0]["code"]: entry["resource"]
        for entry in bundle["entry"]
    }
    assert {"85354-9", "8867-4", "59408-5", "44261-6", "70274-6"} <= set(codes)
    panel = codes["85354-9"]
    components = {c["code"]["coding"][0]["code"]: c["valueQuantity"] for c in panel["component"]}
    assert components["8480-6"] == {
        "value": 122,
        "unit": "mmHg",
        "system": "http://unitsofmeasure.org",
        "code": "mm[Hg]",
    }
    assert components["8462-4"]["value"] == 78
    assert codes["44261-6"]["valueInteger"] == 8
    assert codes["70274-6"]["valueInteger"] == 14


@pytest.mark.parametrize("resource_type", CLINICAL_TYPES)
def test_therapist_off_the_care_team_sees_nothing(
    chart: dict[str, Any], api: Any, resource_type: str
) -> None:
    reader = api(chart["therapist_2"])
    response = reader.get(resource_type)
    if response.status_code == 403:  # a type the role never reads (the intake queue)
        outcome(response, 403)
        return
    assert response.status_code == 200
    assert response.json()["total"] == 0
    own = api(
        chart["physician"] if resource_type not in ("ServiceRequest", "Task") else chart["intake"]
    )
    some = own.ok(resource_type)["entry"][0]["resource"]["id"]
    outcome(reader.get(f"{resource_type}/{some}"), 404)


@pytest.mark.parametrize("resource_type", CLINICAL_TYPES)
def test_billing_gets_a_403_without_data(
    chart: dict[str, Any], api: Any, resource_type: str
) -> None:
    response = api(chart["billing"]).get(resource_type)
    outcome(response, 403)
    assert b"Zzyzx" not in response.content


def test_status_and_date_filters(chart: dict[str, Any], api: Any) -> None:
    reader = api(chart["physician"])
    assert reader.ok("Observation", {"status": "entered-in-error"})["total"] == 0
    final = reader.ok("Observation", {"status": "final"})["total"]
    assert final == reader.ok("Observation")["total"] > 0
    tomorrow = (timezone.now() + timedelta(days=2)).date().isoformat()
    assert reader.ok("Observation", {"date": f"ge{tomorrow}"})["total"] == 0
    assert reader.ok("Consent", {"status": "active"})["total"] == 2
    assert reader.ok("Consent", {"status": "inactive"})["total"] == 0
    assert reader.ok("Appointment", {"status": "booked,fulfilled"})["total"] == 1
    assert reader.ok("Appointment", {"status": "cancelled"})["total"] == 0


def test_audit_events_for_the_privacy_officer_only(chart: dict[str, Any], api: Any) -> None:
    chart["privacy_officer"].network_wide = True
    chart["privacy_officer"].save()
    bundle = api(chart["privacy_officer"]).ok(
        "AuditEvent", {"patient": str(chart["patient_a"].pk), "_count": "100"}
    )
    assert bundle["total"] > 0
    assert AuditEvent.objects.filter(action=Action.SEARCH, detail__fhir="AuditEvent").exists()
    outcome(api(chart["physician"]).get("AuditEvent"), 403)


def test_the_capability_statement_lists_every_type(chart: dict[str, Any], api: Any) -> None:
    statement = api(chart["nurse"]).ok("metadata")
    resources = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(resources) == set(RESOURCES)
    assert {"Questionnaire", "CarePlan"} <= set(resources)
    assert {p["name"] for p in resources["Questionnaire"]["searchParam"]} == {
        "_id",
        "_lastUpdated",
        "status",
        "url",
    }
    assert {p["name"] for p in resources["CarePlan"]["searchParam"]} == {
        "_id",
        "_lastUpdated",
        "patient",
        "date",
        "status",
    }
    assert statement["rest"][0]["operation"][0]["name"] == "export"


@pytest.mark.parametrize("resource_type", ["Practitioner", "Organization", "Location"])
def test_the_directory_validates(chart: dict[str, Any], api: Any, resource_type: str) -> None:
    reader = api(chart["nurse"])
    bundle = reader.ok(resource_type)
    assert bundle["total"] >= 1
    first = bundle["entry"][0]["resource"]
    assert reader.ok(f"{resource_type}/{first['id']}") == first
    outcome(api(chart["patient_user"]).get(resource_type), 403)
