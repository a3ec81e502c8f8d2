"""Appointment <- scheduling.Attendance: one patient's place in an appointment (a group
session is one Appointment per patient, each naming the same clinician and room)."""

from typing import Any

from django.db.models import QuerySet

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import CLINICAL_ROLES
from kapclinic.fhir.resources.base import (
    LAST_CHANGE,
    Reader,
    ResourceType,
    Source,
    column,
    instant,
    last_change,
    newest,
    patient_ref,
    ref,
    require_role,
)
from kapclinic.patients.access import visible_patients
from kapclinic.scheduling.access import SCHEDULE_ROLES
from kapclinic.scheduling.models import Appointment, Attendance, Status

# Attendance status -> Appointment.status (http://hl7.org/fhir/R4/valueset-appointmentstatus.html)
APPOINTMENT_STATUS = {
    Status.BOOKED: "booked",
    Status.CANCELLED: "cancelled",
    Status.NO_SHOW: "noshow",
    Status.ATTENDED: "fulfilled",
}
# Participation status of the patient (http://hl7.org/fhir/R4/valueset-participationstatus.html)
PARTICIPATION = {
    Status.BOOKED: "accepted",
    Status.CANCELLED: "declined",
    Status.NO_SHOW: "declined",
    Status.ATTENDED: "accepted",
}


def attendance_rows(user: User) -> QuerySet[Attendance]:
    require_role(user, SCHEDULE_ROLES)
    return Attendance.objects.filter(patient__in=visible_patients(user))


def appointment(attendance: Attendance, reader: Reader) -> dict[str, Any]:
    booking = attendance.appointment
    status = Status(attendance.status)
    clinical = reader.user.role in CLINICAL_ROLES
    return {
        "resourceType": "Appointment",
        "status": APPOINTMENT_STATUS[status],
        "serviceType": [{"text": booking.type.name("en")}],
        "appointmentType": {"text": booking.type.kind},
        "description": attendance.reason if clinical else None,
        "start": instant(attendance.starts_at),
        "end": instant(attendance.ends_at),
        "created": instant(booking.booked_at),
        "participant": [
            {"actor": patient_ref(attendance.patient), "status": PARTICIPATION[status]},
            {"actor": ref("Practitioner", booking.clinician_id), "status": "accepted"},
            {"actor": ref("Location", booking.room_id), "status": "accepted"},
        ],
    }


APPOINTMENT = ResourceType(
    "Appointment",
    (
        Source(
            attendance_rows,
            appointment,
            patient="patient",
            date="starts_at",
            # Booked, then perhaps rescheduled (the new booking) or its status changed
            # (attended, no-show, cancelled: the attendance's updated_at).
            updated=LAST_CHANGE,
            annotations=last_change(
                "appointment__booked_at",
                newest(
                    lambda: Appointment.objects.all(),
                    "booked_at",
                    "rescheduled_from",
                    outer="appointment_id",
                ),
                column("updated_at"),
            ),
            status_field="status",
            statuses={code: (stored.value,) for stored, code in APPOINTMENT_STATUS.items()},
            related=("appointment__type",),
        ),
    ),
)
