"""Integration groups: who joins, capacity, attendance, who organises."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kapclinic.audit.models import AuditEvent
from kapclinic.errors import NotPermitted
from kapclinic.groups import services
from kapclinic.groups.models import Attendance, GroupSession, Membership
from tests.factories import PatientFactory
from tests.groups.conftest import finished_patients

pytestmark = pytest.mark.django_db


def test_a_patient_who_finished_a_program_joins(network: dict[str, Any], group: Any) -> None:
    (patient,) = finished_patients(network["montreal"], network["physician"], 1)
    membership = services.join_group(by=network["intake"], group_id=group.pk, patient=patient)
    assert membership.enrolment.stage == "reconnect"
    assert AuditEvent.objects.filter(patient=patient, object_type="groups.membership").exists()


def test_a_patient_still_in_a_program_does_not_join(network: dict[str, Any], group: Any) -> None:
    patient = PatientFactory(clinic=network["montreal"])
    with pytest.raises(services.GroupError, match="finished a program"):
        services.join_group(by=network["intake"], group_id=group.pk, patient=patient)


def test_a_full_group_refuses_with_its_capacity(network: dict[str, Any], group: Any) -> None:
    first, second, third = finished_patients(network["montreal"], network["physician"], 3)
    services.join_group(by=network["intake"], group_id=group.pk, patient=first)
    services.join_group(by=network["intake"], group_id=group.pk, patient=second)
    with pytest.raises(services.GroupFull, match="The group is full: 2 places"):
        services.join_group(by=network["intake"], group_id=group.pk, patient=third)
    assert Membership.objects.filter(group=group).count() == 2


def test_a_place_freed_by_leaving_is_taken_again(network: dict[str, Any], group: Any) -> None:
    first, second, third = finished_patients(network["montreal"], network["physician"], 3)
    leaving = services.join_group(by=network["intake"], group_id=group.pk, patient=first)
    services.join_group(by=network["intake"], group_id=group.pk, patient=second)
    services.leave_group(by=network["intake"], membership=leaving)
    services.join_group(by=network["intake"], group_id=group.pk, patient=third)
    assert Membership.objects.filter(group=group, left_at__isnull=True).count() == 2
    assert Membership.objects.filter(group=group).count() == 3  # the one who left is kept


def test_joining_twice_is_refused(network: dict[str, Any], group: Any) -> None:
    (patient,) = finished_patients(network["montreal"], network["physician"], 1)
    services.join_group(by=network["intake"], group_id=group.pk, patient=patient)
    with pytest.raises(services.GroupError, match="already in this group"):
        services.join_group(by=network["intake"], group_id=group.pk, patient=patient)


def test_another_clinics_patient_does_not_join(network: dict[str, Any], group: Any) -> None:
    (patient,) = finished_patients(network["vancouver"], network["physician"], 1)
    with pytest.raises(services.GroupError, match="not open to this patient"):
        services.join_group(by=network["intake"], group_id=group.pk, patient=patient)


def test_the_facilitator_is_a_therapist_of_the_clinic(network: dict[str, Any]) -> None:
    new = services.NewGroup(
        clinic=network["montreal"], name="X", facilitator=network["nurse"], capacity=8
    )
    with pytest.raises(services.GroupError, match="therapist"):
        services.open_group(by=network["physician"], group=new)
    with pytest.raises(NotPermitted):
        services.open_group(by=network["intake"], group=new)


def test_attendance_is_recorded_and_amended(network: dict[str, Any], group: Any) -> None:
    (patient,) = finished_patients(network["montreal"], network["physician"], 1)
    membership = services.join_group(by=network["intake"], group_id=group.pk, patient=patient)
    session = GroupSession.objects.create(
        group=group,
        starts_at=timezone.now() - timedelta(hours=1),
        scheduled_by=network["therapist"],
    )
    services.record_attendance(
        by=network["therapist"], session=session, membership=membership, present=False
    )
    services.record_attendance(
        by=network["therapist"], session=session, membership=membership, present=True
    )
    assert Attendance.objects.get(session=session).present is True
    last = AuditEvent.objects.filter(object_type="groups.attendance").last()
    assert last.detail == {"present": True, "before": False}


def test_attendance_waits_for_the_session(network: dict[str, Any], group: Any) -> None:
    (patient,) = finished_patients(network["montreal"], network["physician"], 1)
    membership = services.join_group(by=network["intake"], group_id=group.pk, patient=patient)
    later = services.schedule_session(
        by=network["therapist"],
        group=group,
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=90,
    )
    with pytest.raises(services.GroupError, match="once the session has started"):
        services.record_attendance(
            by=network["therapist"], session=later, membership=membership, present=True
        )


def test_a_session_is_scheduled_in_the_future(network: dict[str, Any], group: Any) -> None:
    with pytest.raises(services.GroupError, match="in the future"):
        services.schedule_session(
            by=network["therapist"],
            group=group,
            starts_at=timezone.now() - timedelta(days=1),
            duration_minutes=90,
        )
