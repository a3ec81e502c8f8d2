"""The API answers in the language Accept-Language asks for (English or French), else
English, for every refusal alike, whatever the token user's own language."""

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
