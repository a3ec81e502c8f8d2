"""Writes for scheduling: book, join a group, cancel, reschedule, no-shows, weekly hours.

Every booking is checked here first, so that a refusal names its reason (role, credential,
room kind, hours, medical cover, capacity, overlap); on PostgreSQL the exclusion constraints
of migration 0003 then guarantee no overlap even between concurrent requests, and their
violation becomes the same kind of refusal.
"""

from datetime import datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.access import child_of
from kapclinic.accounts.credentials import CredentialError, check_bookable
from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.clinics.models import Clinic
from kapclinic.errors import Conflict, DomainError
from kapclinic.patients.services import join_care_team_for_booking
from kapclinic.referrals.services import screening_booked
from kapclinic.scheduling import rules
from kapclinic.scheduling.errors import SchedulingCode
from kapclinic.scheduling.models import (
    Appointment,
    AppointmentKind,
    AppointmentType,
    Attendance,
    Availability,
    Status,
)


class BookingError(DomainError):
    code = SchedulingCode.REFUSED


def _refuse(reasons: list[str], code: SchedulingCode = SchedulingCode.REFUSED) -> None:
    if reasons:
        raise BookingError(" ".join(reasons), code=code, reasons=reasons)


def _overlap_refusal(error: IntegrityError) -> Conflict:
    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", "") or ""
    sentence = rules.OVERLAP_SENTENCES.get(name)
    if sentence is None:
        raise error
    return Conflict(str(sentence), code=SchedulingCode.OVERLAP)


# A booking aborted by a deadlock is tried again, at most this many times in all.
BOOKING_ATTEMPTS = 3
DEADLOCK = "40P01"  # PostgreSQL SQLSTATE deadlock_detected


@transaction.atomic
def book_appointment(
    *,
    by: User,
    type: AppointmentType,
    room: Any,
    clinician: User,
    starts_at: datetime,
    patients: list[Any],
    enrolment: Any = None,
    rescheduled_from: Appointment | None = None,
) -> Appointment:
    """Book one appointment for its patients, or refuse with every reason that applies."""
    period = (starts_at, starts_at + timedelta(minutes=type.duration_minutes))
    clinic = room.clinic
    reasons = rules.past_refusals(starts_at)
    reasons += rules.fit_refusals(type, clinic, room, clinician, period)
    reasons += rules.overlap_refusals(room, clinician, patients, period)
    reasons += rules.too_soon_refusals(type, clinic, patients, starts_at)
    reasons += rules.readiness_refusals(type, patients, enrolment)
    if len(patients) > type.capacity:
        reasons.append(_("This appointment takes at most %(n)d people.") % {"n": type.capacity})
    try:
        check_bookable(clinician, period[0].astimezone(clinic.tzinfo).date())
    except CredentialError as error:
        reasons.append(error.message)
    _refuse(reasons)
    for attempt in range(1, BOOKING_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    clinic=clinic,
                    type=type,
                    room=room,
                    clinician=clinician,
                    starts_at=period[0],
                    ends_at=period[1],
                    booked_by=by,
                    rescheduled_from=rescheduled_from,
                )
                for patient in patients:
                    _attend(appointment, patient, enrolment)
            break
        except IntegrityError as error:
            raise _overlap_refusal(error) from None
        except OperationalError as error:
            # Two bookings racing for overlapping periods can each wait on the other's row in
            # the exclusion constraints; PostgreSQL then aborts one (40P01): book it again.
            if (
                getattr(error.__cause__, "sqlstate", None) != DEADLOCK
                or attempt == BOOKING_ATTEMPTS
            ):
                raise
    for patient in patients:
        join_care_team_for_booking(by=by, patient=patient, clinician=clinician, booking=appointment)
        if type.kind == AppointmentKind.MEDICAL_SCREENING:
            screening_booked(by=by, patient=patient)
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=patients[0] if len(patients) == 1 else None,
        target=appointment,
        detail={"type": type.code, "starts_at": period[0].isoformat()},
    )
    return appointment


def _attend(appointment: Appointment, patient: Any, enrolment: Any) -> Attendance:
    return Attendance.objects.create(
        appointment=appointment,
        patient=patient,
        enrolment=enrolment,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
    )


