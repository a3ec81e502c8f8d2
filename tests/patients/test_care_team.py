"""The care-team page: members with role and since-when; managers add and end memberships."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kapclinic.audit.models import AuditEvent
from kapclinic.errors import DomainError
from kapclinic.patients.models import CareRole, CareTeamMember
from kapclinic.patients.services import add_care_team_member
from tests.factories import CareTeamMemberFactory, UserFactory


def page(network: dict[str, Any]) -> str:
    return reverse("patients:care_team", kwargs={"patient_id": network["patient_a"].pk})


def test_the_page_lists_members_with_role_and_since_in_flat_queries(
    network: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    login(client, network["physician"])
    with django_assert_num_queries(6):
        client.get(page(network))
    # More members, ended ones included, cost no more queries.
    CareTeamMemberFactory(patient=network["patient_a"], user=network["nurse"], care_role="nurse")
    CareTeamMemberFactory(
        patient=network["patient_a"], user=network["therapist_2"], ended_at=timezone.now()
    )
    with django_assert_num_queries(6):
        response = client.get(page(network))
    body = response.content.decode()
    assert response.status_code == 200
    assert str(network["therapist"]) in body and "Therapist" in body
    assert "Referring professional" in body and "Add a clinician" in body


def test_a_physician_adds_a_clinician_of_the_clinic_with_a_reason(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    nurse = network["nurse"]
    response = login(client, network["physician"]).post(
        reverse("patients:care_team_add", kwargs={"patient_id": network["patient_a"].pk}),
        {"member": nurse.pk, "reason": "Monitors the sessions"},
        follow=True,
    )
    assert "Added to the care team." in response.content.decode()
    member = CareTeamMember.objects.get(patient=network["patient_a"], user=nurse)
    assert member.care_role == CareRole.NURSE
    event = AuditEvent.objects.get(object_type="patients.careteammember", object_id=str(member.pk))
    assert (event.actor, event.reason) == (network["physician"], "Monitors the sessions")


def test_a_clinician_of_another_clinic_is_refused(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    outsider = UserFactory(role="therapist", clinics=[network["vancouver"]])
    response = login(client, network["intake"]).post(
        reverse("patients:care_team_add", kwargs={"patient_id": network["patient_a"].pk}),
        {"member": outsider.pk, "reason": "Please"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "Please" in response.content.decode()  # nothing typed is lost
    assert not CareTeamMember.objects.filter(user=outsider).exists()
    # The service refuses on its own too.
    with pytest.raises(DomainError, match="clinician of this patient's clinic"):
        add_care_team_member(
            by=network["intake"],
            patient_id=network["patient_a"].pk,
            user_id=outsider.pk,
            reason="Please",
        )


def test_ending_a_membership_keeps_the_row_and_takes_the_chart_away(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    member = CareTeamMember.objects.get(patient=network["patient_a"], user=network["therapist"])
    end = reverse(
        "patients:care_team_end",
        kwargs={"patient_id": network["patient_a"].pk, "member_id": member.pk},
    )
    admin = login(client, network["clinic_admin"])
    refused = admin.post(end, {"reason": " "}, follow=True)
    assert "Give the reason" in refused.content.decode()
    response = admin.post(end, {"reason": "Left the clinic"}, follow=True)
    assert "The care team membership was ended." in response.content.decode()
    member.refresh_from_db()
    assert member.ended_at is not None
    event = AuditEvent.objects.filter(object_type="patients.careteammember").latest("pk")
    assert (event.reason, event.detail["ended"]) == ("Left the clinic", True)
    chart = reverse("patients:chart", kwargs={"patient_id": network["patient_a"].pk})
    assert login(client, network["therapist"]).get(chart).status_code == 404


def test_a_therapist_reads_the_team_but_may_not_change_it(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    therapist = login(client, network["therapist"])
    response = therapist.get(page(network))
    assert response.status_code == 200 and "Add a clinician" not in response.content.decode()
    add = reverse("patients:care_team_add", kwargs={"patient_id": network["patient_a"].pk})
    assert therapist.post(add, {"member": network["nurse"].pk, "reason": "x"}).status_code == 403
