"""The API answers in the language Accept-Language asks for (English or French), else
English, for every refusal alike, whatever the token user's own language."""

import json
from typing import Any

import pytest

from tests.fhir.conftest import outcome

pytestmark = pytest.mark.django_db


def _refusals(reader: Any, accept: str | None) -> dict[int, str]:
    headers = dict(reader.headers)
    if accept is not None:
        headers["Accept-Language"] = accept
    get = reader.client.get
    answers = {
        401: get(
            "/fhir/R4/Patient", headers={k: v for k, v in headers.items() if k != "Authorization"}
        ),
        403: reader.client.post(
            "/fhir/R4/",
            '{"resourceType": "Bundle", "type": "transaction", "entry": []}',
            content_type="application/fhir+json",
            headers=headers,
        ),
        404: get("/fhir/R4/Patient/999999", headers=headers),
        405: reader.client.delete("/fhir/R4/Patient/1", headers=headers),
        415: reader.client.post("/fhir/R4/", {"a": "b"}, headers=headers),
    }
    texts = {}
    for status, response in answers.items():
        texts[status] = outcome(response, status)["issue"][0]["diagnostics"]
        assert response["Content-Language"] == (accept or "en")[:2]
    return texts


@pytest.mark.parametrize("user_language", ["en", "fr"])
def test_english_unless_french_is_asked_for(network: Any, api: Any, user_language: str) -> None:
    nurse = network["nurse"]
    nurse.language = user_language
    nurse.save(update_fields=["language"])
    reader = api(nurse)
    english = _refusals(reader, None)
    assert english == _refusals(reader, "en-CA,en;q=0.9")
    assert english[404] == "No such record was found."
    assert english[403] == "Only a referring professional sends referrals."
    french = _refusals(reader, "fr-CA,fr;q=0.9,en;q=0.5")
    assert french[404] == "Aucun dossier de ce type n\u2019a été trouvé."
    assert french[403] == "Seul un professionnel référent envoie des références."
    # Every status speaks French, not only the domain refusals.
    assert all(french[status] != english[status] for status in english)


FRENCH = {"Accept-Language": "fr-CA,fr;q=0.9"}
# One request per kind of message the API writes itself (search parameters, dates, Bulk
# Data, ids, paths, the e-referral's field-by-field problems), with the French it answers.
FRENCH_MESSAGES = [
    ("nurse", "get", "Patient?_count=500", 400, "_count doit être un nombre entier de 0 à 100."),
    (
        "nurse",
        "get",
        "Observation?date=yesterday",
        400,
        "date doit être une date FHIR ou un instant avec un fuseau horaire.",
    ),
    (
        "nurse",
        "get",
        "Observation?patient=Practitioner/1",
        400,
        "patient doit être un identifiant ou une référence de Patient (Patient/ID).",
    ),
    (
        "nurse",
        "export",
        "$export?_type=Nope",
        400,
        "_type nomme des types que ce serveur n\u2019exporte pas : Nope",
    ),
    ("nurse", "get", "Patient/" + "1" * 65, 400, "Un identifiant de ressource compte au plus 64"),
    ("nurse", "get", "Nope", 404, "Ce serveur n\u2019a pas ce type de ressource."),
    ("nurse", "get", "Patient/1/_history", 404, "Ce serveur n\u2019a pas « Patient/1/_history »."),
    ("nurse", "post", "metadata", 405, "Le CapabilityStatement est en lecture seule."),
]


@pytest.mark.parametrize(("who", "method", "path", "status", "french"), FRENCH_MESSAGES)
def test_every_kind_of_message_is_in_french_when_asked(
    network: Any, api: Any, who: str, method: str, path: str, status: int, french: str
) -> None:
    reader = api(network[who])
    headers = {**reader.headers, **FRENCH}
    if method == "export":
        headers["Prefer"] = "respond-async"
    send = getattr(reader.client, "post" if method == "post" else "get")
    response = send(f"/fhir/R4/{path}", headers=headers)
    assert outcome(response, status)["issue"][0]["diagnostics"].startswith(french)
    assert response["Content-Language"] == "fr"
    english = send(
        f"/fhir/R4/{path}", headers={k: v for k, v in headers.items() if k != "Accept-Language"}
    )
    assert outcome(english, status)["issue"][0]["diagnostics"] != french


def test_an_e_referral_problem_is_in_french_when_asked(network: Any, api: Any) -> None:
    from tests.fhir.test_referral_in import bundle

    sent = bundle()
    sent["entry"][2]["resource"]["item"].append(
        {"linkId": "favourite_colour", "answer": [{"valueString": "blue"}]}
    )
    reader = api(network["referrer"])
    response = reader.client.post(
        "/fhir/R4/",
        json.dumps(sent),
        content_type="application/fhir+json",
        headers={**reader.headers, **FRENCH},
    )
    issue = outcome(response, 422)["issue"][0]
    assert issue["expression"] == ["QuestionnaireResponse.item[favourite_colour]"]
    assert issue["diagnostics"].startswith("n\u2019est pas un item de https://")


def test_bulk_data_statuses_are_in_french_when_asked(network: Any, api: Any) -> None:
    reader = api(network["nurse"])
    headers = {**reader.headers, **FRENCH, "Prefer": "respond-async"}
    kick_off = reader.client.get("/fhir/R4/Patient/$export", headers=headers)
    assert outcome(kick_off, 202)["issue"][0]["diagnostics"] == "En file d\u2019attente"
    status_url = kick_off["Content-Location"]
    deleted = reader.client.delete(status_url, headers=headers)
    assert outcome(deleted, 202)["issue"][0]["diagnostics"] == "Supprimé"
