"""ServiceRequest <- referrals.Referral (the request for care), Task <- the same referral's
progress through intake (its status, the 24-hour contact clock as the Task's restriction)."""

from typing import Any

from django.db.models import QuerySet

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.fhir.resources.base import (
    LAST_CHANGE,
    Reader,
    ResourceType,
    Source,
    column,
    instant,
    last_change,
    newest,
    ref,
    require_role,
)
from kapclinic.referrals.access import INTAKE_ROLES, visible_referrals
from kapclinic.referrals.models import Referral, ReferralStatusChange, Status

REFERRAL_NUMBER_SYSTEM = "https://kapclinic.example/fhir/NamingSystem/referral-number"
CONDITION_SYSTEM = "https://kapclinic.example/fhir/CodeSystem/condition"

# Referral status -> ServiceRequest.status (http://hl7.org/fhir/R4/valueset-request-status.html)
REQUEST_STATUS = {
    Status.DRAFT: "draft",
    Status.RECEIVED: "active",
    Status.CONTACTED: "active",
    Status.SCREENING_BOOKED: "active",
    Status.ON_HOLD: "on-hold",
    Status.INTEREST_LIST: "on-hold",
    Status.ACCEPTED: "completed",
    Status.DECLINED: "revoked",
    Status.WITHDRAWN: "revoked",
    Status.UNABLE_TO_CONTACT: "revoked",
}
# Referral status -> Task.status (http://hl7.org/fhir/R4/valueset-task-status.html)
TASK_STATUS = {
    Status.DRAFT: "draft",
    Status.RECEIVED: "received",
    Status.CONTACTED: "in-progress",
    Status.SCREENING_BOOKED: "in-progress",
    Status.ON_HOLD: "on-hold",
    Status.INTEREST_LIST: "on-hold",
    Status.ACCEPTED: "completed",
    Status.DECLINED: "rejected",
    Status.WITHDRAWN: "cancelled",
    Status.UNABLE_TO_CONTACT: "failed",
}


def _inverse(mapping: dict[Status, str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for stored, code in mapping.items():
        found[code] = (*found.get(code, ()), stored.value)
    return found


def referral_rows(user: User) -> QuerySet[Referral]:
    require_role(user, INTAKE_ROLES | {Role.REFERRER})
    return visible_referrals(user)


def _subject(referral: Referral) -> dict[str, str]:
    if referral.patient_id:
        return ref("Patient", referral.patient_id)
    return {"display": f"{referral.given_name} {referral.family_name}"}


def service_request(referral: Referral, reader: Reader) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "identifier": [{"system": REFERRAL_NUMBER_SYSTEM, "value": referral.number}]
        if referral.number
        else None,
        "status": REQUEST_STATUS[Status(referral.status)],
        "intent": "order",
        "category": [{"text": "Referral for ketamine-assisted psychotherapy"}],
        "code": {"text": "Ketamine-assisted psychotherapy assessment"},
        "subject": _subject(referral),
        "authoredOn": instant(referral.received_at or referral.created_at),
        "requester": {"display": referral.referrer.full_name} if referral.referrer else None,
        "performer": [ref("Organization", referral.clinic_id)],
        "reasonCode": [
            {
                "coding": [{"system": CONDITION_SYSTEM, "code": referral.condition.code}],
                "text": referral.condition.name("en"),
            }
        ],
        "note": [{"text": referral.reason}] if referral.reason else None,
    }


def task(referral: Referral, reader: Reader) -> dict[str, Any]:
    restriction = (
        {"period": {"end": instant(referral.contact_due_at)}} if referral.contact_due_at else None
    )
    return {
        "resourceType": "Task",
        "identifier": [{"system": REFERRAL_NUMBER_SYSTEM, "value": referral.number}]
        if referral.number
        else None,
        "basedOn": [ref("ServiceRequest", referral.pk)],
        "status": TASK_STATUS[Status(referral.status)],
        "statusReason": {"text": referral.status_reason} if referral.status_reason else None,
        "intent": "order",
        "code": {"text": "Contact the referred person"},
        "focus": ref("ServiceRequest", referral.pk),
        "for": ref("Patient", referral.patient_id) if referral.patient_id else None,
        "authoredOn": instant(referral.received_at or referral.created_at),
        "owner": ref("Organization", referral.clinic_id),
        # The contact promise: due within this period (KAPCLINIC_CONTACT_PROMISE_HOURS).
        "restriction": restriction,
        "executionPeriod": {
            "start": instant(referral.received_at),
            "end": instant(referral.first_contact_at),
        }
        if referral.received_at
        else None,
    }


def _referral_source(to_fhir: Any, statuses: dict[str, tuple[str, ...]]) -> Source:
    return Source(
        referral_rows,
        to_fhir,
        patient="patient",
        date="received_at",
        # A referral changes when received, contacted, and at each status change.
        updated=LAST_CHANGE,
        annotations=last_change(
            "created_at",
            column("received_at"),
            column("first_contact_at"),
            newest(lambda: ReferralStatusChange.objects.all(), "at", "referral"),
        ),
        status_field="status",
        statuses=statuses,
        related=("clinic", "condition", "referrer"),
    )


SERVICE_REQUEST = ResourceType(
    "ServiceRequest", (_referral_source(service_request, _inverse(REQUEST_STATUS)),)
)
TASK = ResourceType("Task", (_referral_source(task, _inverse(TASK_STATUS)),))
