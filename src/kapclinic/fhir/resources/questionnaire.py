"""QuestionnaireResponse <- screening.QuestionnaireResponse: the answers as given, each item
numbered as on the published form (clinical.instruments) and coded as its Questionnaire's
answer option; Questionnaire <- the definitions (questionnaire_definition)."""

from functools import cache
from typing import Any

from django.db.models import QuerySet

from kapclinic.accounts.models import User
from kapclinic.clinical.instruments import INSTRUMENTS
from kapclinic.fhir.resources.base import (
    Reader,
    ResourceType,
    Source,
    clinical_rows,
    instant,
    patient_columns,
    patient_ref_of,
    ref,
)
from kapclinic.fhir.resources.questionnaire_definition import answer_coding, questionnaires, url_of
from kapclinic.screening.models import QuestionnaireResponse
from kapclinic.screening.models import Source as ResponseSource

_clinical = clinical_rows(QuestionnaireResponse)


def response_rows(user: User) -> QuerySet[QuestionnaireResponse]:
    return _clinical(user)


# The columns the mappings of a response read (a plain row, see Source.values); the
# Observation of its total reads the same.
COLUMNS = (
    "instrument",
    "answers",
    "total",
    "band",
    "source",
    "entered_by_id",
    "submitted_at",
    "entered_in_error",
    *patient_columns("patient"),
)


@cache
def _answer_items(code: str) -> dict[int, tuple[str, dict[int, dict[str, str]]]]:
    """Item number -> its text and the coding of each score it allows (built once each)."""
    instrument = INSTRUMENTS.get(code)
    if instrument is None:
        return {}
    return {
        item.number: (item.text_en, {o.value: answer_coding(code, o) for o in item.options})
        for item in instrument.items
    }


def _items(response: dict[str, Any]) -> list[dict[str, Any]]:
    items = _answer_items(response["instrument"])
    answers = response["answers"] if isinstance(response["answers"], list) else []
    found = []
    for number, value in enumerate(answers, start=1):
        text, codings = items.get(number, (None, {}))
        coded = codings.get(value) if isinstance(value, int) else None
        found.append(
            {
                "linkId": str(number),
                "text": text,
                "answer": [{"valueCoding": dict(coded)}] if coded else None,
            }
        )
    return found


def questionnaire_response(response: dict[str, Any], reader: Reader) -> dict[str, Any]:
    by_patient = response["source"] != ResponseSource.STAFF
    patient = patient_ref_of(response, "patient")
    entered_by = response["entered_by_id"]
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": url_of(response["instrument"]),
        "status": "entered-in-error" if response["entered_in_error"] else "completed",
        "subject": patient,
        "authored": instant(response["submitted_at"]),
        "author": dict(patient)
        if by_patient
        else (ref("Practitioner", entered_by) if entered_by else None),
        "source": dict(patient),
        "item": _items(response),
    }


QUESTIONNAIRE_RESPONSE = ResourceType(
    "QuestionnaireResponse",
    (
        Source(
            response_rows,
            questionnaire_response,
            patient="patient",
            date="submitted_at",
            updated="submitted_at",
            values=COLUMNS,
            status_field="entered_in_error",
            statuses={"completed": (False,), "entered-in-error": (True,)},
        ),
    ),
)

QUESTIONNAIRE = ResourceType("Questionnaire", (), catalog=questionnaires)
