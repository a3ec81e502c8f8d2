"""AuditEvent <- audit.AuditEvent, for the roles that read the trail (clinic admins, the privacy
officer), within the same scope as /audit/."""

from typing import Any

from django.db.models import QuerySet

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import AUDIT_ROLES
from kapclinic.audit.models import Action, AuditEvent, Outcome
from kapclinic.audit_review.selectors import events_about, visible_events
from kapclinic.fhir.resources.base import (
    Reader,
    ResourceType,
    Source,
    coding,
    instant,
    ref,
    require_role,
)
from kapclinic.labels import label

EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type"
DICOM = "http://dicom.nema.org/resources/ontology/DCM"
# DICOM PS3.16 CID 400 audit event IDs: 110114 User Authentication, 110113 Security Alert.
SIGN_IN = coding(DICOM, "110114", "User Authentication")
SECURITY_ALERT = coding(DICOM, "110113", "Security Alert")
REST = coding(EVENT_TYPE, "rest", "RESTful Operation")
# Our actions -> AuditEvent.action (http://hl7.org/fhir/R4/valueset-audit-event-action.html)
ACTION = {
    Action.CREATE: "C",
    Action.READ: "R",
    Action.UPDATE: "U",
    Action.SEARCH: "E",
    Action.EXPORT: "R",
    Action.EXECUTE: "E",
    Action.LOGIN: "E",
    Action.LOGIN_FAILED: "E",
    Action.WITNESS_PASSWORD_FAILED: "E",
    Action.LOGOUT: "E",
    Action.DENIED: "E",
}
AUTHENTICATION = {Action.LOGIN, Action.LOGIN_FAILED, Action.WITNESS_PASSWORD_FAILED, Action.LOGOUT}


def event_rows(user: User) -> QuerySet[AuditEvent]:
    require_role(user, AUDIT_ROLES)
    return visible_events(user)


def event_rows_about(user: User, patient_ids: tuple[int, ...]) -> QuerySet[AuditEvent]:
    """A search by patient finds what the access report finds: the events naming the patient
    and the list events whose page showed them (audit_review.selectors.events_about)."""
    require_role(user, AUDIT_ROLES)
    return events_about(user, patient_ids)


def _type(action: Action) -> dict[str, str]:
    if action in AUTHENTICATION:
        return SIGN_IN
    return SECURITY_ALERT if action == Action.DENIED else REST


def audit_event(event: AuditEvent, reader: Reader) -> dict[str, Any]:
    action = Action(event.action)
    entities: list[dict[str, Any]] = []
    if event.patient_id:
        entities.append({"what": ref("Patient", event.patient_id)})
    if event.object_type:
        entities.append(
            {"what": {"identifier": {"value": f"{event.object_type}/{event.object_id}"}}}
        )
    if list_name := event.detail.get("list"):  # a page of a list (its patients: events_about)
        entities.append(
            {
                "what": {"identifier": {"value": f"list/{list_name}"}},
                "name": label(list_name, "list"),
            }
        )
    return {
        "resourceType": "AuditEvent",
        "type": _type(action),
        "action": ACTION[action],
        "recorded": instant(event.occurred_at),
        # 0 success, 4 minor failure (http://hl7.org/fhir/R4/valueset-audit-event-outcome.html)
        "outcome": "0" if event.outcome == Outcome.SUCCESS else "4",
        "outcomeDesc": event.reason[:1000] or None,
        "agent": [
            {
                "who": {"display": event.actor_label or "kapclinic"},
                "role": [{"text": event.role}] if event.role else None,
                "requestor": True,
                "network": {"address": event.client_address, "type": "2"}
                if event.client_address
                else None,
            }
        ],
        "source": {"observer": {"display": "kapclinic"}, "site": event.request_id or None},
        "entity": entities or None,
    }


AUDIT_EVENT = ResourceType(
    "AuditEvent",
    (
        Source(
            event_rows,
            audit_event,
            patient="patient",
            date="occurred_at",
            updated="occurred_at",
            rows_about=event_rows_about,
        ),
    ),
    audit_always=True,
)
