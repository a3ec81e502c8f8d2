"""Inbound e-referral: an EMR posts a transaction Bundle (Patient, ServiceRequest and the
contraindication checklist as a QuestionnaireResponse); it becomes a referral in the intake
queue, with its 24-hour clock, through the portal's own form and service (same checks, same
matching: an existing record is only ever proposed to intake staff, never linked blindly)."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from django.db import transaction
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.clinics.models import Condition
from kapclinic.errors import NotPermitted
from kapclinic.fhir.models import InboundReferral
from kapclinic.fhir.outcome import FhirError
from kapclinic.fhir.resources.patient import HEALTH_NUMBER_SYSTEM
from kapclinic.fhir.resources.questionnaire_definition import CHECKLIST, checklist_items
from kapclinic.fhir.resources.referral import CONDITION_SYSTEM, REFERRAL_NUMBER_SYSTEM
from kapclinic.referrals import services
from kapclinic.referrals.forms import SubmitReferralForm
from kapclinic.referrals.models import Contraindication, Referral, Referrer

ACCEPTED = ("Patient", "ServiceRequest", "QuestionnaireResponse")
PROVINCE_OF_SYSTEM = {system: province for province, system in HEALTH_NUMBER_SYSTEM.items()}
# Free-text answers of the checklist, by linkId, and the referral field each fills.
TEXT_ITEMS = {
    "contraindication_other": "contraindication_other",
    "medications": "medications",
    "history": "history",
    "community_support": "community_support",
}
# The FHIR path each form field was read from, so that a refusal points at what the
# integrator sent, never at a Django form field name.
FHIR_PATH = {
    "given_name": "Patient.name[0].given[0]",
    "family_name": "Patient.name[0].family",
    "date_of_birth": "Patient.birthDate",
    "province": "Patient.identifier[0].system",
    "health_number": "Patient.identifier[0].value",
    "phone": "Patient.telecom.where(system='phone').value",
    "email": "Patient.telecom.where(system='email').value",
    "preferred_language": "Patient.communication[0].language",
    "condition": "ServiceRequest.reasonCode",
    "reason": "ServiceRequest.note[0].text",
    "contraindications": "QuestionnaireResponse.item",
    **{
        name: f"QuestionnaireResponse.item.where(linkId='{link_id}')"
        for link_id, name in TEXT_ITEMS.items()
    },
    "patient_agreed": "QuestionnaireResponse.item.where(linkId='patient_agreed')",
}


class InvalidReferral(FhirError):
    """The bundle is FHIR but not a referral we can accept (422), field by field."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        summary = "; ".join(f"{where}: {what}" for where, what in problems)
        super().__init__(422, summary, problems=problems)


@dataclass(frozen=True)
class Received:
    """The referral a Bundle made, or, for a repeat of a Bundle already received (the same
    sender's identifier), the referral the first one made."""

    referral: Referral
    repeat: bool = False


@dataclass(frozen=True)
class SenderIdentifier:
    """The identifier the sender gave its ServiceRequest (system|value)."""

    system: str
    value: str

    def __str__(self) -> str:
        return f"{self.system}|{self.value}"


