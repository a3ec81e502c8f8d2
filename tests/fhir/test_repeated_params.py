"""Repeated search parameters (FHIR R4 search 3.1.1.3.2): commas are "any of" (OR) and a
repeated parameter is "all of" (AND), for every parameter, as `identifier` already does."""

from typing import Any

import pytest

from kapclinic.fhir.resources.questionnaire_definition import CHECKLIST, url_of
from kapclinic.referrals.models import Status
from tests.factories import PatientFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def _ids(bundle: dict[str, Any]) -> list[str]:
    return sorted(entry["resource"]["id"] for entry in bundle.get("entry", []))


def _search(reader: Any, query: str) -> dict[str, Any]:
    """A search with the query string as written (a dict cannot repeat a parameter)."""
    response = reader.client.get(f"/fhir/R4/{query}", headers=reader.headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_repeated_id_is_all_of_and_commas_any_of(network: Any, api: Any) -> None:
    one = network["patient_a"]
    two = PatientFactory(clinic=network["montreal"])
    reader = api(network["physician"])
    assert _ids(_search(reader, f"Patient?_id={one.pk},{two.pk}")) == sorted(
        [str(one.pk), str(two.pk)]
    )
    both = _search(reader, f"Patient?_id={one.pk}&_id={two.pk}")
    assert both["total"] == 0 and "entry" not in both  # no resource has both ids
    assert _ids(_search(reader, f"Patient?_id={one.pk}&_id={one.pk},{two.pk}")) == [str(one.pk)]


def test_repeated_patient_is_all_of(network: Any, api: Any) -> None:
    one = network["patient_a"]
    two = PatientFactory(clinic=network["montreal"])
    ReferralFactory(clinic=network["montreal"], patient=two)
    reader = api(network["intake"])
    either = _search(reader, f"ServiceRequest?patient={one.pk},Patient/{two.pk}")
    assert either["total"] == 2
    assert _search(reader, f"ServiceRequest?patient={one.pk}&patient={two.pk}")["total"] == 0
    assert _search(reader, f"ServiceRequest?patient={one.pk}&patient={one.pk}")["total"] == 1


def test_repeated_status_is_all_of(network: Any, api: Any) -> None:
    ReferralFactory(clinic=network["montreal"], status=Status.DECLINED)
    reader = api(network["intake"])
    assert _search(reader, "ServiceRequest?status=active,revoked")["total"] == 2
    assert _search(reader, "ServiceRequest?status=active&status=revoked")["total"] == 0
    assert _search(reader, "ServiceRequest?status=active&status=active,revoked")["total"] == 1


def test_an_unknown_status_in_a_repeat_is_still_a_400(network: Any, api: Any) -> None:
    reader = api(network["intake"])
    response = reader.client.get(
        "/fhir/R4/ServiceRequest?status=active&status=lost", headers=reader.headers
    )
    assert response.status_code == 400
    assert "lost" in response.json()["issue"][0]["diagnostics"]


def test_definitions_follow_the_same_rule(network: Any, api: Any) -> None:
    reader = api(network["nurse"])
    phq9 = url_of("PHQ-9")
    assert _search(reader, f"Questionnaire?url={phq9},{CHECKLIST}")["total"] == 2
    assert _search(reader, f"Questionnaire?url={phq9}&url={CHECKLIST}")["total"] == 0
    assert _search(reader, f"Questionnaire?url={phq9}&url={phq9},{CHECKLIST}")["total"] == 1
    assert _search(reader, "Questionnaire?_id=PHQ-9,GAD-7")["total"] == 2
    assert _search(reader, "Questionnaire?_id=PHQ-9&_id=GAD-7")["total"] == 0
    assert _search(reader, "Questionnaire?status=active&status=retired")["total"] == 0


def test_the_next_link_keeps_each_repeat(network: Any, api: Any) -> None:
    one = network["patient_a"]
    two = PatientFactory(clinic=network["montreal"])
    reader = api(network["physician"])
    page = _search(reader, f"Patient?_id={one.pk},{two.pk}&_id={two.pk}&_count=1")
    assert page["total"] == 1
    self_link = next(link["url"] for link in page["link"] if link["relation"] == "self")
    assert self_link.count("_id=") == 2
