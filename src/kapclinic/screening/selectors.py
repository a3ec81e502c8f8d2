"""Reads for screening screens; reads of a patient's answers are audited."""

from typing import Any

from django.db.models import QuerySet

from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.patients.models import Patient
from kapclinic.screening.models import (
    Assignment,
    Determination,
    QuestionnaireResponse,
    SafetyFlag,
    Task,
)


def open_safety_flags(*, patient: Patient) -> list[SafetyFlag]:
    """Flags still waiting for a clinician's review (the chart banner)."""
    return list(
        SafetyFlag.objects.filter(patient=patient, reviewed_at__isnull=True).select_related(
            "response"
        )
    )


def questionnaires_of(*, by: Any, patient: Patient) -> dict[str, Any]:
    responses = list(
        QuestionnaireResponse.objects.filter(
            patient=patient, entered_in_error=False
        ).select_related("entered_by")
    )
    record_event(
        actor=by, action=Action.READ, patient=patient, detail={"questionnaires": len(responses)}
    )
    waiting = list(Assignment.objects.filter(patient=patient, response__isnull=True))
    return {"responses": responses, "waiting": waiting}


def open_tasks_of(*, user: Any) -> QuerySet[Task]:
    """The user's tasks not yet done, urgent first."""
    return Task.objects.filter(assignee=user, done_at__isnull=True).select_related("patient")


def waiting_for(patient: Patient) -> list[Assignment]:
    return list(Assignment.objects.filter(patient=patient, response__isnull=True))


def latest_decision(patient: Patient) -> str:
    """The decision of the patient's latest signed determination, "" when none is signed.

    A re-screening replaces the screening before it, so only the latest signature counts.
    """
    latest = (
        Determination.objects.filter(screening__patient=patient)
        .order_by("-signed_at", "-pk")
        .values_list("decision", flat=True)
        .first()
    )
    return latest or ""
