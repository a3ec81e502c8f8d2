"""Questionnaire <- the definitions in code: the scored instruments (clinical.instruments, as
published) and the referral's contraindication checklist (referrals.models). Not health data:
any user with a token reads them, unaudited. Each has a stable canonical URL, which every
QuestionnaireResponse this server writes or accepts names."""

from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.db.models import Field
from django.utils import translation

from kapclinic.clinical.instruments import INSTRUMENTS, Instrument, Item, Option
from kapclinic.fhir.resources.base import LOINC, coding, instant
from kapclinic.referrals.models import Contraindication, Referral

QUESTIONNAIRE_BASE = "https://kapclinic.example/fhir/Questionnaire"
ANSWER_SYSTEM_BASE = "https://kapclinic.example/fhir/CodeSystem"
CHECKLIST_ID = "referral-checklist"
CHECKLIST = f"{QUESTIONNAIRE_BASE}/{CHECKLIST_ID}"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
# The version of these definitions and when it last changed: change both when any text,
# option or code below changes (meta.lastUpdated of every Questionnaire is this moment).
VERSION = "2026.12"
UPDATED = datetime(2026, 12, 1, tzinfo=UTC)
# LOINC panel codes of the instruments (loinc.org; used in HL7 US Core's PHQ-9 panel example
# 44249-1 and in published GAD-7 Questionnaires 69737-5). No PCL-5, AUDIT or DUDIT panel code
# is in CLINICAL.md or was verified, so those carry none rather than a guessed one.
PANEL_CODES = {
    "PHQ-9": ("44249-1", "PHQ-9 quick depression assessment panel [Reported.PHQ]"),
    "GAD-7": ("69737-5", "Generalized anxiety disorder 7 item (GAD-7)"),
}
# The free-text answers of the checklist (linkId = the referral field it fills).
CHECKLIST_TEXTS = ("contraindication_other", "medications", "history", "community_support")
AGREED = "patient_agreed"


def answer_system(code: str) -> str:
    """The code system of one instrument's answers: the code is the score the published form
    gives the option (Kroenke 2001, Spitzer 2006, Weathers 2013, Babor 2001, Berman 2003)."""
    return f"{ANSWER_SYSTEM_BASE}/{code.lower()}-answer"


def url_of(code: str) -> str:
    return f"{QUESTIONNAIRE_BASE}/{code}"


def _french(text: str | None) -> dict[str, Any] | None:
    """The `_text`/`_display` element that carries the French of a string, when there is one."""
    if not text:
        return None
    parts = [{"url": "lang", "valueCode": "fr-CA"}, {"url": "content", "valueString": text}]
    return {"extension": [{"url": TRANSLATION, "extension": parts}]}


def answer_coding(code: str, option: Option) -> dict[str, Any]:
    return coding(answer_system(code), str(option.value), option.label_en)


def _option(code: str, option: Option) -> dict[str, Any]:
    return {
        "extension": [{"url": ORDINAL_VALUE, "valueDecimal": option.value}],
        "valueCoding": {**answer_coding(code, option), "_display": _french(option.label_fr)},
    }


def _item(code: str, item: Item) -> dict[str, Any]:
    return {
        "linkId": str(item.number),
        "prefix": f"{item.number}.",
        "text": item.text_en,
        "_text": _french(item.text_fr),
        "type": "choice",
        "required": True,
        "answerOption": [_option(code, option) for option in item.options],
    }


def _common(resource_id: str, name: str, title: str) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "id": resource_id,
        "meta": {"lastUpdated": instant(UPDATED)},
        "url": url_of(resource_id),
        "version": VERSION,
        "name": name,
        "title": title,
        "status": "active",
        "subjectType": ["Patient"],
        "date": instant(UPDATED),
        "publisher": "kapclinic",
        "language": "en",
    }


def instrument_questionnaire(instrument: Instrument) -> dict[str, Any]:
    code = instrument.code
    panel = PANEL_CODES.get(code)
    prompt = (
        [
            {
                "linkId": "prompt",
                "text": instrument.prompt_en,
                "_text": _french(instrument.prompt_fr),
                "type": "display",
            }
        ]
        if instrument.prompt_en
        else []
    )
    return {
        **_common(code, code.replace("-", ""), instrument.name),
        "description": instrument.source,
        "code": [coding(LOINC, *panel)] if panel else None,
        "item": [*prompt, *(_item(code, item) for item in instrument.items)],
    }


def _labels(text_of: Any) -> tuple[str, str]:
    """A label in English and in French, whatever language the request is in."""
    with translation.override("en"):
        english = str(text_of())
    with translation.override("fr"):
        french = str(text_of())
    return english, french


def _checklist_item(link_id: str, kind: str, text_of: Any, **more: Any) -> dict[str, Any]:
    english, french = _labels(text_of)
    text = english[:1].upper() + english[1:]
    return {
        "linkId": link_id,
        "text": text,
        "_text": _french(french[:1].upper() + french[1:]) if french != english else None,
        "type": kind,
        **more,
    }


def _field_label(name: str) -> Any:
    def label() -> Any:
        found = Referral._meta.get_field(name)
        return found.verbose_name if isinstance(found, Field) else name

    return label


def checklist_questionnaire() -> dict[str, Any]:
    """The contraindication checklist of the referral form (referrals.models.Contraindication):
    one yes/no item per contraindication, the free-text fields, and the patient's agreement."""
    boxes = [
        _checklist_item(choice.value, "boolean", lambda choice=choice: choice.label)
        for choice in Contraindication
    ]
    other = {"question": Contraindication.OTHER.value, "operator": "=", "answerBoolean": True}
    texts = [
        _checklist_item(
            name,
            "string" if name == "contraindication_other" else "text",
            _field_label(name),
            enableWhen=[other] if name == "contraindication_other" else None,
            maxLength=200 if name == "contraindication_other" else None,
        )
        for name in CHECKLIST_TEXTS
    ]
    agreed = _checklist_item(AGREED, "boolean", _field_label(AGREED), required=True)
    return {
        **_common(CHECKLIST_ID, "ReferralChecklist", "Referral contraindication checklist"),
        "description": "The contraindication checklist of kapclinic's referral form.",
        "item": [*boxes, *texts, agreed],
    }


@cache
def questionnaires() -> tuple[dict[str, Any], ...]:
    """Every Questionnaire, in a fixed order (built once: they change only with the code)."""
    return (
        *(instrument_questionnaire(instrument) for instrument in INSTRUMENTS.values()),
        checklist_questionnaire(),
    )


def checklist_items() -> dict[str, str]:
    """linkId -> item type of the checklist, to check an inbound QuestionnaireResponse."""
    return {item["linkId"]: item["type"] for item in checklist_questionnaire()["item"]}
