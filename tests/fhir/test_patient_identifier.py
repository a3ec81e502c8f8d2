"""Patient?identifier=system|value: an EMR finds a patient by health number, with the
systems Patient.identifier carries and e-referrals accept, within what the user may see."""

from typing import Any

import pytest

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.fhir.resources.patient import HEALTH_NUMBER_SYSTEM
from tests.factories import PatientFactory
from tests.fhir.conftest import outcome

pytestmark = pytest.mark.django_db
RAMQ = HEALTH_NUMBER_SYSTEM["QC"]
PHN = HEALTH_NUMBER_SYSTEM["BC"]


@pytest.fixture
def numbered(network: dict[str, Any]) -> dict[str, Any]:
    """Patient A (Montréal) with a RAMQ number, patient B (Vancouver) with a BC PHN."""
    for key, province, number in (
        ("patient_a", "QC", "ZZYC85061512"),
        ("patient_b", "BC", "9698658215"),
    ):
        patient = network[key]
        patient.health_number_province, patient.health_number = province, number
        patient.save()
    return network


def _ids(bundle: dict[str, Any]) -> list[str]:
    return [entry["resource"]["id"] for entry in bundle.get("entry", [])]


def test_the_identifier_a_patient_carries_finds_that_patient(numbered: Any, api: Any) -> None:
    reader = api(numbered["physician"])
    patient = numbered["patient_a"]
    PatientFactory(clinic=numbered["montreal"])  # no health number
    (identifier,) = reader.ok(f"Patient/{patient.pk}")["identifier"]
    assert identifier == {"system": RAMQ, "value": "ZZYC85061512"}
    found = reader.ok("Patient", {"identifier": f"{RAMQ}|ZZYC85061512"})
    assert found["total"] == 1 and _ids(found) == [str(patient.pk)]
    # The search link keeps the criterion, so the next page is of the same search.
    assert "identifier=" in found["link"][0]["url"]


@pytest.mark.parametrize("typed", ["zzyc 8506 1512", "ZZYC-8506-1512", " zzyc85061512 "])
def test_the_value_is_normalised_as_health_numbers_are_stored(
    numbered: Any, api: Any, typed: str
) -> None:
    found = api(numbered["nurse"]).ok("Patient", {"identifier": f"{RAMQ}|{typed}"})
    assert _ids(found) == [str(numbered["patient_a"].pk)]


def test_a_value_without_a_system_matches_a_number_of_any_province(numbered: Any, api: Any) -> None:
    """FHIR token search: `value` alone matches whatever the system; `|value` only an
    identifier with no system, and every identifier this server writes has one."""
    numbered["physician"].clinics.add(numbered["vancouver"])
    reader = api(numbered["physician"])
    assert _ids(reader.ok("Patient", {"identifier": "ZZYC85061512"})) == [
        str(numbered["patient_a"].pk)
    ]
    assert _ids(reader.ok("Patient", {"identifier": "9698 658 215"})) == [
        str(numbered["patient_b"].pk)
    ]
    assert reader.ok("Patient", {"identifier": "|ZZYC85061512"})["total"] == 0


def test_another_system_or_an_unknown_one_matches_nothing(numbered: Any, api: Any) -> None:
    reader = api(numbered["physician"])
    assert reader.ok("Patient", {"identifier": f"{PHN}|ZZYC85061512"})["total"] == 0
    assert reader.ok("Patient", {"identifier": "urn:oid:1.2.3|ZZYC85061512"})["total"] == 0
    assert reader.ok("Patient", {"identifier": f"{RAMQ}|ZZYC00000000"})["total"] == 0


def test_a_system_alone_matches_every_number_of_that_system(numbered: Any, api: Any) -> None:
    reader = api(numbered["physician"])
    PatientFactory(clinic=numbered["montreal"])  # no health number: no identifier
    assert _ids(reader.ok("Patient", {"identifier": f"{RAMQ}|"})) == [str(numbered["patient_a"].pk)]


def test_commas_are_any_of_and_repeated_parameters_all_of(numbered: Any, api: Any) -> None:
    other = PatientFactory(
        clinic=numbered["montreal"], health_number_province="QC", health_number="OTHE70010112"
    )
    reader = api(numbered["physician"])
    either = reader.ok("Patient", {"identifier": f"{RAMQ}|ZZYC85061512,{RAMQ}|OTHE70010112"})
    assert sorted(_ids(either)) == sorted([str(numbered["patient_a"].pk), str(other.pk)])
    response = reader.client.get(
        "/fhir/R4/Patient?identifier=ZZYC85061512&identifier=OTHE70010112",
        headers=reader.headers,
    )
    assert response.status_code == 200 and response.json()["total"] == 0


