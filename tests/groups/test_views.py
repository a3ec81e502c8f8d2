"""The group screens and the Reconnect page: what people see, refusals, query counts."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kapclinic.groups import services
from kapclinic.groups.models import GroupSession, Membership
from tests.factories import seeded_programs
from tests.groups.conftest import at_reconnect, finished_patients

pytestmark = pytest.mark.django_db


def test_a_coordinator_enrols_a_patient_from_the_reconnect_page(
    client: Any, login: Any, network: dict[str, Any], group: Any
) -> None:
    patient = network["patient_a"]
    at_reconnect(patient, network["physician"])
    login(client, network["intake"])
    url = reverse("groups:reconnect", kwargs={"patient_id": patient.pk})
    page = client.get(url).content.decode()
    assert "Thursday circle" in page and "0 of 2 taken" in page
    client.post(reverse("groups:join", kwargs={"patient_id": patient.pk}), {"group": group.pk})
    assert Membership.objects.filter(group=group, patient=patient).exists()


def test_a_full_group_is_refused_with_a_message(
    client: Any, login: Any, network: dict[str, Any], group: Any
) -> None:
    for other in finished_patients(network["montreal"], network["physician"], 2):
        services.join_group(by=network["intake"], group_id=group.pk, patient=other)
    patient = network["patient_a"]
    at_reconnect(patient, network["physician"])
    login(client, network["intake"])
    response = client.post(
        reverse("groups:join", kwargs={"patient_id": patient.pk}), {"group": group.pk}, follow=True
    )
    assert "The group is full: 2 places, all taken." in response.content.decode()


def test_further_treatment_without_a_new_screening_is_explained(
    client: Any, login: Any, network: dict[str, Any]
) -> None:
    patient = network["patient_a"]
    at_reconnect(patient, network["physician"])
    login(client, network["physician"])
    program = seeded_programs()["standard"]
    response = client.post(
        reverse("groups:further", kwargs={"patient_id": patient.pk}),
        {"program": program.pk},
        follow=True,
    )
    assert "Further treatment needs its own screening" in response.content.decode()


def test_query_counts(
    client: Any, login: Any, network: dict[str, Any], group: Any, django_assert_num_queries: Any
) -> None:
    members = finished_patients(network["montreal"], network["physician"], 2)
    for patient in members:
        services.join_group(by=network["intake"], group_id=group.pk, patient=patient)
    for days in (3, 2, 1):
        GroupSession.objects.create(
            group=group,
            starts_at=timezone.now() - timedelta(days=days),
            scheduled_by=network["therapist"],
        )
    login(client, network["physician"])
    with django_assert_num_queries(5):
        assert client.get(reverse("groups:index")).status_code == 200
    with django_assert_num_queries(7):
        url = reverse("groups:detail", kwargs={"group_id": group.pk})
        assert client.get(url).status_code == 200
    with django_assert_num_queries(9):
        url = reverse("groups:reconnect", kwargs={"patient_id": members[0].pk})
        assert client.get(url).status_code == 200


def test_a_therapist_sees_only_the_groups_they_facilitate(
    client: Any, login: Any, network: dict[str, Any], group: Any
) -> None:
    login(client, network["therapist_2"])
    assert "Thursday circle" not in client.get(reverse("groups:index")).content.decode()
    url = reverse("groups:detail", kwargs={"group_id": group.pk})
    assert client.get(url).status_code == 404
    login(client, network["therapist"])
    assert client.get(url).status_code == 200


def test_one_place_left_reads_in_the_singular_in_french(
    client: Any, login: Any, network: dict[str, Any], group: Any
) -> None:
    (member,) = finished_patients(network["montreal"], network["physician"], 1)
    services.join_group(by=network["intake"], group_id=group.pk, patient=member)
    therapist = network["therapist"]
    therapist.language = "fr"
    therapist.save(update_fields=["language"])
    login(client, therapist)
    page = client.get(reverse("groups:detail", kwargs={"group_id": group.pk})).content.decode()
    assert "1 place libre sur 2." in page


def test_a_physician_opens_a_group_and_a_nameless_one_is_refused(
    client: Any, login: Any, network: dict[str, Any]
) -> None:
    from kapclinic.groups.models import IntegrationGroup as Group

    fields = {
        "clinic": network["montreal"].pk,
        "name": "Monday circle",
        "facilitator": network["therapist"].pk,
        "capacity": 8,
    }
    login(client, network["physician"])
    refused = client.post(reverse("groups:index"), {**fields, "name": ""})
    assert refused.status_code == 200 and "This field is required." in refused.text
    assert not Group.objects.exists()
    page = client.post(reverse("groups:index"), fields, follow=True)
    assert "Group opened." in page.text and "Monday circle" in page.text
    assert Group.objects.get().facilitator == network["therapist"]


def test_a_session_is_scheduled_in_the_future_only(
    client: Any, login: Any, network: dict[str, Any], group: Any
) -> None:
    url = reverse("groups:schedule", kwargs={"group_id": group.pk})
    login(client, network["therapist"])
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(url, {"starts_at": past, "duration_minutes": 90}, follow=True)
    assert "A group session is scheduled in the future." in refused.text
    assert not GroupSession.objects.exists()
    missing = client.post(url, {"duration_minutes": 90}, follow=True)
    assert "Give the start time and the duration." in missing.text
    soon = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(url, {"starts_at": soon, "duration_minutes": 90}, follow=True)
    assert "Session scheduled." in page.text
    assert GroupSession.objects.filter(group=group).count() == 1


def test_attendance_is_recorded_and_a_member_leaves(
    client: Any, login: Any, network: dict[str, Any], group: Any
) -> None:
    (member,) = finished_patients(network["montreal"], network["physician"], 1)
    membership = services.join_group(by=network["intake"], group_id=group.pk, patient=member)
    started = GroupSession.objects.create(
        group=group,
        starts_at=timezone.now() - timedelta(hours=1),
        scheduled_by=network["therapist"],
    )
    later = GroupSession.objects.create(
        group=group, starts_at=timezone.now() + timedelta(days=7), scheduled_by=network["therapist"]
    )
    login(client, network["therapist"])
    attendance = reverse("groups:attendance", kwargs={"group_id": group.pk})
    refused = client.post(
        attendance,
        {"session": later.pk, "membership": membership.pk, "present": "yes"},
        follow=True,
    )
    assert "Attendance is recorded once the session has started." in refused.text
    client.post(attendance, {"session": started.pk, "membership": membership.pk, "present": "yes"})
    assert started.attendances.get().present
    assert client.post(attendance, {"session": 0, "membership": membership.pk}).status_code == 404
    leave = reverse("groups:leave", kwargs={"group_id": group.pk})
    client.post(leave, {"membership": membership.pk})
    membership.refresh_from_db()
    assert membership.left_at is not None
    again = client.post(leave, {"membership": membership.pk}, follow=True)
    assert "The patient already left this group." in again.text
