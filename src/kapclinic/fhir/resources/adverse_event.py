"""AdverseEvent <- dosing.AdverseEvent, its severity and seriousness in FHIR's value sets."""

from typing import Any

from django.db.models import QuerySet

from kapclinic.accounts.models import User
from kapclinic.clinical.adverse_events import EventSeverity
from kapclinic.dosing.access import SESSION_ROLES
from kapclinic.dosing.models import AdverseEvent
from kapclinic.fhir.resources.base import (
    Reader,
    ResourceType,
    Source,
    coding,
    instant,
    patient_ref,
    ref,
    require_role,
)
from kapclinic.patients.access import visible_patients

EVENT_SYSTEM = "https://kapclinic.example/fhir/CodeSystem/adverse-event-kind"
SEVERITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
SERIOUSNESS_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
# Our grades (CTCAE v5.0 grades 1-3) -> FHIR adverse-event-severity; "serious" (Health Canada,
# C.01.001(1)) is graver than severe, so its severity is severe and its seriousness serious.
SEVERITY = {
    EventSeverity.MILD: "mild",
    EventSeverity.MODERATE: "moderate",
    EventSeverity.SEVERE: "severe",
    EventSeverity.SERIOUS: "severe",
}


def event_rows(user: User) -> QuerySet[AdverseEvent]:
    require_role(user, SESSION_ROLES)
    return AdverseEvent.objects.filter(session__patient__in=visible_patients(user))


def adverse_event(event: AdverseEvent, reader: Reader) -> dict[str, Any]:
    serious = "serious" if event.serious else "non-serious"
    severity = SEVERITY[EventSeverity(event.severity)]
    return {
        "resourceType": "AdverseEvent",
        "actuality": "actual",
        "event": {
            "coding": [coding(EVENT_SYSTEM, event.kind, str(event.get_kind_display()))],
            "text": event.description or str(event.get_kind_display()),
        },
        "subject": patient_ref(event.session.patient),
        "date": instant(event.onset_at),
        "recordedDate": instant(event.recorded_at),
        "recorder": ref("Practitioner", event.recorded_by_id),
        "seriousness": {"coding": [coding(SERIOUSNESS_SYSTEM, serious)]},
        "severity": {"coding": [coding(SEVERITY_SYSTEM, severity)]},
        "outcome": {"text": event.outcome} if event.outcome else None,
        "suspectEntity": [
            {"instance": ref("MedicationAdministration", event.session.administration.pk)}
        ]
        if hasattr(event.session, "administration")
        else None,
    }


ADVERSE_EVENT = ResourceType(
    "AdverseEvent",
    (
        Source(
            event_rows,
            adverse_event,
            patient="session__patient",
            date="onset_at",
            updated="recorded_at",
            related=("session__administration",),
        ),
    ),
)
