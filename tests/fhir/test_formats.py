"""This server writes FHIR JSON only: asking for XML is a 406 OperationOutcome, not JSON
the client cannot parse as it asked."""

from typing import Any

import pytest

from tests.fhir.conftest import outcome

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        ("?_format=xml", None),
        ("?_format=application/fhir%2Bxml", None),
        ("", "application/fhir+xml"),
        ("", "application/xml, text/xml;q=0.9"),
    ],
)
def test_xml_is_a_406(network: Any, api: Any, query: str, accept: str | None) -> None:
    reader = api(network["nurse"])
    headers = dict(reader.headers, **({"Accept": accept} if accept else {}))
    body = outcome(reader.client.get(f"/fhir/R4/Patient{query}", headers=headers), 406)
    assert "application/fhir+json" in body["issue"][0]["diagnostics"]


@pytest.mark.parametrize(
    "accept", ["application/fhir+json", "application/json", "text/html,*/*;q=0.8"]
)
def test_json_or_anything_is_answered(network: Any, api: Any, accept: str) -> None:
    reader = api(network["nurse"])
    headers = dict(reader.headers, Accept=accept)
    assert reader.client.get("/fhir/R4/metadata", headers=headers).status_code == 200


def test_an_unknown_status_is_a_400_naming_the_codes(network: Any, api: Any) -> None:
    reader = api(network["intake"])
    body = outcome(reader.get("ServiceRequest", {"status": "activ"}), 400)
    (issue,) = body["issue"]
    assert issue["expression"] == ["status"]
    assert "activ" in issue["diagnostics"] and "active" in issue["diagnostics"]
    assert reader.get("ServiceRequest", {"status": "active"}).status_code == 200
    # A FHIR code no referral has yet is an empty page, not a refusal.
    assert reader.ok("ServiceRequest", {"status": "revoked"})["total"] == 0
