"""QuestionnaireResponse <- screening.QuestionnaireResponse: the answers as given, each item
numbered as on the published form (clinical.instruments) and coded as its Questionnaire's
answer option; Questionnaire <- the definitions (questionnaire_definition)."""

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
    patient_ref,
    ref,
)
from kapclinic.fhir.resources.questionnaire_definition import answer_coding, questionnaires, url_of
from kapclinic.screening.models import QuestionnaireResponse
from kapclinic.screening.models import Source as ResponseSource

_clinical = clinical_rows(QuestionnaireResponse)


def response_rows(user: User) -> QuerySet[QuestionnaireResponse]:
    return _clinical(user)


def _items(response: QuestionnaireResponse) -> list[dict[str, Any]]:
    instrument = INSTRUMENTS.get(response.instrument)
    items = {item.number: item for item in instrument.items} if instrument else {}
    answers = response.answers if isinstance(response.answers, list) else []
    found = []
    for number, value in enumerate(answers, start=1):
        item = items.get(number)
        option = next((o for o in item.options if o.value == value), None) if item else None
        found.append(
            {
                "linkId": str(number),
                "text": item.text_en if item else None,
                "answer": [{"valueCoding": answer_coding(response.instrument, option)}]
                if option
                else None,
            }
        )
    return found


def questionnaire_response(response: QuestionnaireResponse, reader: Reader) -> dict[str, Any]:
    by_patient = response.source != ResponseSource.STAFF
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": url_of(response.instrument),
        "status": "entered-in-error" if response.entered_in_error else "completed",
        "subject": patient_ref(response.patient),
        "authored": instant(response.submitted_at),
        "author": patient_ref(response.patient)
        if by_patient
        else (ref("Practitioner", response.entered_by_id) if response.entered_by_id else None),
        "source": patient_ref(response.patient),
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
            status_field="entered_in_error",
            statuses={"completed": (False,), "entered-in-error": (True,)},
        ),
    ),
)

QUESTIONNAIRE = ResourceType("Questionnaire", (), catalog=questionnaires)