def test_the_search_sees_only_the_patients_the_user_may_see(numbered: Any, api: Any) -> None:
    """Patient B is of the Vancouver clinic: the Montréal physician's search does not find
    them, and nothing about them enters the audit trail."""
    found = api(numbered["physician"]).ok("Patient", {"identifier": f"{PHN}|9698658215"})
    assert found["total"] == 0 and "entry" not in found
    assert not AuditEvent.objects.filter(patient=numbered["patient_b"]).exists()
    other = api(numbered["therapist_2"])  # not on patient A's care team
    assert other.ok("Patient", {"identifier": "ZZYC85061512"})["total"] == 0
    own = api(numbered["patient_user"])  # a patient: their own record only
    assert own.ok("Patient", {"identifier": "ZZYC85061512"})["total"] == 1
    assert own.ok("Patient", {"identifier": "9698658215"})["total"] == 0


def test_the_search_is_audited_like_the_other_patient_searches(numbered: Any, api: Any) -> None:
    api(numbered["billing"]).ok("Patient", {"identifier": "ZZYC85061512"})
    event = AuditEvent.objects.filter(action=Action.SEARCH, actor=numbered["billing"]).get()
    # one event for the page of results, naming the patients it found (as every list page)
    assert event.detail == {
        "list": "fhir_search",
        "fhir": "Patient",
        "patients": [numbered["patient_a"].pk],
    }


def test_a_search_by_identifier_pins_its_queries(
    numbered: Any, api: Any, django_assert_num_queries: Any
) -> None:
    reader = api(numbered["physician"])
    reader.ok("Patient")  # the token's last use is written once
    # the token and its user, the count, the page, the audit events (one insert)
    with django_assert_num_queries(4):
        reader.ok("Patient", {"identifier": f"{RAMQ}|ZZYC85061512"})


def test_a_role_that_does_not_read_health_numbers_cannot_search_by_them(
    numbered: Any, api: Any
) -> None:
    """A referrer reads the patients they referred, but not their health numbers: a match
    would tell whose number it is."""
    response = api(numbered["referrer"]).get("Patient", {"identifier": "ZZYC85061512"})
    body = outcome(response, 403)
    assert "health numbers" in body["issue"][0]["diagnostics"]
    assert b"Zzyzx" not in response.content
    outcome(api(numbered["privacy_officer"]).get("Patient", {"identifier": "ZZYC85061512"}), 403)


@pytest.mark.parametrize("value", ["", ",", "|", " | ", "x" * 201])
def test_an_unreadable_identifier_is_a_400_not_every_patient(
    numbered: Any, api: Any, value: str
) -> None:
    body = outcome(api(numbered["physician"]).get("Patient", {"identifier": value}), 400)
    assert "identifier" in body["issue"][0]["diagnostics"]


def test_the_refusal_is_translated(numbered: Any, api: Any) -> None:
    reader = api(numbered["physician"])
    response = reader.get("Patient", {"identifier": "|"}, headers={"Accept-Language": "fr"})
    assert "valeur" in outcome(response, 400)["issue"][0]["diagnostics"]


def test_the_capability_statement_lists_identifier_for_patient_only(network: Any, api: Any) -> None:
    resources = api(network["nurse"]).ok("metadata")["rest"][0]["resource"]
    params = {r["type"]: {p["name"]: p for p in r["searchParam"]} for r in resources}
    identifier = params["Patient"]["identifier"]
    assert identifier["type"] == "token"
    assert RAMQ in identifier["documentation"] and PHN in identifier["documentation"]
    assert not [
        name for name, found in params.items() if name != "Patient" and "identifier" in found
    ]


def test_identifier_is_in_the_supported_parameters_message(network: Any, api: Any) -> None:
    refused = outcome(api(network["nurse"]).get("Patient", {"name": "Zzyzx"}), 400)
    assert "identifier" in refused["issue"][0]["diagnostics"]
    refused = outcome(api(network["nurse"]).get("Observation", {"identifier": "x"}), 400)
    assert "Observation has no search parameter identifier" in refused["issue"][0]["diagnostics"]
