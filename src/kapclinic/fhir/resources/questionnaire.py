"""QuestionnaireResponse <- screening.QuestionnaireResponse: the answers as given, each item
numbered as on the published form (clinical.instruments)."""

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
from kapclinic.screening.models import QuestionnaireResponse
from kapclinic.screening.models import Source as ResponseSource

QUESTIONNAIRE_BASE = "https://kapclinic.example/fhir/Questionnaire"
_clinical = clinical_rows(QuestionnaireResponse)


def response_rows(user: User) -> QuerySet[QuestionnaireResponse]:
    return _clinical(user)


def _items(response: QuestionnaireResponse) -> list[dict[str, Any]]:
    instrument = INSTRUMENTS.get(response.instrument)
    texts = {item.number: item.text_en for item in instrument.items} if instrument else {}
    answers = response.answers if isinstance(response.answers, list) else []
    return [
        {
            "linkId": str(number),
            "text": texts.get(number),
            "answer": [{"valueInteger": value}] if isinstance(value, int) else None,
        }
        for number, value in enumerate(answers, start=1)
    ]


def questionnaire_response(response: QuestionnaireResponse, reader: Reader) -> dict[str, Any]:
    by_patient = response.source != ResponseSource.STAFF
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{QUESTIONNAIRE_BASE}/{response.instrument}",
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
