"""Questionnaire: the scored instruments and the referral checklist, each at its canonical URL,
read and searched by any user with a token; responses point at them and answer with their
options; an inbound checklist is matched against its Questionnaire."""

from typing import Any

import pytest

from kapclinic.clinical.instruments import INSTRUMENTS
from kapclinic.fhir.resources.questionnaire_definition import CHECKLIST, TRANSLATION
from kapclinic.referrals.models import Referral
from kapclinic.screening.models import Source
from kapclinic.screening.services import record_response
from tests.fhir.conftest import outcome
from tests.fhir.test_referral_in import bundle

pytestmark = pytest.mark.django_db
IDS = ["PHQ-9", "GAD-7", "PCL-5", "AUDIT", "DUDIT", "referral-checklist"]


def _by_link(questionnaire: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in questionnaire["item"]}


@pytest.mark.parametrize("role", ["physician", "intake", "referrer", "patient_user", "billing"])
def test_every_role_reads_the_definitions(network: Any, api: Any, role: str) -> None:
    reader = api(network[role])
    bundle_ = reader.ok("Questionnaire")
    assert bundle_["total"] == len(IDS)
    assert [e["resource"]["id"] for e in bundle_["entry"]] == IDS
    for entry in bundle_["entry"]:
        resource = entry["resource"]
        assert resource["url"] == f"https://kapclinic.example/fhir/Questionnaire/{resource['id']}"
        assert reader.ok(f"Questionnaire/{resource['id']}") == resource


def test_phq9_is_the_published_form_with_its_loinc_panel(network: Any, api: Any) -> None:
    phq9 = api(network["nurse"]).ok("Questionnaire/PHQ-9")
    assert phq9["code"] == [
        {
            "system": "http://loinc.org",
            "code": "44249-1",
            "display": "PHQ-9 quick depression assessment panel [Reported.PHQ]",
        }
    ]
    items = _by_link(phq9)
    assert items["prompt"]["type"] == "display"
    item9 = items["9"]
    assert item9["text"] == INSTRUMENTS["PHQ-9"].items[8].text_en
    assert item9["required"] is True
    options = item9["answerOption"]
    assert [o["valueCoding"]["code"] for o in options] == ["0", "1", "2", "3"]
    assert options[3]["valueCoding"]["display"] == "Nearly every day"
    assert options[3]["extension"][0]["valueDecimal"] == 3
    french = item9["_text"]["extension"][0]
    assert french["url"] == TRANSLATION
    assert french["extension"][1]["valueString"] == INSTRUMENTS["PHQ-9"].items[8].text_fr


def test_gad7_and_the_english_only_instruments(network: Any, api: Any) -> None:
    reader = api(network["nurse"])
    assert reader.ok("Questionnaire/GAD-7")["code"][0]["code"] == "69737-5"
    audit = reader.ok("Questionnaire/AUDIT")
    assert "code" not in audit  # no verified LOINC panel code: none rather than a guess
    harm = _by_link(audit)["9"]["answerOption"]
    assert [o["valueCoding"]["code"] for o in harm] == ["0", "2", "4"]  # WHO AUDIT, Box 4
    assert all("_text" not in item for item in audit["item"])  # no validated French text


def test_the_checklist_has_every_contraindication_and_the_agreement(network: Any, api: Any) -> None:
    checklist = api(network["referrer"]).ok("Questionnaire/referral-checklist")
    items = _by_link(checklist)
    assert items["untreated_hypertension"]["type"] == "boolean"
    assert items["medications"]["type"] == "text"
    assert items["contraindication_other"]["enableWhen"][0]["question"] == "other"
    assert items["patient_agreed"]["required"] is True
    french = items["psychosis"]["_text"]["extension"][0]["extension"][1]["valueString"]
    assert french == "Antécédents de psychose"


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"_id": "GAD-7,PCL-5"}, ["GAD-7", "PCL-5"]),
        ({"url": CHECKLIST}, ["referral-checklist"]),
        ({"url": "https://example.org/Questionnaire/PHQ-9"}, []),
        ({"status": "active", "_id": "AUDIT"}, ["AUDIT"]),
        ({"status": "retired"}, []),
        ({"_lastUpdated": "le2026-12-01"}, IDS),
        ({"_lastUpdated": "gt2026-12-01"}, []),
    ],
)
def test_search_parameters(
    network: Any, api: Any, params: dict[str, str], found: list[str]
) -> None:
    result = api(network["therapist"]).ok("Questionnaire", params)
    assert [e["resource"]["id"] for e in result.get("entry", [])] == found
    assert result["total"] == len(found)


