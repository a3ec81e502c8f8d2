"""Responses are scored and stored; PHQ-9 item 9 raises a flag, urgent tasks and a banner."""

from datetime import timedelta
from typing import Any

import pytest
from freezegun import freeze_time

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.errors import NotFound, NotPermitted
from kapclinic.patients.models import CareRole
from kapclinic.screening.models import Assignment, SafetyFlag, Source, Task
from kapclinic.screening.services import (
    ScreeningError,
    answer_by_link,
    assign_questionnaires,
    issue_access_link,
    record_response,
    review_safety_flag,
)
from tests.factories import CareTeamMemberFactory, PatientFactory

PHQ9_ITEM9_ONE = [0, 0, 0, 0, 0, 0, 0, 0, 1]


def record(by: Any, patient: Any, answers: list[int], instrument: str = "PHQ-9") -> Any:
    return record_response(
        by=by,
        patient=patient,
        instrument=instrument,
        answers=answers,
        source=Source.STAFF,
        language="en",
    )


def test_a_response_is_scored_as_published_and_audited(network: dict[str, Any]) -> None:
    response = record(network["nurse"], network["patient_a"], [2, 2, 2, 2, 2, 1, 1, 0, 0])
    assert (response.total, response.band, response.flags) == (12, "moderate", [])
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(response.pk)).exists()


def test_answers_out_of_range_are_refused_with_the_item_named(network: dict[str, Any]) -> None:
    with pytest.raises(ScreeningError, match="item 9"):
        record(network["nurse"], network["patient_a"], [0, 0, 0, 0, 0, 0, 0, 0, 4])


def test_item_9_raises_a_flag_and_urgent_tasks_for_physician_and_therapist(
    network: dict[str, Any],
) -> None:
    patient = network["patient_a"]  # therapist T1 is on the care team
    CareTeamMemberFactory(patient=patient, user=network["physician"], care_role=CareRole.PHYSICIAN)
    response = record(network["nurse"], patient, PHQ9_ITEM9_ONE)
    assert response.band == "minimal" and response.flags == ["suicidal_ideation"]
    flag = SafetyFlag.objects.get(patient=patient)
    tasks = Task.objects.filter(safety_flag=flag)
    assert {t.assignee for t in tasks} == {network["physician"], network["therapist"]}
    assert all(t.urgent for t in tasks)


def test_without_a_care_team_the_clinics_physicians_are_alerted(network: dict[str, Any]) -> None:
    patient = PatientFactory(clinic=network["montreal"])
    record(network["nurse"], patient, PHQ9_ITEM9_ONE)
    assert [t.assignee for t in Task.objects.filter(patient=patient)] == [network["physician"]]


def test_the_review_closes_the_flag_and_the_tasks(network: dict[str, Any]) -> None:
    record(network["nurse"], network["patient_a"], PHQ9_ITEM9_ONE)
    flag = SafetyFlag.objects.get()
    with pytest.raises(ScreeningError, match="review note is required"):
        review_safety_flag(by=network["therapist"], patient=flag.patient, flag_id=flag.pk, note=" ")
    with pytest.raises(NotPermitted):
        review_safety_flag(
            by=network["billing"], patient=flag.patient, flag_id=flag.pk, note="called"
        )
    review_safety_flag(
        by=network["therapist"],
        patient=flag.patient,
        flag_id=flag.pk,
        note="Called; safety plan in place.",
    )
    flag.refresh_from_db()
    assert flag.reviewed_by == network["therapist"]
    assert not Task.objects.filter(safety_flag=flag, done_at__isnull=True).exists()


def test_a_flag_of_another_patient_is_not_found_and_stays_open(
    network: dict[str, Any],
) -> None:
    """The flag id is looked up within the patient named in the URL, never by id alone."""
    record(network["nurse"], network["patient_b"], PHQ9_ITEM9_ONE)
    flag = SafetyFlag.objects.get()
    with pytest.raises(NotFound):
        review_safety_flag(
            by=network["physician"], patient=network["patient_a"], flag_id=flag.pk, note="x"
        )
    flag.refresh_from_db()
    assert flag.reviewed_at is None


def test_a_link_answers_the_assigned_questionnaires_once(network: dict[str, Any]) -> None:
    patient = network["patient_a"]
    assign_questionnaires(by=network["intake"], patient=patient, instruments=["PHQ-9", "GAD-7"])
    token = issue_access_link(by=network["intake"], patient=patient)
    answer_by_link(token=token, instrument="PHQ-9", answers=[1] * 9, language="fr")
    with pytest.raises(ScreeningError, match="not waiting for an answer"):
        answer_by_link(token=token, instrument="PHQ-9", answers=[1] * 9, language="fr")
    answer_by_link(token=token, instrument="GAD-7", answers=[0] * 7, language="fr")
    assert not Assignment.objects.filter(patient=patient, response__isnull=True).exists()
    with pytest.raises(ScreeningError, match="expired or was already used"):
        answer_by_link(token=token, instrument="GAD-7", answers=[0] * 7, language="fr")


def test_a_link_expires_after_the_configured_hours(network: dict[str, Any], settings: Any) -> None:
    settings.QUESTIONNAIRE_LINK_HOURS = 72
    patient = network["patient_a"]
    assign_questionnaires(by=network["intake"], patient=patient, instruments=["PHQ-9"])
    token = issue_access_link(by=network["intake"], patient=patient)
    from django.utils import timezone

    with (
        freeze_time(timezone.now() + timedelta(hours=72, minutes=1)),
        pytest.raises(ScreeningError),
    ):
        answer_by_link(token=token, instrument="PHQ-9", answers=[0] * 9, language="en")
