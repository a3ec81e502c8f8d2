"""Who may see and change which appointments: staff of the appointment's clinic."""

from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import CLINICAL_ROLES, CLINICIAN_ROLES, Role
from kapclinic.accounts.selectors import clinics_of
from kapclinic.clinics.models import Clinic
from kapclinic.errors import NotFound
from kapclinic.scheduling.models import Appointment, Attendance

# Book and change a patient's appointments (a therapist only for their care team's patients).
SCHEDULE_ROLES = CLINICAL_ROLES | {Role.CLINIC_ADMIN}
# The clinic-wide week shows every patient booked: staff who see every patient of the clinic.
WEEK_ROLES = frozenset({Role.INTAKE, Role.PHYSICIAN, Role.NURSE, Role.CLINIC_ADMIN})
# Clinicians who have a calendar of their own appointments.
CALENDAR_ROLES = CLINICIAN_ROLES


def access_clinic(*, by: User, clinic_id: int) -> Clinic:
    clinic = clinics_of(by).filter(pk=clinic_id).first()
    if clinic is None:
        raise NotFound(_("No such clinic."))
    return clinic


def access_appointment(*, by: User, appointment_id: int) -> Appointment:
    """An appointment of one of `by`'s clinics whose patients `by` may all see."""
    from kapclinic.patients.access import visible_patients

    appointment = (
        Appointment.objects.filter(pk=appointment_id, clinic__in=clinics_of(by))
        .select_related("type", "room__clinic", "clinician")
        .first()
    )
    if appointment is None:
        raise NotFound(_("No such appointment."))
    patients = appointment.attendances.values("patient")
    if patients.exclude(patient__in=visible_patients(by)).exists():
        raise NotFound(_("No such appointment."))
    return appointment


def access_attendance(*, by: User, attendance_id: int) -> Attendance:
    from kapclinic.patients.access import visible_patients

    attendance = (
        Attendance.objects.filter(pk=attendance_id, patient__in=visible_patients(by))
        .select_related("patient", "appointment__type")
        .first()
    )
    if attendance is None:
        raise NotFound(_("No such appointment."))
    return attendance
