"""Reads for scheduling: the clinic's week, a patient's appointments; patients shown are audited."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from kapclinic.access import child_of
from kapclinic.accounts.models import User
from kapclinic.accounts.roles import CLINICIAN_ROLES
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event, record_list_read, record_page_read
from kapclinic.scheduling.models import (
    LONGEST_APPOINTMENT_MINUTES,
    OCCUPYING,
    Appointment,
    Attendance,
    Availability,
    Status,
)


@dataclass
class Row:
    """One room or clinician: its appointments, one list per day of the week."""

    label: str
    days: list[list[Appointment]] = field(default_factory=list)


@dataclass
class Week:
    clinic: Any
    monday: date
    days: list[date]
    rooms: list[Row]
    clinicians: list[Row]
    count: int


def _week_bounds(clinic: Any, monday: date) -> tuple[datetime, datetime]:
    start = datetime.combine(monday, time(0), clinic.tzinfo)
    return start, datetime.combine(monday + timedelta(days=7), time(0), clinic.tzinfo)


def week(*, by: User, clinic: Any, monday: date) -> Week:
    """Every booked appointment of the clinic's week, by room and by everyone who works there,
    in a fixed number of queries whatever the number of appointments."""
    since, until = _week_bounds(clinic, monday)
    booked = Attendance.objects.filter(status__in=OCCUPYING).select_related("patient")
    appointments = list(
        Appointment.objects.filter(
            clinic=clinic,
            status=Status.BOOKED,
            # Bounded below too (an appointment lasts at most a day), so the (clinic, starts_at)
            # index reads this week's rows, not every appointment before it.
            starts_at__gte=since - timedelta(minutes=LONGEST_APPOINTMENT_MINUTES),
            starts_at__lt=until,
            ends_at__gt=since,
        )
        .select_related("type", "room", "clinician")
        .prefetch_related(Prefetch("attendances", queryset=booked, to_attr="booked"))
    )
    days = [monday + timedelta(days=n) for n in range(7)]
    rooms: dict[Any, Row] = {r: Row(r.name, [[] for _ in days]) for r in clinic.rooms.all()}
    working = Availability.objects.filter(clinic=clinic, ended_at__isnull=True)
    clinicians: dict[Any, Row] = {
        user: Row(str(user), [[] for _ in days])
        for user in User.objects.filter(pk__in=working.values("clinician"), is_active=True)
    }
    for appointment in appointments:
        day = (appointment.starts_at.astimezone(clinic.tzinfo).date() - monday).days
        rooms.setdefault(appointment.room, Row(appointment.room.name, [[] for _ in days]))
        rooms[appointment.room].days[day].append(appointment)
        row = clinicians.setdefault(
            appointment.clinician, Row(str(appointment.clinician), [[] for _ in days])
        )
        row.days[day].append(appointment)
    shown = [a.patient_id for appointment in appointments for a in appointment.booked]
    # One event for the page naming its patients, as the intake queue: one per patient grew
    # with the clinic (hundreds a view at 100k patients); the access report still finds the
    # patient in it (audit_review.selectors.about_patient).
    record_list_read(actor=by, action=Action.READ, name="week", patient_ids=shown, view="week")
    return Week(
        clinic,
        monday,
        days,
        list(rooms.values()),
        sorted(clinicians.values(), key=lambda row: row.label),
        len(appointments),
    )


def clinicians_at(clinic: Any) -> QuerySet[User]:
    """The clinic's active clinicians, by name (who may lead an appointment or keep hours)."""
    clinicians = User.objects.filter(clinics=clinic, is_active=True, role__in=CLINICIAN_ROLES)
    return clinicians.order_by("full_name")


def patient_attendances(patient: Any) -> QuerySet[Attendance]:
    """The patient's appointments, booked or not (unaudited: pages use patient_schedule)."""
    return (
        Attendance.objects.filter(patient=patient)
        .select_related("appointment__type", "appointment__room", "appointment__clinician")
        .order_by("starts_at", "id")
    )


def upcoming_for(patient: Any, now: datetime) -> QuerySet[Attendance]:
    return patient_attendances(patient).filter(status=Status.BOOKED, ends_at__gte=now)


def open_groups(clinic: Any, now: datetime) -> list[Appointment]:
    """Upcoming group appointments of the clinic that still have places."""
    groups = (
        Appointment.objects.filter(
            clinic=clinic, status=Status.BOOKED, type__capacity__gt=1, starts_at__gt=now
        )
        .select_related("type", "room", "clinician")
        .annotate(taken=Count("attendances", filter=Q(attendances__status=Status.BOOKED)))
        .order_by("starts_at", "id")
    )
    return [group for group in groups if group.taken < group.type.capacity]


def patient_schedule(*, by: User, patient: Any) -> list[Attendance]:
    """The patient's appointments for their schedule page, audited as a read of the patient."""
    attendances = list(patient_attendances(patient))
    record_page_read(actor=by, patient=patient, page="schedule")
    return attendances


def exported_attendance(*, by: User, patient: Any, attendance_id: int, now: datetime) -> Attendance:
    """One of the patient's upcoming appointments, taken away as a calendar file (audited as
    an export). NotFound when it is not one of theirs or not upcoming."""
    attendance = child_of(patient, upcoming_for(patient, now), attendance_id)
    record_event(actor=by, action=Action.EXPORT, patient=patient, target=attendance)
    return attendance
