"""A PHQ-9 item 9 answer reaches a physician whatever the care team looks like: the team, the
clinician who assigned the questionnaire, and the clinic's physicians and medical directors when
no physician is on the team. Each of them sees the urgent task on "My tasks"."""

from typing import Any

from django.urls import reverse

from kapclinic.accounts.roles import Role
from kapclinic.patients.models import CareRole
from kapclinic.screening.models import Source, Task
from kapclinic.screening.services import answer_as_patient, assign_questionnaires, record_response
from tests.factories import CareTeamMemberFactory, UserFactory

PHQ9_ITEM9_ONE = [0, 0, 0, 0, 0, 0, 0, 0, 1]
TITLE = "Urgent: review suicidal ideation reported on PHQ-9"


def alerted(patient: Any) -> set[Any]:
    return {task.assignee for task in Task.objects.filter(patient=patient, urgent=True)}


def answer_in_portal(network: dict[str, Any]) -> None:
    answer_as_patient(
        user=network["patient_user"], instrument="PHQ-9", answers=PHQ9_ITEM9_ONE, language="en"
    )


def test_the_physician_who_assigned_it_is_alerted_when_the_team_is_a_therapist(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    """The demo case: the portal patient's team is only their therapist."""
    patient = network["patient_a"]
    assign_questionnaires(by=network["physician"], patient=patient, instruments=["PHQ-9"])
    answer_in_portal(network)
    assert alerted(patient) == {network["therapist"], network["physician"]}
    for person in (network["therapist"], network["physician"]):
        page = login(client, person).get(reverse("screening:tasks"))
        assert TITLE in page.content.decode(), person


def test_whoever_assigned_it_is_alerted_beside_a_complete_team(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    patient = network["patient_a"]
    CareTeamMemberFactory(patient=patient, user=network["physician"], care_role=CareRole.PHYSICIAN)
    assign_questionnaires(by=network["nurse"], patient=patient, instruments=["PHQ-9"])
    answer_in_portal(network)
    assert alerted(patient) == {network["physician"], network["therapist"], network["nurse"]}
    page = login(client, network["nurse"]).get(reverse("screening:tasks"))
    assert TITLE in page.content.decode()


def test_without_a_physician_on_the_team_the_clinics_physicians_and_directors_are_alerted(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    """The therapist assigned it: the clinic's physicians and the medical directors (of the
    clinic or the whole network) hear of it; a physician of another clinic does not."""
    patient = network["patient_a"]
    second = UserFactory(role=Role.PHYSICIAN, clinics=[network["montreal"]])
    director = UserFactory(role=Role.PHYSICIAN, is_medical_director=True, network_wide=True)
    elsewhere = UserFactory(role=Role.PHYSICIAN, clinics=[network["vancouver"]])
    UserFactory(role=Role.PHYSICIAN, clinics=[network["montreal"]], is_active=False)
    assign_questionnaires(by=network["therapist"], patient=patient, instruments=["PHQ-9"])
    answer_in_portal(network)
    assert alerted(patient) == {network["therapist"], network["physician"], second, director}
    assert elsewhere not in alerted(patient)
    assert Task.objects.filter(patient=patient).count() == 4  # one task each, no duplicate
    for person in (network["physician"], second, director):
        page = login(client, person).get(reverse("screening:tasks"))
        assert TITLE in page.content.decode(), person


def test_a_physician_on_the_team_spares_the_rest_of_the_clinic(network: dict[str, Any]) -> None:
    patient = network["patient_a"]
    CareTeamMemberFactory(patient=patient, user=network["physician"], care_role=CareRole.PHYSICIAN)
    UserFactory(role=Role.PHYSICIAN, clinics=[network["montreal"]])
    record_response(
        by=network["nurse"],
        patient=patient,
        instrument="PHQ-9",
        answers=PHQ9_ITEM9_ONE,
        source=Source.STAFF,
        language="en",
    )
    assert alerted(patient) == {network["physician"], network["therapist"]}


def test_an_earlier_answered_assignment_does_not_alert_its_assigner(
    network: dict[str, Any],
) -> None:
    """Only the assignment this response completes names who is waiting for it."""
    patient = network["patient_a"]
    CareTeamMemberFactory(patient=patient, user=network["physician"], care_role=CareRole.PHYSICIAN)
    assign_questionnaires(by=network["nurse"], patient=patient, instruments=["PHQ-9"])
    answer_as_patient(
        user=network["patient_user"], instrument="PHQ-9", answers=[0] * 9, language="en"
    )
    assign_questionnaires(by=network["physician"], patient=patient, instruments=["PHQ-9"])
    answer_in_portal(network)
    assert alerted(patient) == {network["physician"], network["therapist"]}
