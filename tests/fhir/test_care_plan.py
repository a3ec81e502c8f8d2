"""CarePlan: a patient's program and where the journey stands, the program's sessions as
activities; searched by patient, status, date and _lastUpdated, which follows the journey."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kapclinic.care.models import JourneyTransition
from kapclinic.clinical.journey import Stage
from kapclinic.fhir.resources.care_plan import activity_status
from tests.fhir.conftest import outcome

pytestmark = pytest.mark.django_db


def test_the_plan_shows_the_program_the_stage_and_the_sessions(
    ready: dict[str, Any], api: Any
) -> None:
    enrolment = ready["enrolment"]  # at Experience
    program = enrolment.program
    plan = api(ready["physician"]).ok(f"CarePlan/{enrolment.pk}")
    assert plan["status"] == "active" and plan["intent"] == "plan"
    assert plan["title"] == program.name_en
    assert plan["category"][0]["coding"][0]["code"] == "experience"
    assert plan["subject"]["reference"] == f"Patient/{ready['patient_a'].pk}"
    activities = {a["detail"]["code"]["coding"][0]["code"]: a["detail"] for a in plan["activity"]}
    assert activities["preparation"]["status"] == "completed"
    assert activities["dosing"]["status"] == "in-progress"
    assert activities["dosing"]["scheduledTiming"]["repeat"] == {
        "count": program.dosing_sessions,
        "period": program.days_between_dosing,
        "periodUnit": "d",
    }
    assert activities["integration"]["scheduledTiming"]["repeat"]["count"] == (
        program.integration_sessions
    )


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (Stage.CONNECT, ("not-started", "not-started", "not-started")),
        (Stage.PREPARE, ("in-progress", "not-started", "not-started")),
        (Stage.INTEGRATE, ("completed", "in-progress", "in-progress")),
        (Stage.RECONNECT, ("completed", "completed", "completed")),
        (Stage.DISCHARGED, ("unknown", "unknown", "unknown")),
    ],
)
def test_activity_status_follows_the_stage(stage: Stage, expected: tuple[str, ...]) -> None:
    phases = (Stage.PREPARE, Stage.EXPERIENCE, Stage.INTEGRATE)
    assert tuple(activity_status(stage, phase) for phase in phases) == expected


def test_search_by_status_date_and_patient(ready: dict[str, Any], api: Any) -> None:
    reader = api(ready["physician"])
    patient = ready["patient_a"]
    assert reader.ok("CarePlan", {"status": "active"})["total"] == 1
    assert reader.ok("CarePlan", {"status": "draft,completed"})["total"] == 0
    today = timezone.now().date().isoformat()
    assert reader.ok("CarePlan", {"date": f"ge{today}", "patient": str(patient.pk)})["total"] == 1
    assert reader.ok("CarePlan", {"date": "lt2000-01-01"})["total"] == 0
    other = ready["patient_b"]  # Vancouver: not a patient of this physician's clinic
    assert reader.ok("CarePlan", {"patient": f"Patient/{other.pk}"})["total"] == 0


def test_last_updated_is_the_latest_journey_move(ready: dict[str, Any], api: Any) -> None:
    enrolment = ready["enrolment"]
    reader = api(ready["nurse"])
    before = reader.ok(f"CarePlan/{enrolment.pk}")["meta"]["lastUpdated"]
    moved_at = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    JourneyTransition.objects.create(
        enrolment=enrolment,
        from_stage=Stage.EXPERIENCE,
        to_stage=Stage.INTEGRATE,
        by=ready["nurse"],
        at=moved_at,
    )
    plan = reader.ok(f"CarePlan/{enrolment.pk}")
    assert plan["meta"]["lastUpdated"] == moved_at.isoformat().replace("+00:00", "Z") != before
    episode = reader.ok(f"EpisodeOfCare/{enrolment.pk}")
    assert episode["meta"]["lastUpdated"] == plan["meta"]["lastUpdated"]
    day = moved_at.date().isoformat()
    assert reader.ok("CarePlan", {"_lastUpdated": day})["total"] == 1
    assert reader.ok("CarePlan", {"_lastUpdated": f"gt{day}"})["total"] == 0


def test_refusals(ready: dict[str, Any], api: Any) -> None:
    enrolment = ready["enrolment"]
    outcome(api(ready["billing"]).get(f"CarePlan/{enrolment.pk}"), 403)
    outcome(api(ready["therapist_2"]).get(f"CarePlan/{enrolment.pk}"), 404)  # off the team
    outcome(api(ready["physician"]).get("CarePlan/999999"), 404)
    outcome(api(ready["physician"]).get("CarePlan", {"date": "soon"}), 400)
    outcome(api(ready["physician"]).get("CarePlan", {"patient": "Group/1"}), 400)
    outcome(api(ready["physician"]).send("delete", f"CarePlan/{enrolment.pk}"), 405)
