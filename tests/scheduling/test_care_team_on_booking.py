"""A clinician booked onto a patient's appointment joins the care team and opens the chart."""

from datetime import timedelta
from typing import Any

from django.urls import reverse

from kapclinic.audit.models import AuditEvent
from kapclinic.patients.models import CareRole, CareTeamMember
from kapclinic.scheduling.services import reschedule
from tests.scheduling.conftest import ready_patient
from tests.scheduling.test_booking import at, book


def test_a_therapist_booked_onto_an_appointment_can_open_the_chart(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    patient = ready_patient(clinic=clinic["montreal"])
    chart = reverse("patients:chart", kwargs={"patient_id": patient.pk})
    therapist = login(client, clinic["therapist_2"])
    assert therapist.get(chart).status_code == 404

    appointment = book(clinic, clinician=clinic["therapist_2"], patients=[patient])

    assert therapist.get(chart).status_code == 200
    member = CareTeamMember.objects.get(patient=patient, user=clinic["therapist_2"])
    assert (member.care_role, member.ended_at) == (CareRole.THERAPIST, None)
    event = AuditEvent.objects.get(object_type="patients.careteammember", object_id=str(member.pk))
    assert event.actor == clinic["intake"]
    assert event.detail["booking"] == appointment.pk


def test_a_rebooking_does_not_add_the_clinician_twice(clinic: dict[str, Any]) -> None:
    patient = ready_patient(clinic=clinic["montreal"])
    first = book(clinic, clinician=clinic["therapist_2"], patients=[patient])
    reschedule(
        by=clinic["intake"],
        appointment_id=first.pk,
        starts_at=at(clinic, clinic["monday"] + timedelta(days=1), 10),
        reason="Moved",
    )
    assert CareTeamMember.objects.filter(patient=patient, user=clinic["therapist_2"]).count() == 1
