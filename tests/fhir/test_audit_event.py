"""AuditEvent search by patient: what the access report finds, list events included."""

from typing import Any

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.patients.selectors import patient_chart, search_patients
from tests.factories import PatientFactory, UserFactory


def _lists(bundle: dict[str, Any]) -> list[str]:
    """The list codes of the bundle's events (a page of a list names no single patient)."""
    return [
        entity["what"]["identifier"]["value"]
        for entry in bundle.get("entry", [])
        for entity in entry["resource"].get("entity", [])
        if entity["what"].get("identifier", {}).get("value", "").startswith("list/")
    ]


def test_a_search_by_patient_finds_the_list_pages_that_showed_them(
    network: dict[str, Any], api: Any
) -> None:
    """A search page that showed A is one event naming its patients: AuditEvent?patient=A
    finds it (as the access report does), with A's chart being opened; another patient's
    search does not. A network-wide director, on no Montréal staff list, is found too."""
    patient, other = network["patient_a"], PatientFactory(clinic=network["montreal"])
    search_patients(by=network["nurse"], query="Zzyzx-Patient")
    patient_chart(by=network["physician"], patient_id=patient.pk)
    director = UserFactory(
        role="physician", clinics=[], is_medical_director=True, network_wide=True
    )
    search_patients(by=director, query="Canary")
    reader = api(network["privacy_officer"])  # Montréal's, not network-wide

    bundle = reader.ok("AuditEvent", {"patient": str(patient.pk), "_count": "100"})

    assert _lists(bundle) == ["list/patient_search", "list/patient_search"]
    agents = sorted(e["resource"]["agent"][0]["who"]["display"] for e in bundle["entry"])
    assert agents == sorted([network["nurse"].email, network["physician"].email, director.email])
    names = {
        entity.get("name")
        for entry in bundle["entry"]
        for entity in entry["resource"].get("entity", [])
    }
    assert "Patient search (the results)" in names
    assert bundle["total"] == 3
    assert _lists(reader.ok("AuditEvent", {"patient": f"Patient/{other.pk}"})) == []


def test_the_search_by_patient_stays_within_the_readers_clinics(
    network: dict[str, Any], api: Any
) -> None:
    """Vancouver's privacy officer does not see that a director found Montréal's A."""
    director = UserFactory(
        role="physician", clinics=[], is_medical_director=True, network_wide=True
    )
    search_patients(by=director, query="Zzyzx-Patient")
    assert AuditEvent.objects.filter(actor=director, action=Action.SEARCH).exists()
    vancouver = UserFactory(role="privacy_officer", clinics=[network["vancouver"]])
    bundle = api(vancouver).ok("AuditEvent", {"patient": str(network["patient_a"].pk)})
    assert bundle["total"] == 0
