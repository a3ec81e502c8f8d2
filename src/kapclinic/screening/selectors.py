"""Reads for screening screens; reads of a patient's answers are audited."""

from dataclasses import dataclass

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event, record_list_read, record_page_read
from kapclinic.patients.models import Patient
from kapclinic.screening.models import (
    Assignment,
    Determination,
    QuestionnaireResponse,
    SafetyFlag,
    Screening,
    Task,
)


def open_safety_flags(*, patient: Patient) -> list[SafetyFlag]:
    """Flags still waiting for a clinician's review (the chart banner)."""
    return list(
        SafetyFlag.objects.filter(patient=patient, reviewed_at__isnull=True).select_related(
            "response"
        )
    )


@dataclass(frozen=True)
class Questionnaires:
    """A patient's questionnaires: answered (not entered in error) and assigned, unanswered."""

    responses: list[QuestionnaireResponse]
    waiting: list[Assignment]


def questionnaires_of(*, by: User, patient: Patient) -> Questionnaires:
    responses = list(
        QuestionnaireResponse.objects.filter(
            patient=patient, entered_in_error=False
        ).select_related("entered_by")
    )
    record_event(
        actor=by, action=Action.READ, patient=patient, detail={"questionnaires": len(responses)}
    )
    waiting = list(Assignment.objects.filter(patient=patient, response__isnull=True))
    return Questionnaires(responses=responses, waiting=waiting)


def open_tasks_of(*, by: User) -> list[Task]:
    """The user's tasks not yet done, urgent first; the list is audited as one event naming
    its patients."""
    tasks = list(Task.objects.filter(assignee=by, done_at__isnull=True).select_related("patient"))
    if tasks:
        shown = [task.patient_id for task in tasks]
        record_list_read(actor=by, action=Action.SEARCH, name="my_tasks", patient_ids=shown)
    return tasks


def entry_form_for(*, by: User, patient: Patient) -> Patient:
    """The patient whose paper answers are being typed in (the form names them): audited."""
    record_page_read(actor=by, patient=patient, page="questionnaire_entry")
    return patient


def screening_of(*, by: User, patient: Patient) -> Screening | None:
    """The patient's latest screening, for the screening page (audited as a read of it)."""
    current = patient.screenings.select_related("indication", "referral").first()
    record_page_read(actor=by, patient=patient, page="screening")
    return current


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