@transaction.atomic
def join_group(*, by: User, appointment_id: int, patient: Any, enrolment: Any = None) -> Attendance:
    """Add a patient to a group appointment while it has room (the row lock serializes joins)."""
    # Only a group of the patient's own clinic: an appointment id from elsewhere is not found.
    appointment = child_of(
        patient.clinic,
        Appointment.objects.select_for_update().select_related("type"),
        appointment_id,
        missing=_("No such appointment."),
    )
    booked = appointment.attendances.filter(status=Status.BOOKED)
    reasons = rules.overlap_refusals(None, None, [patient], rules.period_of(appointment))
    if appointment.status != Status.BOOKED:
        reasons.append(_("This appointment is not open for booking."))
    if booked.count() >= appointment.type.capacity:
        reasons.append(_("This group is full (%(n)d places).") % {"n": appointment.type.capacity})
    if booked.filter(patient=patient).exists():
        reasons.append(_("This person is already in the group."))
    _refuse(reasons)
    try:
        with transaction.atomic():
            attendance = _attend(appointment, patient, enrolment)
    except IntegrityError as error:
        raise _overlap_refusal(error) from None
    join_care_team_for_booking(
        by=by, patient=patient, clinician=appointment.clinician, booking=attendance
    )
    record_event(actor=by, action=Action.CREATE, patient=patient, target=attendance)
    return attendance


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise BookingError(_("Give the reason."), code=SchedulingCode.REASON_MISSING)


@transaction.atomic
def cancel(*, by: User, appointment_id: int, reason: str) -> Appointment:
    """Cancel an appointment and every attendance in it; the rows stay, with the reason."""
    _require_reason(reason)
    appointment = Appointment.objects.select_for_update().get(pk=appointment_id)
    if appointment.status != Status.BOOKED:
        raise Conflict(_("Only a booked appointment can be cancelled."))
    appointment.status, appointment.reason = Status.CANCELLED, reason
    appointment.save(update_fields=["status", "reason"])
    for attendance in appointment.attendances.filter(status=Status.BOOKED).select_related(
        "patient"
    ):
        attendance.status, attendance.reason = Status.CANCELLED, reason
        attendance.updated_at = timezone.now()
        attendance.save(update_fields=["status", "reason", "updated_at"])
        record_event(
            actor=by,
            action=Action.UPDATE,
            patient=attendance.patient,
            target=attendance,
            reason=reason,
            detail={"status": Status.CANCELLED},
        )
    record_event(actor=by, action=Action.UPDATE, target=appointment, reason=reason)
    return appointment


@transaction.atomic
def reschedule(*, by: User, appointment_id: int, starts_at: datetime, reason: str) -> Appointment:
    """Cancel with the reason and book the same people, room and clinician at the new time."""
    old = Appointment.objects.select_related("type", "room__clinic", "clinician").get(
        pk=appointment_id
    )
    attendances = list(old.attendances.filter(status=Status.BOOKED).select_related("patient"))
    cancel(by=by, appointment_id=old.pk, reason=reason)
    return book_appointment(
        by=by,
        type=old.type,
        room=old.room,
        clinician=old.clinician,
        starts_at=starts_at,
        patients=[a.patient for a in attendances],
        enrolment=attendances[0].enrolment if attendances else None,
        rescheduled_from=old,
    )


@transaction.atomic
def record_attendance(*, by: User, attendance_id: int, status: str, reason: str = "") -> Attendance:
    """Mark a patient as attended or as a no-show, once the appointment has started."""
    attendance = (
        Attendance.objects.select_for_update().select_related("patient").get(pk=attendance_id)
    )
    if status not in {Status.ATTENDED, Status.NO_SHOW}:
        raise BookingError(_("Choose attended or did not attend."))
    if attendance.status != Status.BOOKED:
        raise Conflict(
            _("This attendance is already recorded as %(s)s.")
            % {"s": attendance.get_status_display()}
        )
    attendance.status, attendance.reason = status, reason
    attendance.updated_at = timezone.now()
    attendance.save(update_fields=["status", "reason", "updated_at"])
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=attendance.patient,
        target=attendance,
        reason=reason,
        detail={"status": status},
    )
    return attendance


@transaction.atomic
def add_availability(
    *, by: User, clinician: User, clinic: Clinic, weekday: int, starts: time, ends: time
) -> Availability:
    if ends <= starts:
        raise BookingError(_("The hours must end after they start."))
    availability = Availability.objects.create(
        clinician=clinician, clinic=clinic, weekday=weekday, starts=starts, ends=ends
    )
    record_event(actor=by, action=Action.CREATE, target=availability)
    return availability


@transaction.atomic
def end_availability(*, by: User, clinic: Any, availability_id: int) -> None:
    """Stop a block of weekly hours from now on; appointments already booked stay."""
    availability = Availability.objects.filter(
        pk=availability_id, clinic=clinic, ended_at__isnull=True
    ).first()
    if availability is None:
        return
    availability.ended_at = timezone.now()
    availability.save(update_fields=["ended_at"])
    record_event(actor=by, action=Action.UPDATE, target=availability, detail={"ended": True})
