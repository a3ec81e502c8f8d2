"""Tokens, the CapabilityStatement, Patient read and search, and OperationOutcome refusals."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.fhir.models import ApiToken
from kapclinic.fhir.tokens import token_hash
from tests.factories import PatientFactory
from tests.fhir.conftest import outcome, validated

pytestmark = pytest.mark.django_db


def test_token_command_prints_a_token_once_and_stores_only_its_hash(network: Any) -> None:
    out = StringIO()
    call_command("token", "create", "--user", network["nurse"].email, stdout=out, stderr=StringIO())
    plain = out.getvalue().strip()
    token = ApiToken.objects.get(user=network["nurse"])
    assert token.token_hash == token_hash(plain)
    assert plain not in {token.token_hash, token.prefix}
    assert token.expires_at > timezone.now() + timedelta(days=80)


def test_metadata_is_a_capability_statement_listing_patient(network: Any, api: Any) -> None:
    statement = api(network["nurse"]).ok("metadata")
    assert statement["resourceType"] == "CapabilityStatement"
    types = {r["type"] for r in statement["rest"][0]["resource"]}
    assert {"Patient", "Practitioner", "Organization", "Location"} <= types


@pytest.mark.parametrize(
    "authorization", ["", "Bearer ", "Bearer kct_not-a-token", "Basic abc", "Bearer " + "x" * 500]
)
def test_no_valid_token_is_a_401_outcome(network: Any, client: Any, authorization: str) -> None:
    response = client.get("/fhir/R4/Patient", headers={"Authorization": authorization})
    outcome(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"
    assert b"Zzyzx" not in response.content


def test_a_signed_in_session_is_not_a_credential(network: Any, client: Any, login: Any) -> None:
    login(client, network["physician"])
    outcome(client.get("/fhir/R4/Patient"), 401)


def test_expired_and_revoked_tokens_are_refused(network: Any, api: Any) -> None:
    nurse = api(network["nurse"])
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    outcome(nurse.get("Patient"), 401)
    call_command(
        "token", "create", "--user", network["nurse"].email, stdout=StringIO(), stderr=StringIO()
    )
    fresh = ApiToken.objects.filter(revoked_at__isnull=True).latest("id")
    call_command("token", "revoke", "--id", str(fresh.pk), stdout=StringIO())
    assert ApiToken.objects.get(pk=fresh.pk).revoked_at is not None


def test_a_deactivated_users_token_is_refused(network: Any, api: Any) -> None:
    nurse = api(network["nurse"])
    network["nurse"].is_active = False
    network["nurse"].save()
    outcome(nurse.get("Patient"), 401)


def test_patient_read_validates_and_is_audited(network: Any, api: Any) -> None:
    patient = network["patient_a"]
    resource = api(network["physician"]).ok(f"Patient/{patient.pk}")
    assert resource["name"][0]["family"] == "Zzyzx-Patient"
    assert resource["managingOrganization"]["reference"] == f"Organization/{patient.clinic_id}"
    event = AuditEvent.objects.filter(action=Action.READ, patient=patient).latest("id")
    assert event.actor == network["physician"]
    assert event.detail == {"fhir": "Patient"}


def test_billing_reads_identity_but_not_sex_or_emergency_contact(network: Any, api: Any) -> None:
    resource = api(network["billing"]).ok(f"Patient/{network['patient_a'].pk}")
    assert "gender" not in resource
    assert "contact" not in resource
    assert resource["birthDate"]


def test_patient_of_another_clinic_is_a_404(network: Any, api: Any) -> None:
    body = outcome(api(network["physician"]).get(f"Patient/{network['patient_b'].pk}"), 404)
    assert body["issue"][0]["code"] == "not-found"


def test_therapist_off_the_care_team_gets_no_data(network: Any, api: Any) -> None:
    other = api(network["therapist_2"])
    outcome(other.get(f"Patient/{network['patient_a'].pk}"), 404)
    bundle = other.ok("Patient")
    assert bundle["total"] == 0 and "entry" not in bundle
    assert api(network["therapist"]).ok("Patient")["total"] == 1


@pytest.mark.parametrize("actor", ["no_role", "privacy_officer"])
def test_roles_without_charts_get_a_403(network: Any, api: Any, actor: str) -> None:
    response = api(network[actor]).get("Patient")
    outcome(response, 403)
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=network[actor]).exists()


def test_a_referrer_reads_the_patient_their_referral_was_linked_to(network: Any, api: Any) -> None:
    """Patient A is the patient of the referrer's referral (a verified referrer joins the
    care team as its referrer): identity only, as the chart's field rules give a referrer."""
    patient = network["patient_a"]
    patient.health_number_province, patient.health_number = "QC", "ZZYC85061512"
    patient.phone = "514-555-0100"
    patient.save()
    reader = api(network["referrer"])
    resource = reader.ok(f"Patient/{patient.pk}")
    assert resource["name"][0]["family"] == "Zzyzx-Patient" and resource["birthDate"]
    assert not {"identifier", "telecom", "gender", "contact"} & set(resource)
    event = AuditEvent.objects.filter(action=Action.READ, actor=network["referrer"]).get()
    assert event.patient == patient and event.detail == {"fhir": "Patient"}
    bundle = reader.ok("Patient")
    assert [e["resource"]["id"] for e in bundle["entry"]] == [str(patient.pk)]