def _entries(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "transaction":
        raise FhirError(400, _("Post a Bundle of type transaction."))
    entries = bundle.get("entry")
    if not isinstance(entries, list):
        raise FhirError(400, _("The Bundle has no entry list."))
    found: dict[str, dict[str, Any]] = {}
    for entry in entries:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            raise FhirError(400, _("Every entry holds a resource."))
        kind = resource["resourceType"]
        if kind not in ACCEPTED:
            raise InvalidReferral([(kind, _("not part of an e-referral"))])
        if kind in found:
            raise InvalidReferral([(kind, _("one per referral"))])
        found[kind] = resource
    missing = [k for k in ACCEPTED if k not in found]
    if missing:
        raise InvalidReferral(
            [
                (k, _("%(kind)s missing: the Bundle must hold one %(kind)s entry.") % {"kind": k})
                for k in missing
            ]
        )
    return found


def _first(items: Any) -> dict[str, Any]:
    return items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _telecom(patient: dict[str, Any], system: str) -> str:
    for point in patient.get("telecom") or []:
        if isinstance(point, dict) and point.get("system") == system:
            return _text(point.get("value"))
    return ""


def _patient_fields(patient: dict[str, Any]) -> dict[str, Any]:
    name = _first(patient.get("name"))
    given = name.get("given")
    identifier = _first(patient.get("identifier"))
    province = PROVINCE_OF_SYSTEM.get(_text(identifier.get("system")), "")
    spoken = _first(patient.get("communication")).get("language")
    language = _first(spoken.get("coding")) if isinstance(spoken, dict) else {}
    return {
        "given_name": _text(given[0]) if isinstance(given, list) and given else "",
        "family_name": _text(name.get("family")),
        "date_of_birth": _text(patient.get("birthDate")),
        "province": province or _text(_first(patient.get("address")).get("state")),
        "health_number": _text(identifier.get("value")),
        "phone": _telecom(patient, "phone"),
        "email": _telecom(patient, "email"),
        "preferred_language": _text(language.get("code")) or "en",
    }


def _request_fields(request: dict[str, Any]) -> dict[str, Any]:
    codes = [
        _text(c.get("code"))
        for c in _first(request.get("reasonCode")).get("coding") or []
        if isinstance(c, dict) and c.get("system") == CONDITION_SYSTEM
    ]
    condition = Condition.objects.filter(code__in=codes[:1]).first() if codes else None
    return {
        "condition": condition.pk if condition else "",
        "reason": _text(_first(request.get("note")).get("text")),
    }


def _answer(item: dict[str, Any]) -> Any:
    answer = _first(item.get("answer"))
    return answer.get("valueBoolean", answer.get("valueString"))


# The answer element each checklist item type takes (FHIR R4 Questionnaire item types).
ANSWER_OF_TYPE = {"boolean": "valueBoolean", "string": "valueString", "text": "valueString"}


def _checked_answers(items: Any) -> dict[str, Any]:
    """The answers by linkId, each matched against the checklist Questionnaire: an item it
    does not have, or an answer of the wrong type, is refused by name (422)."""
    if items is None:
        return {}
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InvalidReferral([("QuestionnaireResponse.item", _("must be a list of items"))])
    known = checklist_items()
    problems, answers = [], {}
    for item in items:
        link_id = _text(item.get("linkId"))
        if link_id not in known:
            problems.append(
                (
                    f"QuestionnaireResponse.item[{link_id or '?'}]",
                    _("not an item of %(questionnaire)s") % {"questionnaire": CHECKLIST},
                )
            )
            continue
        answer = _first(item.get("answer"))
        expected = ANSWER_OF_TYPE[known[link_id]]
        if answer and expected not in answer:
            problems.append(
                (
                    f"QuestionnaireResponse.item[{link_id}]",
                    _("answer with %(element)s") % {"element": expected},
                )
            )
            continue
        answers[link_id] = _answer(item)
    if problems:
        raise InvalidReferral(problems)
    return answers


def _checklist_fields(response: dict[str, Any]) -> dict[str, Any]:
    if response.get("questionnaire") != CHECKLIST:
        raise InvalidReferral(
            [
                (
                    "QuestionnaireResponse.questionnaire",
                    _("must be %(questionnaire)s") % {"questionnaire": CHECKLIST},
                )
            ]
        )
    answers = _checked_answers(response.get("item"))
    fields: dict[str, Any] = {
        "contraindications": [c.value for c in Contraindication if answers.get(c.value) is True],
        "patient_agreed": answers.get("patient_agreed") is True,
    }
    for link_id, name in TEXT_ITEMS.items():
        fields[name] = _text(answers.get(link_id))
    return fields


def _explained(field: str, message: str) -> str:
    """The form's message, with the values the API accepts where a code was not one."""
    if field == "province":
        systems = ", ".join(HEALTH_NUMBER_SYSTEM.values())
        return _("%(message)s (identifier.system must be one of: %(systems)s)") % {
            "message": message,
            "systems": systems,
        }
    if field == "condition":
        codes = ", ".join(Condition.objects.values_list("code", flat=True))
        return _("%(message)s (reasonCode.coding of system %(system)s, code one of: %(codes)s)") % {
            "message": message,
            "system": CONDITION_SYSTEM,
            "codes": codes,
        }
    return message


MAX_IDENTIFIER = 255  # characters of the sender's system, and of its value (InboundReferral)
IF_NONE_EXIST = "Bundle.entry.where(resource is ServiceRequest).request.ifNoneExist"


def _checked_identifier(system: str, value: str, where: str) -> SenderIdentifier:
    if not system or not value:
        raise InvalidReferral([(where, _("give the identifier as system|value"))])
    if len(system) > MAX_IDENTIFIER or len(value) > MAX_IDENTIFIER:
        raise InvalidReferral(
            [(where, _("at most %(max)d characters each") % {"max": MAX_IDENTIFIER})]
        )
    return SenderIdentifier(system, value)


def _if_none_exist(text: str) -> SenderIdentifier:
    """FHIR conditional create's criteria; this server takes `identifier=system|value`."""
    criteria = parse_qsl(text, keep_blank_values=True)
    if len(criteria) != 1 or criteria[0][0] != "identifier" or "," in criteria[0][1]:
        raise InvalidReferral(
            [(IF_NONE_EXIST, _("this server takes one criterion: identifier=system|value"))]
        )
    system, _bar, value = criteria[0][1].partition("|")
    return _checked_identifier(system.strip(), value.strip(), IF_NONE_EXIST)


def sender_identifier(bundle: dict[str, Any]) -> SenderIdentifier | None:
    """The identifier a retried Bundle is recognised by: the ServiceRequest entry's
    `request.ifNoneExist` (FHIR conditional create) if it has one, else the first
    ServiceRequest.identifier with a system and a value (other than our referral number,
    which a sender may echo back); None when the sender gave neither."""
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] != "ServiceRequest":
            continue
        request = entry.get("request")
        criteria = request.get("ifNoneExist") if isinstance(request, dict) else None
        if criteria is not None:
            if not isinstance(criteria, str):
                raise InvalidReferral([(IF_NONE_EXIST, _("must be a string"))])
            return _if_none_exist(criteria)
        for identifier in resource.get("identifier") or []:
            if not isinstance(identifier, dict):
                continue
            system, value = _text(identifier.get("system")), _text(identifier.get("value"))
            if system and value and system != REFERRAL_NUMBER_SYSTEM:
                return _checked_identifier(system, value, "ServiceRequest.identifier")
    return None


