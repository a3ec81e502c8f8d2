"""The checks a booking must pass, each refusal a sentence that names what is wrong.

Used by services before writing (clear messages) and by the planner's loader; the
database constraints behind them are in migrations/0003 (PostgreSQL).
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kapclinic.accounts.models import User
from kapclinic.accounts.selectors import clinics_of
from kapclinic.care.services import dosing_booking_refusals
from kapclinic.said import said
from kapclinic.scheduling.models import (
    OCCUPYING,
    Appointment,
    AppointmentKind,
    AppointmentType,
    Attendance,
    Availability,
)
from kapclinic.scheduling.planning import MEDICAL_ROLES, Interval, covers

# The PostgreSQL exclusion constraints (migration 0003) and what their violation means.
OVERLAP_SENTENCES = {
    "appointment_room_no_overlap": gettext_lazy("The room is already booked at that time."),
    "appointment_clinician_no_overlap": gettext_lazy(
        "The clinician is already booked at that time."
    ),
    "attendance_patient_no_overlap": gettext_lazy("The patient is already booked at that time."),
}


def period_of(appointment: Appointment) -> Interval:
    return (appointment.starts_at, appointment.ends_at)


def weekly_hours(clinician: User, clinic: Any) -> list[tuple[int, Any, Any]]:
    rows = Availability.objects.filter(clinician=clinician, clinic=clinic, ended_at__isnull=True)
    return list(rows.values_list("weekday", "starts", "ends"))


def _medical_cover(clinic: Any, lead: User, period: Interval) -> bool:
    from kapclinic.accounts.credentials import missing_on

    day = period[0].astimezone(clinic.tzinfo).date()
    rows = (
        Availability.objects.filter(
            clinic=clinic,
            ended_at__isnull=True,
            clinician__role__in=MEDICAL_ROLES,
            clinician__is_active=True,
        )
        .exclude(clinician=lead)
        .select_related("clinician")
        .prefetch_related("clinician__credentials")
    )
    return any(
        covers([(row.weekday, row.starts, row.ends)], clinic.tzinfo, period)
        and not missing_on(row.clinician, day)
        for row in rows
    )


def fit_refusals(
    type: AppointmentType, clinic: Any, room: Any, clinician: User, period: Interval
) -> list[str]:
    """Why this clinician, room and time do not suit this kind of appointment (empty: they do)."""
    reasons: list[str] = []
    if clinician.role != type.lead_role or not clinician.is_active:
        reasons.append(
            _("%(type)s is led by a %(role)s.")
            % {"type": type.name(), "role": type.get_lead_role_display().lower()}
        )
    if not clinics_of(clinician).filter(pk=clinic.pk).exists():
        reasons.append(
            _("%(name)s does not work at %(clinic)s.") % {"name": clinician, "clinic": clinic}
        )
    if type.needs_dosing_room and not room.dosing_capable:
        reasons.append(_("%(room)s is not equipped for ketamine sessions.") % {"room": room.name})
    if not covers(weekly_hours(clinician, clinic), clinic.tzinfo, period):
        reasons.append(_("%(name)s is not working at that time.") % {"name": clinician})
    if type.needs_medical_on_site and not _medical_cover(clinic, clinician, period):
        reasons.append(_("No physician or nurse is on site for the whole session."))
    return reasons


def dosing_interval() -> timedelta:
    """The least time between two ketamine sessions of one patient (medical director's)."""
    return timedelta(hours=settings.DOSING_MIN_INTERVAL_HOURS)


def too_soon_refusals(
    type: AppointmentType, clinic: Any, patients: list[Any], start: Any
) -> list[str]:
    """A ketamine session within DOSING_MIN_INTERVAL_HOURS of another of the same patient's."""
    if type.kind != AppointmentKind.DOSING:
        return []
    gap = dosing_interval()
    near = Attendance.objects.filter(
        patient__in=patients,
        status__in=OCCUPYING,
        appointment__type__kind=AppointmentKind.DOSING,
        starts_at__gt=start - gap,
        starts_at__lt=start + gap,
    ).select_related("patient")
    return [
        _(
            "%(name)s has a ketamine session at %(time)s: ketamine sessions are at least "
            "%(hours)d hours apart."
        )
        % {
            "name": attendance.patient,
            "time": f"{attendance.starts_at.astimezone(clinic.tzinfo):%Y-%m-%d %H:%M}",
            "hours": settings.DOSING_MIN_INTERVAL_HOURS,
        }
        for attendance in near
    ]


def readiness_refusals(type: AppointmentType, patients: list[Any], enrolment: Any) -> list[str]:
    """A ketamine session is booked only for a patient signed eligible and enrolled (the rule
    is clinical.dosing.booking_refusals; check-in asks the rest on the day)."""
    if not type.needs_dosing_room:
        return []
    reasons = []
    for patient in patients:
        own = enrolment if enrolment is not None and enrolment.patient_id == patient.pk else None
        refusals = dosing_booking_refusals(patient, own)
        if refusals:
            reasons.append(
                _("A ketamine session cannot be booked for %(name)s yet:") % {"name": patient}
            )
            reasons += [said(refusal) for refusal in refusals]
    return reasons


def past_refusals(start: Any) -> list[str]:
    """Nothing is booked to start in the past."""
    if start < timezone.now():
        return [_("That time has already passed: choose a time to come.")]
    return []


def _overlapping(period: Interval) -> Q:
    return Q(starts_at__lt=period[1], ends_at__gt=period[0], status__in=OCCUPYING)


def overlap_refusals(
    room: Any, clinician: User | None, patients: list[Any], period: Interval
) -> list[str]:
    """Which of the room, the clinician and the patients is already booked in the period."""
    reasons = []
    appointments = Appointment.objects.filter(_overlapping(period))
    if room is not None and appointments.filter(room=room).exists():
        reasons.append(str(OVERLAP_SENTENCES["appointment_room_no_overlap"]))
    if clinician is not None and appointments.filter(clinician=clinician).exists():
        reasons.append(str(OVERLAP_SENTENCES["appointment_clinician_no_overlap"]))
    busy = Attendance.objects.filter(_overlapping(period), patient__in=patients)
    for attendance in busy.select_related("patient"):
        reasons.append(_("%(name)s is already booked at that time.") % {"name": attendance.patient})
    return reasons