def test_a_referrer_reads_no_other_patient(network: Any, api: Any) -> None:
    reader = api(network["referrer"])
    same_clinic = PatientFactory(clinic=network["montreal"])
    for other in (network["patient_b"], same_clinic):
        response = reader.get(f"Patient/{other.pk}")
        outcome(response, 404)
        assert other.legal_family_name.encode() not in response.content
    # Still a referrer of patient A on paper, but no longer following them: no access.
    network["patient_a"].care_team.filter(user=network["referrer"]).update(ended_at=timezone.now())
    outcome(reader.get(f"Patient/{network['patient_a'].pk}"), 404)
    assert reader.ok("Patient")["total"] == 0


def test_a_patient_reads_only_their_own_record(network: Any, api: Any) -> None:
    own = api(network["patient_user"])
    bundle = own.ok("Patient")
    assert [e["resource"]["id"] for e in bundle["entry"]] == [str(network["patient_a"].pk)]


def test_search_pages_with_next_and_self_links(network: Any, api: Any) -> None:
    for _ in range(4):
        PatientFactory(clinic=network["montreal"])
    reader = api(network["intake"])
    first = reader.ok("Patient", {"_count": "2"})
    assert first["total"] == 5 and len(first["entry"]) == 2
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert "_offset=0" in links["self"] and "_offset=2" in links["next"]
    seen = [e["resource"]["id"] for e in first["entry"]]
    url = links["next"]
    while url:
        page = validated(reader.client.get(url, headers=reader.headers).json())
        seen += [e["resource"]["id"] for e in page.get("entry", [])]
        url = {link["relation"]: link["url"] for link in page["link"]}.get("next")
    assert len(seen) == len(set(seen)) == 5
    # One event per page of results, naming the page's patients (the access report reads it).
    searches = AuditEvent.objects.filter(action=Action.SEARCH, actor=network["intake"])
    assert [len(e.detail["patients"]) for e in searches.order_by("id")] == [2, 2, 1]
    assert {f"{pk}" for e in searches for pk in e.detail["patients"]} == set(seen)


def test_search_by_id_and_last_updated(network: Any, api: Any) -> None:
    reader = api(network["physician"])
    patient = network["patient_a"]
    by_id = reader.ok("Patient", {"_id": str(patient.pk)})
    assert by_id["total"] == 1
    later = (timezone.now() + timedelta(days=1)).date().isoformat()
    assert reader.ok("Patient", {"_lastUpdated": f"ge{later}"})["total"] == 0
    assert reader.ok("Patient", {"_lastUpdated": f"lt{later}"})["total"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"_count": "-1"},
        {"_count": "abc"},
        {"_count": "1000"},
        {"_lastUpdated": "yesterday"},
        {"_lastUpdated": "ge2026-13-01"},
        {"patient": "Practitioner/1"},
        {"_offset": "99999999999999999999"},
    ],
)
def test_unreadable_parameters_are_a_400(network: Any, api: Any, params: dict[str, str]) -> None:
    body = outcome(api(network["physician"]).get("Patient", params), 400)
    assert body["issue"][0]["code"] == "invalid"


