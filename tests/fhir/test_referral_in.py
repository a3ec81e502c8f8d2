"""Inbound e-referral: a referrer's EMR posts a transaction Bundle; it lands in the intake
queue with its 24-hour clock, through the portal's form and service."""

from copy import deepcopy
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kapclinic.fhir.referral_in import CHECKLIST
from kapclinic.fhir.resources.patient import HEALTH_NUMBER_SYSTEM
from kapclinic.fhir.resources.referral import CONDITION_SYSTEM
from kapclinic.referrals.models import Channel, Referral, Status
from kapclinic.referrals.selectors import intake_queue
from tests.fhir.conftest import outcome, validated

pytestmark = pytest.mark.django_db


def bundle(**patient_changes: Any) -> dict[str, Any]:
    patient = {
        "resourceType": "Patient",
        "name": [{"family": "Fortin", "given": ["Léa"]}],
        "birthDate": "1990-04-05",
        "identifier": [{"system": HEALTH_NUMBER_SYSTEM["QC"], "value": "FORL 9054 0512"}],
        "telecom": [
            {"system": "phone", "value": "514-555-0142"},
            {"system": "email", "value": "lea@example.test"},
        ],
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "fr"}]}}],
        **patient_changes,
    }
    request = {
        "resourceType": "ServiceRequest",
        "status": "active",
        "intent": "order",
        "subject": {"reference": "urn:uuid:patient"},
        "reasonCode": [{"coding": [{"system": CONDITION_SYSTEM, "code": "depression"}]}],
        "note": [{"text": "Depression resistant to two antidepressants."}],
    }
    checklist = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": CHECKLIST,
        "status": "completed",
        "item": [
            {"linkId": "untreated_hypertension", "answer": [{"valueBoolean": True}]},
            {"linkId": "psychosis", "answer": [{"valueBoolean": False}]},
            {"linkId": "medications", "answer": [{"valueString": "Sertraline 100 mg"}]},
            {"linkId": "patient_agreed", "answer": [{"valueBoolean": True}]},
        ],
    }
    entries = [
        {
            "fullUrl": "urn:uuid:patient",
            "resource": patient,
            "request": {"method": "POST", "url": "Patient"},
        },
        {"resource": request, "request": {"method": "POST", "url": "ServiceRequest"}},
        {"resource": checklist, "request": {"method": "POST", "url": "QuestionnaireResponse"}},
    ]
    return validated({"resourceType": "Bundle", "type": "transaction", "entry": entries})


def test_a_bundle_becomes_a_referral_in_the_intake_queue(network: Any, api: Any) -> None:
    response = api(network["referrer"]).send("post", "", bundle())
    assert response.status_code == 200, response.content
    answer = validated(response.json())
    assert answer["type"] == "transaction-response"
    referral = Referral.objects.exclude(pk=network["referral"].pk).get()
    responses = [entry["response"] for entry in answer["entry"]]
    # One response per request entry, in order: Patient, ServiceRequest, QuestionnaireResponse.
    assert [r["status"] for r in responses] == ["200 OK", "201 Created", "201 Created"]
    assert responses[0]["location"] == f"Patient/{referral.patient_id}"
    assert responses[1]["location"] == f"ServiceRequest/{referral.pk}"
    assert responses[1]["outcome"]["resourceType"] == "Task"
    assert responses[1]["outcome"]["id"] == str(referral.pk)
    assert responses[2]["location"] == f"ServiceRequest/{referral.pk}"
    assert response["Location"].endswith(f"/fhir/R4/Task/{referral.pk}")
    assert referral.status == Status.RECEIVED and referral.channel == Channel.PORTAL
    assert referral.health_number == "FORL90540512"
    assert referral.contraindications == ["untreated_hypertension"]
    assert referral.medications == "Sertraline 100 mg"
    assert referral.contact_due_at - referral.received_at == timedelta(hours=24)
    assert referral.received_at > timezone.now() - timedelta(minutes=1)
    assert referral in intake_queue(by=network["intake"]).referrals
    task = api(network["referrer"]).ok(f"Task/{referral.pk}")
    assert task["status"] == "received"


def test_an_existing_record_of_another_clinic_is_never_linked(network: Any, api: Any) -> None:
    other = network["patient_b"]  # Vancouver
    sent = bundle(
        name=[{"family": other.legal_family_name, "given": [other.legal_given_name]}],
        birthDate=other.date_of_birth.isoformat(),
    )
    assert api(network["referrer"]).send("post", "", sent).status_code == 200
    referral = Referral.objects.exclude(pk=network["referral"].pk).get()
    assert referral.patient_id != other.pk


def test_the_referrer_reads_the_patient_the_response_locates(network: Any, api: Any) -> None:
    """The transaction-response names Patient/ID: the referrer's EMR reads it (their own
    referral's patient, and no other)."""
    reader = api(network["referrer"])
    answer = reader.send("post", "", bundle()).json()
    location = answer["entry"][0]["response"]["location"]
    patient = reader.ok(location)
    assert patient["name"][0]["family"] == "Fortin"
    assert {e["resource"]["id"] for e in reader.ok("Patient")["entry"]} == {
        str(network["patient_a"].pk),
        location.removeprefix("Patient/"),
    }


