"""MedicationRequest <- dosing.Order (a physician's signed ketamine order, each version its own
request) and MedicationAdministration <- dosing.Administration (the dose as given)."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from kapclinic.accounts.models import User
from kapclinic.dosing.access import SESSION_ROLES
from kapclinic.dosing.models import Administration, Order
from kapclinic.fhir.resources.base import (
    LAST_CHANGE,
    Reader,
    ResourceType,
    Source,
    coding,
    day,
    instant,
    last_change,
    newest,
    patient_ref,
    ref,
    require_role,
)
from kapclinic.patients.access import visible_patients

# WHO ATC index (whocc.no/atc_ddd_index): N01AX03 ketamine.
KETAMINE = {
    "coding": [coding("http://www.whocc.no/atc", "N01AX03", "ketamine")],
    "text": "Ketamine",
}
UCUM = "http://unitsofmeasure.org"


def _mg(value: int) -> dict[str, Any]:
    return {"value": value, "unit": "mg", "system": UCUM, "code": "mg"}


def order_rows(user: User) -> QuerySet[Order]:
    require_role(user, SESSION_ROLES)
    return Order.objects.filter(patient__in=visible_patients(user))


def administration_rows(user: User) -> QuerySet[Administration]:
    require_role(user, SESSION_ROLES)
    return Administration.objects.filter(session__patient__in=visible_patients(user))


def _order_status(order: Order) -> str:
    """A replaced version is stopped; one past its date completed; else active
    (http://hl7.org/fhir/R4/valueset-medicationrequest-status.html)."""
    if getattr(order, "superseded_by", None) is not None:
        return "stopped"
    return "completed" if order.expires_on < timezone.localdate() else "active"


def medication_request(order: Order, reader: Reader) -> dict[str, Any]:
    steps = [
        {"sequence": n, "text": f"Session {n}: {mg} mg", "doseAndRate": [{"doseQuantity": _mg(mg)}]}
        for n, mg in enumerate(order.titration_mg or [], start=1)
    ]
    return {
        "resourceType": "MedicationRequest",
        "status": _order_status(order),
        "intent": "order",
        "medicationCodeableConcept": KETAMINE,
        "subject": patient_ref(order.patient),
        "authoredOn": instant(order.signed_at),
        "requester": ref("Practitioner", order.signed_by_id),
        "priorPrescription": ref("MedicationRequest", order.supersedes_id)
        if order.supersedes_id
        else None,
        "note": [{"text": order.reason_for_change}] if order.reason_for_change else None,
        "dosageInstruction": [
            *steps,
            {
                "sequence": len(steps) + 1,
                "text": f"{order.dose_mg} mg, {order.get_route_display()}",
                "route": {"text": order.get_route_display()},
                "doseAndRate": [{"doseQuantity": _mg(order.dose_mg)}],
            },
        ],
        "dispenseRequest": {"validityPeriod": {"end": day(order.expires_on)}},
    }


def medication_administration(given: Administration, reader: Reader) -> dict[str, Any]:
    session = given.session
    return {
        "resourceType": "MedicationAdministration",
        "status": "completed",
        "medicationCodeableConcept": KETAMINE,
        "subject": patient_ref(session.patient),
        "effectiveDateTime": instant(given.given_at),
        "performer": [{"actor": ref("Practitioner", given.given_by_id)}],
        "request": ref("MedicationRequest", session.order_id) if session.order_id else None,
        "dosage": {
            "text": f"{given.dose_mg} mg, {given.get_route_display()}",
            "route": {"text": given.get_route_display()},
            "dose": _mg(given.dose_mg),
        },
    }


MEDICATION_REQUEST = ResourceType(
    "MedicationRequest",
    (
        Source(
            order_rows,
            medication_request,
            patient="patient",
            date="signed_at",
            updated=LAST_CHANGE,  # signed, then perhaps superseded by a new order
            annotations=last_change(
                "signed_at", newest(lambda: Order.objects.all(), "signed_at", "supersedes")
            ),
            related=("superseded_by",),
        ),
    ),
)
MEDICATION_ADMINISTRATION = ResourceType(
    "MedicationAdministration",
    (
        Source(
            administration_rows,
            medication_administration,
            patient="session__patient",
            date="given_at",
            updated="recorded_at",
            fixed_status="completed",
        ),
    ),
)