def test_unknown_type_and_unknown_id_are_404s(network: Any, api: Any) -> None:
    reader = api(network["physician"])
    outcome(reader.get("Spaceship"), 404)
    outcome(reader.get("Patient/987654321"), 404)
    outcome(reader.get("Patient/not-an-id"), 404)


@pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
def test_nothing_is_changed_or_deleted_over_the_api(network: Any, api: Any, method: str) -> None:
    reader = api(network["physician"])
    patient = network["patient_a"]
    path = "Patient" if method == "post" else f"Patient/{patient.pk}"
    response = reader.send(method, path, {"resourceType": "Patient"})
    outcome(response, 405)
    assert "GET" in response["Allow"]
    patient.refresh_from_db()
    assert not patient.entered_in_error


def test_a_search_page_costs_the_same_queries_whatever_its_size(
    network: Any, api: Any, django_assert_num_queries: Any
) -> None:
    reader = api(network["physician"])
    reader.ok("Patient")  # the token's last use is written once, not on every request
    # the token and its user, the count, the page, the audit events (one insert)
    with django_assert_num_queries(4) as small:
        reader.ok("Patient", {"_count": "50"})
    for _ in range(10):
        PatientFactory(clinic=network["montreal"])
    with django_assert_num_queries(len(small.captured_queries)):
        assert reader.ok("Patient", {"_count": "50"})["total"] == 11


def test_the_capability_statement_and_a_read_pin_their_queries(
    network: Any, api: Any, django_assert_num_queries: Any
) -> None:
    reader = api(network["physician"])
    with django_assert_num_queries(0):  # public: no token is read
        reader.ok("metadata")
    reader.ok(f"Patient/{network['patient_a'].pk}")  # the token's last use is written once
    with django_assert_num_queries(3):  # the token and its user, the patient, its audit event
        reader.ok(f"Patient/{network['patient_a'].pk}")


def test_a_search_parameter_the_type_does_not_support_is_a_400_not_every_record(
    network: Any, api: Any
) -> None:
    """Ignored, `name=` would answer every patient of the clinic."""
    reader = api(network["nurse"])
    refused = outcome(reader.get("Patient", {"name": "Zzyzx"}), 400)
    text = refused["issue"][0]["diagnostics"]
    assert "Patient has no search parameter name" in text and "_lastUpdated" in text
    outcome(reader.get("Practitioner", {"patient": str(network["patient_a"].pk)}), 400)
    lenient = reader.client.get(
        "/fhir/R4/Patient",
        {"name": "x", "_id": str(network["patient_a"].pk)},
        headers={**reader.headers, "Prefer": "handling=lenient"},
    )
    bundle = validated(lenient.json())
    assert [e["resource"]["id"] for e in bundle["entry"]] == [str(network["patient_a"].pk)]
    assert "name=" not in bundle["link"][0]["url"]


def test_the_capability_statement_is_readable_without_a_token(network: Any, client: Any) -> None:
    statement = validated(client.get("/fhir/R4/metadata").json())
    assert statement["resourceType"] == "CapabilityStatement"
    outcome(client.post("/fhir/R4/metadata"), 405)


@pytest.mark.parametrize("path", ["Patient/", "Patient/1/_history", "Patient/1/$everything"])
def test_an_unknown_fhir_path_is_a_404_outcome_not_an_html_page(
    network: Any, api: Any, path: str
) -> None:
    response = api(network["nurse"]).get(path)
    assert response["Content-Type"].startswith("application/fhir+json")
    assert "GET metadata" in outcome(response, 404)["issue"][0]["diagnostics"]
