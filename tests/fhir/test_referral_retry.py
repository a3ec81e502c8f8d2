"""A retried e-referral: an EMR that timed out posts the same transaction Bundle again. The
sender's identifier of its ServiceRequest (or FHIR conditional create's `ifNoneExist`)
finds the referral the first one made, 200 OK instead of 201 Created, audited as a repeat;
a referrer's identifier never finds another referrer's referral."""

import json
import threading
from typing import Any

import pytest
from django.db import connection

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.fhir.models import InboundReferral
from kapclinic.fhir.referral_in import receive_bundle
from kapclinic.referrals.models import Referral
from tests.factories import ReferrerFactory, UserFactory, condition
from tests.fhir.conftest import outcome, validated
from tests.fhir.test_referral_in import bundle

pytestmark = pytest.mark.django_db

EMR_ORDERS = "https://emr.example/fhir/NamingSystem/order"


def identified(value: str = "ORD-1001", **patient_changes: Any) -> dict[str, Any]:
    """The e-referral Bundle, its ServiceRequest carrying the EMR's order number."""
    sent = bundle(**patient_changes)
    sent["entry"][1]["resource"]["identifier"] = [{"system": EMR_ORDERS, "value": value}]
    return sent


def conditional(criteria: str) -> dict[str, Any]:
    """The Bundle with a conditional create on the ServiceRequest and no identifier."""
    sent = bundle()
    sent["entry"][1]["request"]["ifNoneExist"] = criteria
    return sent


def _post(reader: Any, sent: dict[str, Any]) -> Any:
    response = reader.send("post", "", sent)
    assert response.status_code == 200, response.content
    return response


def _answers(response: Any) -> list[tuple[str, str]]:
    body = validated(response.json())
    return [(e["response"]["status"], e["response"].get("location", "")) for e in body["entry"]]


def _new(network: Any) -> Any:
    return Referral.objects.exclude(pk=network["referral"].pk)


def test_a_retry_answers_the_first_referral_200_and_makes_none(network: Any, api: Any) -> None:
    reader = api(network["referrer"])
    first = _post(reader, identified())
    referral = _new(network).get()
    again = _post(reader, identified())
    assert _new(network).count() == 1
    assert [status for status, _where in _answers(first)] == [
        "200 OK",
        "201 Created",
        "201 Created",
    ]
    assert [status for status, _where in _answers(again)] == ["200 OK", "200 OK", "200 OK"]
    # The same ids: Patient, ServiceRequest, the checklist's referral, and the Task.
    assert [where for _status, where in _answers(again)] == [
        where for _status, where in _answers(first)
    ]
    assert again["Location"] == first["Location"]
    assert again.json()["entry"][1]["response"]["outcome"]["id"] == str(referral.pk)
    created = AuditEvent.objects.filter(
        action=Action.CREATE, object_type="referrals.referral", object_id=str(referral.pk)
    )
    assert created.count() == 1
    repeat = AuditEvent.objects.get(action=Action.EXECUTE, actor=network["referrer"])
    assert repeat.detail == {"fhir_transaction": "repeat", "identifier": f"{EMR_ORDERS}|ORD-1001"}
    assert repeat.object_id == str(referral.pk) and repeat.patient_id == referral.patient_id


def test_a_conditional_create_finds_the_first_referral(network: Any, api: Any) -> None:
    reader = api(network["referrer"])
    criteria = f"identifier={EMR_ORDERS}|ORD-2002"
    first = _post(reader, conditional(criteria))
    again = _post(reader, conditional(criteria.replace("|", "%7C")))  # URL-encoded alike
    assert _new(network).count() == 1
    assert [status for status, _where in _answers(again)] == ["200 OK"] * 3
    assert _answers(again)[1][1] == _answers(first)[1][1]
    stored = InboundReferral.objects.get()
    assert (stored.system, stored.value) == (EMR_ORDERS, "ORD-2002")


def test_if_none_exist_is_the_identifier_the_retry_is_found_by(network: Any, api: Any) -> None:
    """ifNoneExist wins over ServiceRequest.identifier: the sender said what to look for."""
    reader = api(network["referrer"])
    sent = identified("ORD-1")
    sent["entry"][1]["request"]["ifNoneExist"] = f"identifier={EMR_ORDERS}|ORD-2"
    _post(reader, sent)
    _post(reader, conditional(f"identifier={EMR_ORDERS}|ORD-2"))
    assert _new(network).count() == 1
    _post(reader, identified("ORD-1"))  # no referral was recorded under ORD-1
    assert _new(network).count() == 2


def test_another_identifier_is_another_referral(network: Any, api: Any) -> None:
    reader = api(network["referrer"])
    first = _post(reader, identified("ORD-1001"))
    second = _post(reader, identified("ORD-1002"))
    assert _new(network).count() == 2
    assert [status for status, _where in _answers(second)][1:] == ["201 Created"] * 2
    assert _answers(second)[1][1] != _answers(first)[1][1]