def test_a_questionnaire_has_no_patient_to_search_by(network: Any, api: Any) -> None:
    refused = outcome(api(network["therapist"]).get("Questionnaire", {"patient": "Patient/1"}), 400)
    assert "Questionnaire has no search parameter patient" in refused["issue"][0]["diagnostics"]


def test_paging_by_count(network: Any, api: Any) -> None:
    reader = api(network["therapist"])
    first = reader.ok("Questionnaire", {"_count": "4"})
    assert [e["resource"]["id"] for e in first["entry"]] == IDS[:4]
    following = next(link["url"] for link in first["link"] if link["relation"] == "next")
    second = reader.client.get(following, headers=reader.headers).json()
    assert [e["resource"]["id"] for e in second["entry"]] == IDS[4:]


def test_refusals(network: Any, api: Any) -> None:
    reader = api(network["nurse"])
    outcome(reader.get("Questionnaire/PHQ-10"), 404)
    outcome(reader.get("Questionnaire", {"_lastUpdated": "yesterday"}), 400)
    outcome(reader.get("Questionnaire", {"_count": "101"}), 400)
    outcome(reader.send("delete", "Questionnaire/PHQ-9"), 405)
    outcome(reader.client.get("/fhir/R4/Questionnaire"), 401)  # no token


def test_a_response_names_its_questionnaire_and_answers_with_its_options(
    network: Any, api: Any
) -> None:
    record_response(
        by=network["nurse"],
        patient=network["patient_a"],
        instrument="PHQ-9",
        answers=[0, 1, 2, 3, 0, 1, 2, 3, 1],
        source=Source.STAFF,
        language="en",
    )
    reader = api(network["physician"])
    response = reader.ok("QuestionnaireResponse")["entry"][0]["resource"]
    matching = reader.ok("Questionnaire", {"url": response["questionnaire"]})
    questionnaire = matching["entry"][0]["resource"]
    items = _by_link(questionnaire)
    for answered in response["item"]:
        options = items[answered["linkId"]]["answerOption"]
        allowed = [{k: o["valueCoding"][k] for k in ("system", "code", "display")} for o in options]
        assert answered["answer"][0]["valueCoding"] in allowed
    assert response["item"][8]["answer"][0]["valueCoding"]["display"] == "Several days"


def _with_items(*items: dict[str, Any]) -> dict[str, Any]:
    sent = bundle()
    sent["entry"][2]["resource"]["item"] += list(items)
    return sent


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        (
            {"linkId": "allergies", "answer": [{"valueBoolean": True}]},
            "QuestionnaireResponse.item[allergies]",
        ),
        (
            {"linkId": "seizures", "answer": [{"valueString": "yes"}]},
            "QuestionnaireResponse.item[seizures]",
        ),
    ],
)
def test_an_inbound_checklist_is_matched_against_its_questionnaire(
    network: Any, api: Any, extra: dict[str, Any], where: str
) -> None:
    refused = outcome(api(network["referrer"]).send("post", "", _with_items(extra)), 422)
    assert [issue["expression"] for issue in refused["issue"]] == [[where]]
    assert Referral.objects.count() == 1  # nothing received


def test_definitions_are_not_exported(network: Any, api: Any) -> None:
    refused = outcome(api(network["physician"]).export("$export", {"_type": "Questionnaire"}), 400)
    assert "Questionnaire" in refused["issue"][0]["diagnostics"]
