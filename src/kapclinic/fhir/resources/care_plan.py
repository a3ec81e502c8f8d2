"""CarePlan <- care.Enrolment: the program a patient follows (Standard, Introductory, ...),
where the journey stands (Connect, Prepare, Experience, Integrate, Reconnect) and the sessions
the program plans, one activity per phase. Same readers as the journey page (clinical roles,
patients they may open)."""

from collections.abc import Callable
from typing import Any

from kapclinic.care.models import Enrolment, JourneyTransition
from kapclinic.clinical.journey import STAGE_NAMES, Stage
from kapclinic.fhir.resources.base import (
    LAST_CHANGE,
    Reader,
    ResourceType,
    Source,
    clinical_rows,
    coding,
    column,
    instant,
    last_change,
    newest,
    patient_ref,
    ref,
)

STAGE_SYSTEM = "https://kapclinic.example/fhir/CodeSystem/journey-stage"
SESSION_SYSTEM = "https://kapclinic.example/fhir/CodeSystem/program-session"
# Journey stage -> CarePlan.status (http://hl7.org/fhir/R4/valueset-request-status.html):
# Connect is intake and eligibility, before the plan is acted on.
PLAN_STATUS = {
    Stage.CONNECT: "draft",
    Stage.PREPARE: "active",
    Stage.EXPERIENCE: "active",
    Stage.INTEGRATE: "active",
    Stage.RECONNECT: "active",
    Stage.DISCHARGED: "completed",
}
# The program's phases in journey order: (stage, session code, label, template count field).
PHASES = (
    (Stage.PREPARE, "preparation", "Preparation sessions", "preparation_sessions"),
    (Stage.EXPERIENCE, "dosing", "Ketamine sessions", "dosing_sessions"),
    (Stage.INTEGRATE, "integration", "Integration sessions", "integration_sessions"),
)
ORDER = list(Stage)
# Integrate may lead back to Experience (clinical.journey.TRANSITIONS): in either stage both
# phases are under way.
ALTERNATING = {Stage.EXPERIENCE, Stage.INTEGRATE}


def activity_status(stage: Stage, phase: Stage) -> str:
    """Where one phase stands (http://hl7.org/fhir/R4/valueset-care-plan-activity-status.html);
    a discharge does not record which phases were done, so theirs is unknown."""
    if stage == Stage.DISCHARGED:
        return "unknown"
    if stage in ALTERNATING and phase in ALTERNATING:
        return "in-progress"
    if ORDER.index(stage) < ORDER.index(phase):
        return "not-started"
    return "in-progress" if stage == phase else "completed"


def _activity(enrolment: Enrolment, stage: Stage, phase: tuple[Stage, str, str, str]) -> Any:
    phase_stage, code, label, count_field = phase
    program = enrolment.program
    repeat: dict[str, Any] = {"count": getattr(program, count_field)}
    if phase_stage == Stage.EXPERIENCE:  # plan booking keeps this many days between doses
        repeat |= {"period": program.days_between_dosing, "periodUnit": "d"}
    return {
        "detail": {
            "kind": "Appointment",
            "code": {"coding": [coding(SESSION_SYSTEM, code, label)], "text": label},
            "status": activity_status(stage, phase_stage),
            "scheduledTiming": {"repeat": repeat},
        }
    }


def care_plan(enrolment: Enrolment, reader: Reader) -> dict[str, Any]:
    stage = Stage(enrolment.stage)
    program = enrolment.program
    stage_name = str(STAGE_NAMES[stage])
    return {
        "resourceType": "CarePlan",
        "status": PLAN_STATUS[stage],
        "intent": "plan",
        "category": [
            {"coding": [coding(STAGE_SYSTEM, stage.value, stage_name)], "text": stage_name}
        ],
        "title": program.name("en"),
        "description": f"{program.name('en')} program, {program.min_weeks} to "
        f"{program.max_weeks} weeks",
        "subject": patient_ref(enrolment.patient),
        "period": {"start": instant(enrolment.enrolled_at)},
        "created": instant(enrolment.enrolled_at),
        "author": ref("Practitioner", enrolment.enrolled_by_id),
        "activity": [_activity(enrolment, stage, phase) for phase in PHASES],
    }


def _moves() -> Any:
    return JourneyTransition.objects.all()


# An enrolment changes when the journey moves and when preparation is marked done.
ENROLMENT_CHANGES = last_change(
    "enrolled_at", column("preparation_done_at"), newest(_moves, "at", "enrolment")
)


def enrolment_source(
    mapper: Callable[[Enrolment, Reader], dict[str, Any]], status_of: dict[Stage, str]
) -> Source:
    """A patient's enrolment read as one resource type (CarePlan, EpisodeOfCare), its FHIR
    status searched through the journey stages that map to it."""
    return Source(
        clinical_rows(Enrolment),
        mapper,
        patient="patient",
        date="enrolled_at",
        updated=LAST_CHANGE,
        annotations=ENROLMENT_CHANGES,
        status_field="stage",
        statuses={
            code: tuple(s.value for s, c in status_of.items() if c == code)
            for code in set(status_of.values())
        },
        related=("program",),
    )


CARE_PLAN = ResourceType("CarePlan", (enrolment_source(care_plan, PLAN_STATUS),))