def _fingerprint(data: dict[str, Any]) -> str:
    """What the Bundle said, as the referral's fields read from it (a retry's fullUrls,
    timestamps or element order do not change it)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _repeat(
    *, by: User, referrer: Referrer, key: SenderIdentifier, fingerprint: str
) -> Received | None:
    """The referral this referrer's earlier Bundle with the same identifier made, audited as
    a repeat; None when there is none. The same identifier with other content is a 409: it
    would otherwise drop a different referral without a word."""
    known = (
        InboundReferral.objects.filter(referrer=referrer, system=key.system, value=key.value)
        .select_related("referral")
        .first()
    )
    if known is None:
        return None
    if known.fingerprint != fingerprint:
        raise FhirError(
            409,
            _(
                "The identifier %(identifier)s already names another referral you sent, with "
                "other content. Give a new referral a new identifier."
            )
            % {"identifier": str(key)},
            expression="ServiceRequest.identifier",
        )
    record_event(
        actor=by,
        action=Action.EXECUTE,
        patient=known.referral.patient,
        target=known.referral,
        detail={"fhir_transaction": "repeat", "identifier": str(key)},
    )
    return Received(known.referral, repeat=True)


def receive_bundle(*, by: User, bundle: dict[str, Any]) -> Received:
    """The referral a referrer's EMR sent, received into the intake queue; a repeat of one
    already received (the same sender's identifier) finds it again and makes none."""
    if by.role != Role.REFERRER:
        raise NotPermitted(_("Only a referring professional sends referrals."))
    referrer = Referrer.objects.filter(user=by).first()
    if referrer is None:
        raise NotPermitted(_("Only a referring professional sends referrals."))
    resources = _entries(bundle)
    key = sender_identifier(bundle)
    data = {
        **_patient_fields(resources["Patient"]),
        **_request_fields(resources["ServiceRequest"]),
        **_checklist_fields(resources["QuestionnaireResponse"]),
    }
    with transaction.atomic():
        if key is None:
            return Received(_received(by=by, referrer=referrer, data=data))
        # One Bundle of this referrer at a time from here: a retry sent while the first is
        # still being received waits for it, then finds its referral.
        Referrer.objects.select_for_update().filter(pk=referrer.pk).first()
        fingerprint = _fingerprint(data)
        repeat = _repeat(by=by, referrer=referrer, key=key, fingerprint=fingerprint)
        if repeat is not None:
            return repeat
        referral = _received(by=by, referrer=referrer, data=data)
        InboundReferral.objects.create(
            referrer=referrer,
            system=key.system,
            value=key.value,
            referral=referral,
            fingerprint=fingerprint,
        )
        return Received(referral)


def _received(*, by: User, referrer: Referrer, data: dict[str, Any]) -> Referral:
    """The Bundle's fields through the portal's form and service."""
    form = SubmitReferralForm(data=data, files={})
    if not form.is_valid():
        raise InvalidReferral(
            [
                (FHIR_PATH.get(name, "Bundle"), _explained(name, str(message)))
                for name, errors in form.errors.items()
                for message in errors
            ]
        )
    return services.save_referral(
        by=by, referrer=referrer, details=form.to_input(), attachments=[], submit=True
    )
