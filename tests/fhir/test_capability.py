"""The CapabilityStatement tells an integrator everything the server does, at the address
the integrator reached."""

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_the_e_referral_transaction_and_the_exports_are_listed(network: Any, api: Any) -> None:
    rest = api(network["nurse"]).ok("metadata")["rest"][0]
    transaction = [i for i in rest["interaction"] if i["code"] == "transaction"]
    assert len(transaction) == 1 and "e-referral" in transaction[0]["documentation"]
    assert [op["name"] for op in rest["operation"]] == ["export"]
    patient = next(r for r in rest["resource"] if r["type"] == "Patient")
    (patient_export,) = patient["operation"]
    assert patient_export["definition"].endswith("/patient-export")
    assert "/Patient/$export" in patient_export["documentation"]
    assert "/Patient/{id}/$export" in patient_export["documentation"]


def test_addresses_follow_the_request_host_not_the_configured_site(
    network: Any, api: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://elsewhere.example"
    settings.ALLOWED_HOSTS = ["*"]
    reader = api(network["nurse"])
    response = reader.client.get(
        "/fhir/R4/metadata", headers=reader.headers, HTTP_HOST="fhir.clinic.test"
    )
    assert response.status_code == 200, response.content
    statement = response.json()
    assert "elsewhere.example" not in response.content.decode()
    assert "http://fhir.clinic.test" in statement["rest"][0]["security"]["description"]
    assert statement["implementation"]["url"] == "http://fhir.clinic.test/fhir/R4"