def test_without_an_identifier_every_post_is_a_referral(network: Any, api: Any) -> None:
    reader = api(network["referrer"])
    _post(reader, bundle())
    _post(reader, bundle())
    assert _new(network).count() == 2
    assert not InboundReferral.objects.exists()


def test_our_own_referral_number_echoed_back_is_not_the_senders_identifier(
    network: Any, api: Any
) -> None:
    from kapclinic.fhir.resources.referral import REFERRAL_NUMBER_SYSTEM

    reader = api(network["referrer"])
    sent = bundle()
    sent["entry"][1]["resource"]["identifier"] = [
        {"system": REFERRAL_NUMBER_SYSTEM, "value": network["referral"].number}
    ]
    _post(reader, sent)
    assert _new(network).count() == 1
    assert not InboundReferral.objects.exists()


def test_the_same_identifier_from_another_referrer_is_their_own_referral(
    network: Any, api: Any
) -> None:
    """Two EMRs may number their orders alike: each referrer's identifiers are their own. The
    second referrer gets a new referral of their own, never the first one's (nor a refusal,
    which would tell them that someone else used the identifier)."""
    first = _post(api(network["referrer"]), identified())
    other_user = UserFactory(role="referrer")
    ReferrerFactory(user=other_user)
    theirs = _post(api(other_user), identified(name=[{"family": "Autre", "given": ["Zoé"]}]))
    assert _new(network).count() == 2
    assert [status for status, _where in _answers(theirs)][1:] == ["201 Created"] * 2
    assert _answers(theirs)[1][1] != _answers(first)[1][1]
    mine, their_referral = _new(network).order_by("pk")
    assert their_referral.referrer.user == other_user and their_referral.family_name == "Autre"
    assert mine.family_name == "Fortin"
    # Their EMR does not read the first referral it never sent.
    outcome(api(other_user).get(_answers(first)[1][1]), 404)


def test_the_same_identifier_with_other_content_is_a_conflict(network: Any, api: Any) -> None:
    """A reused identifier with a different referral in it: neither dropped silently nor
    merged; a 409 names the identifier."""
    reader = api(network["referrer"])
    _post(reader, identified())
    response = reader.send("post", "", identified(birthDate="1991-04-05"))
    body = outcome(response, 409)
    assert "ORD-1001" in body["issue"][0]["diagnostics"]
    assert body["issue"][0]["expression"] == ["ServiceRequest.identifier"]
    assert _new(network).count() == 1
    french = reader.client.post(
        "/fhir/R4/",
        json.dumps(identified(birthDate="1991-04-05")),
        content_type="application/fhir+json",
        headers={**reader.headers, "Accept-Language": "fr"},
    )
    assert outcome(french, 409)["issue"][0]["diagnostics"].startswith("L\u2019identifiant")


def test_a_retry_differing_only_in_envelope_is_still_a_repeat(network: Any, api: Any) -> None:
    """A retry may carry new fullUrls, a new authoredOn or a new Bundle id: what the referral
    says is what counts."""
    reader = api(network["referrer"])
    _post(reader, identified())
    sent = identified()
    sent["id"] = "retry-2"
    sent["entry"][0]["fullUrl"] = "urn:uuid:other"
    sent["entry"][1]["resource"]["subject"] = {"reference": "urn:uuid:other"}
    sent["entry"][1]["resource"]["authoredOn"] = "2026-12-01T10:00:00Z"
    again = _post(reader, sent)
    assert [status for status, _where in _answers(again)] == ["200 OK"] * 3
    assert _new(network).count() == 1


@pytest.mark.parametrize(
    "criteria",
    [
        "identifier=ORD-1",  # no system
        f"identifier={EMR_ORDERS}|",
        "_id=5",
        f"identifier={EMR_ORDERS}|A,{EMR_ORDERS}|B",
        f"identifier={EMR_ORDERS}|A&identifier={EMR_ORDERS}|B",
    ],
)
def test_an_if_none_exist_this_server_cannot_search_is_refused(
    network: Any, api: Any, criteria: str
) -> None:
    body = outcome(api(network["referrer"]).send("post", "", conditional(criteria)), 422)
    assert any("ifNoneExist" in e for issue in body["issue"] for e in issue["expression"])
    assert _new(network).count() == 0


@pytest.mark.postgres
def test_two_simultaneous_retries_make_one_referral(transactional_db: None, network: Any) -> None:
    condition("depression")
    barrier = threading.Barrier(2)
    results: list[Any] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            barrier.wait()
            results.append(receive_bundle(by=network["referrer"], bundle=identified()))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _new(network).count() == 1
    assert sorted(r.repeat for r in results) == [False, True]
    assert results[0].referral.pk == results[1].referral.pk


def test_the_capability_statement_says_how_a_retry_is_recognised(network: Any, client: Any) -> None:
    statement = client.get("/fhir/R4/metadata").json()
    rest = statement["rest"][0]
    request = next(r for r in rest["resource"] if r["type"] == "ServiceRequest")
    assert request["conditionalCreate"] is True
    assert "ifNoneExist" in request["documentation"]
    transaction = next(i for i in rest["interaction"] if i["code"] == "transaction")
    assert "200 OK" in transaction["documentation"]