def test_an_unverified_referrer_does_not_read_the_record_their_referral_made(
    network: Any, api: Any
) -> None:
    """An unverified referrer does not follow the patient (referrals.services: only a
    verified one joins the care team), over the API as in the web portal."""
    network["referrer_profile"].verified_at = None
    network["referrer_profile"].save()
    reader = api(network["referrer"])
    answer = reader.send("post", "", bundle()).json()
    referral = Referral.objects.exclude(pk=network["referral"].pk).get()
    assert referral.patient_id is not None
    outcome(reader.get(answer["entry"][0]["response"]["location"]), 404)


@pytest.mark.parametrize("actor", ["nurse", "intake", "physician", "patient_user"])
def test_only_referrers_send_referrals(network: Any, api: Any, actor: str) -> None:
    outcome(api(network[actor]).send("post", "", bundle()), 403)
    assert Referral.objects.count() == 1


def _without(kind: str) -> dict[str, Any]:
    sent = bundle()
    sent["entry"] = [e for e in sent["entry"] if e["resource"]["resourceType"] != kind]
    return sent


def _changed(path: tuple[int, str], value: Any) -> dict[str, Any]:
    sent = deepcopy(bundle())
    sent["entry"][path[0]]["resource"][path[1]] = value
    return sent


@pytest.mark.parametrize(
    ("body", "status", "where"),
    [
        ({"resourceType": "Patient"}, 400, ""),
        ({"resourceType": "Bundle", "type": "batch", "entry": []}, 400, ""),
        ({"resourceType": "Bundle", "type": "transaction", "entry": "x"}, 400, ""),
        (_without("ServiceRequest"), 422, "ServiceRequest"),
        (
            _changed((0, "identifier"), [{"system": HEALTH_NUMBER_SYSTEM["QC"], "value": "123"}]),
            422,
            "Patient.identifier[0].value",
        ),
        (_changed((0, "birthDate"), "2999-01-01"), 422, "Patient.birthDate"),
        (
            _changed((1, "reasonCode"), [{"coding": [{"system": CONDITION_SYSTEM, "code": "x"}]}]),
            422,
            "ServiceRequest.reasonCode",
        ),
        (
            _changed((2, "item"), []),
            422,
            "QuestionnaireResponse.item.where(linkId='patient_agreed')",
        ),
        (_without("QuestionnaireResponse"), 422, "QuestionnaireResponse"),
        (
            _changed((2, "questionnaire"), "http://elsewhere/Q"),
            422,
            "QuestionnaireResponse.questionnaire",
        ),
    ],
)
def test_invalid_bundles_are_refused_with_an_outcome(
    network: Any, api: Any, body: dict[str, Any], status: int, where: str
) -> None:
    body = outcome(api(network["referrer"]).send("post", "", body), status)
    if where:
        assert where in {e for issue in body["issue"] for e in issue.get("expression", [])}
    assert Referral.objects.count() == 1


def test_not_json_is_a_400_and_another_type_a_415(network: Any, api: Any) -> None:
    reader = api(network["referrer"])
    response = reader.client.post(
        "/fhir/R4/", "{nope", content_type="application/fhir+json", headers=reader.headers
    )
    outcome(response, 400)
    response = reader.client.post("/fhir/R4/", {"a": "b"}, headers=reader.headers)
    outcome(response, 415)


def _issues(body: dict[str, Any]) -> dict[str, str]:
    return {e: issue["diagnostics"] for issue in body["issue"] for e in issue["expression"]}


@pytest.mark.parametrize("kind", ["ServiceRequest", "QuestionnaireResponse"])
def test_a_missing_resource_is_named(network: Any, api: Any, kind: str) -> None:
    issues = _issues(outcome(api(network["referrer"]).send("post", "", _without(kind)), 422))
    assert list(issues) == [kind]
    assert issues[kind].startswith(f"{kind} missing")


def test_refusals_point_at_fhir_paths_with_the_accepted_codes(network: Any, api: Any) -> None:
    """An integrator reads where in the Bundle the problem is and what would be accepted,
    never a form field name of the web portal."""
    sent = _changed((0, "identifier"), [{"system": "urn:oid:elsewhere", "value": "1"}])
    sent["entry"][1]["resource"]["reasonCode"] = [
        {"coding": [{"system": CONDITION_SYSTEM, "code": "insomnia"}]}
    ]
    issues = _issues(outcome(api(network["referrer"]).send("post", "", sent), 422))
    assert set(issues) == {"Patient.identifier[0].system", "ServiceRequest.reasonCode"}
    for system in HEALTH_NUMBER_SYSTEM.values():
        assert system in issues["Patient.identifier[0].system"]
    assert "depression" in issues["ServiceRequest.reasonCode"]
    assert not {"province", "condition", "patient_agreed"} & set(issues)
