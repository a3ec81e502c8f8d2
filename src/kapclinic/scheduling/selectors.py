"""Reads for scheduling: the clinic's week, a patient's appointments; patients shown are audited."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from kapclinic.access import child_of
from kapclinic.accounts.models import User
from kapclinic.accounts.roles import CLINICIAN_ROLES
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event, record_list_read, record_page_read
from kapclinic.patients.models import Patient
from kapclinic.scheduling.models import (
    LONGEST_APPOINTMENT_MINUTES,
    OCCUPYING,
    Appointment,
    AppointmentType,
    Attendance,
    Availability,
    Status,
)


@dataclass(frozen=True)
class Booking:
    """One booked appointment as the week shows it, its texts made once for both tables: times
    in the clinic's zone, type in the reader's language, room, clinician, and each patient's
    schedule link."""

    kind: str
    times: str
    type_name: str
    room: str
    clinician: str
    patients: tuple[tuple[str, str], ...]  # (schedule URL, name)


@dataclass
class Row:
    """One room or clinician: its bookings, one list per day of the week."""

    label: str
    days: list[list[Booking]] = field(default_factory=list)


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


def _schedule_url(patient_id: int) -> str:
    return reverse("scheduling:patient", kwargs={"patient_id": patient_id})


def week(*, by: User, clinic: Any, monday: date) -> Week:
    """Every booked appointment of the clinic's week, by room and by everyone who works there,
    in a fixed number of queries whatever the number of appointments. Read as plain rows (no
    model per appointment, attendance or patient): a clinic of 100 rooms books some 700 a week."""
    since, until = _week_bounds(clinic, monday)
    in_week = Appointment.objects.filter(
        clinic=clinic,
        status=Status.BOOKED,
        # Bounded below too (an appointment lasts at most a day), so the (clinic, starts_at)
        # index reads this week's rows, not every appointment before it.
        starts_at__gte=since - timedelta(minutes=LONGEST_APPOINTMENT_MINUTES),
        starts_at__lt=until,
        ends_at__gt=since,
    )
    appointments = list(
        in_week.order_by("starts_at", "id").values_list(
            "id",
            "starts_at",
            "ends_at",
            "type_id",
            "room_id",
            "room__name",
            "clinician_id",
            "clinician__full_name",
            "clinician__email",
        )
    )
    patients: dict[int, list[tuple[int, str]]] = {}
    booked = Attendance.objects.filter(
        appointment__in=in_week.values("id"), status__in=OCCUPYING
    ).order_by("starts_at", "id")
    for appointment_id, patient_id, preferred, given, family in booked.values_list(
        "appointment_id", "patient_id", "patient__preferred_name",
        "patient__legal_given_name", "patient__legal_family_name",
    ):  # fmt: skip
        patients.setdefault(appointment_id, []).append(
            (patient_id, Patient.name_of(preferred, given, family))
        )
    types = {
        t.pk: t for t in AppointmentType.objects.filter(pk__in={row[3] for row in appointments})
    }
    days = [monday + timedelta(days=n) for n in range(7)]
    rooms: dict[int, Row] = {r.pk: Row(r.name, [[] for _ in days]) for r in clinic.rooms.all()}
    working = Availability.objects.filter(clinic=clinic, ended_at__isnull=True)
    clinicians: dict[int, Row] = {
        user.pk: Row(str(user), [[] for _ in days])
        for user in User.objects.filter(pk__in=working.values("clinician"), is_active=True)
    }
    zone = clinic.tzinfo
    shown: list[int] = []
    for (appointment_id, starts_at, ends_at, type_id, room_id, room, clinician_id, full_name,
         email) in appointments:  # fmt: skip
        starts, ends = starts_at.astimezone(zone), ends_at.astimezone(zone)
        people = patients.get(appointment_id, [])
        shown += [patient_id for patient_id, _ in people]
        booking = Booking(
            kind=types[type_id].kind,
            times=f"{starts:%H:%M}\u2013{ends:%H:%M}",
            type_name=types[type_id].name(),
            room=room,
            clinician=User.label_of(full_name, email),
            patients=tuple((_schedule_url(patient_id), name) for patient_id, name in people),
        )
        day = max((starts.date() - monday).days, 0)  # begun the Sunday night before: Monday
        rooms.setdefault(room_id, Row(room, [[] for _ in days])).days[day].append(booking)
        row = clinicians.setdefault(clinician_id, Row(booking.clinician, [[] for _ in days]))
        row.days[day].append(booking)
    # One event for the page naming its patients, as the intake queue: one per patient grew
    # with the clinic (hundreds a view at 100k patients); the access report still finds the
    # patient in it (audit_review.selectors.events_about).
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
