"""A program's plan: its steps from the template, proposed inside the window, then booked.

`propose_plan` loads the clinic's hours, rooms, bookings and credentials once and lets
planning.propose find the slots; `book_plan` books every proposed slot in one transaction
through services.book_appointment (all or nothing).
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.credentials import missing_on
from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.care.models import Enrolment
from kapclinic.patients.models import CareTeamMember
from kapclinic.scheduling import rules, services
from kapclinic.scheduling.errors import SchedulingCode
from kapclinic.scheduling.models import (
    OCCUPYING,
    Appointment,
    AppointmentKind,
    AppointmentType,
    Attendance,
    Availability,
)
from kapclinic.scheduling.planning import Need, NoSlot, Resources, Slot, Step, propose


def _need(kind: str) -> Need:
    type = AppointmentType.objects.filter(kind=kind).order_by("id").first()
    if type is None:
        raise services.BookingError(
            _("No appointment type is set up for %(kind)s.") % {"kind": kind}
        )
    return Need(
        type.pk,
        kind,
        timedelta(minutes=type.duration_minutes),
        type.lead_role,
        type.needs_dosing_room,
        type.needs_medical_on_site,
    )


def plan_steps(enrolment: Enrolment) -> list[Step]:
    """Preparation sessions, then each ketamine session followed by its integration session."""
    program = enrolment.program
    preparation = _need(AppointmentKind.PREPARATION)
    dosing = _need(AppointmentKind.DOSING)
    integration = _need(AppointmentKind.INTEGRATION)
    steps = [
        Step(preparation, _("Preparation session %(n)d") % {"n": n}, min_days_after_previous=1)
        for n in range(1, program.preparation_sessions + 1)
    ]
    for n in range(1, max(program.dosing_sessions, program.integration_sessions) + 1):
        if n <= program.dosing_sessions:
            label = _("Ketamine session %(n)d") % {"n": n}
            steps.append(Step(dosing, label, 1, program.days_between_dosing))
        if n <= program.integration_sessions:
            steps.append(Step(integration, _("Integration session %(n)d") % {"n": n}, 1))
    return steps


def window(enrolment: Enrolment, start: date) -> date:
    """The last day of the program's window when it starts on `start`."""
    return start + timedelta(weeks=enrolment.program.max_weeks, days=-1)


def load_resources(clinic: Any, patient: Any, start: date, last_day: date) -> Resources:
    """Everything the planner needs, in a fixed handful of queries."""
    tz = clinic.tzinfo
    since = datetime.combine(start, time(0), tz)
    until = datetime.combine(last_day + timedelta(days=1), time(0), tz)
    rows = Availability.objects.filter(
        clinic=clinic, ended_at__isnull=True, clinician__is_active=True
    )
    hours: dict[int, list[Any]] = defaultdict(list)
    for clinician_id, *row in rows.values_list("clinician_id", "weekday", "starts", "ends"):
        hours[clinician_id].append(tuple(row))
    staff = {u.pk: u for u in User.objects.filter(pk__in=hours).prefetch_related("credentials")}
    busy: dict[tuple[str, int], list[Any]] = defaultdict(list)
    overlapping = Q(starts_at__lt=until, ends_at__gt=since, status__in=OCCUPYING)
    for room, clinician, s, e in Appointment.objects.filter(overlapping).values_list(
        "room_id", "clinician_id", "starts_at", "ends_at"
    ):
        busy[("room", room)].append((s, e))
        busy[("clinician", clinician)].append((s, e))
    for s, e in Attendance.objects.filter(overlapping, patient=patient).values_list(
        "starts_at", "ends_at"
    ):
        busy[("patient", patient.pk)].append((s, e))
    team = CareTeamMember.objects.filter(patient=patient, ended_at__isnull=True)
    dosing_starts = Attendance.objects.filter(
        patient=patient, status__in=OCCUPYING, appointment__type__kind=AppointmentKind.DOSING
    ).values_list("starts_at", flat=True)
    return Resources(
        tz=tz,
        hours=dict(hours),
        roles={pk: user.role for pk, user in staff.items()},
        rooms=dict(clinic.rooms.values_list("id", "dosing_capable")),
        busy=dict(busy),
        qualified=lambda clinician, day: not missing_on(staff[clinician], day),
        preferred=tuple(team.values_list("user_id", flat=True)),
        grid=timedelta(minutes=settings.BOOKING_GRID_MINUTES),
        patient_id=patient.pk,
        not_before=timezone.now(),
        spacing={AppointmentKind.DOSING: rules.dosing_interval()},
        starts_of_kind={AppointmentKind.DOSING: list(dosing_starts)},
    )


def propose_plan(enrolment: Enrolment, start: date) -> list[Slot]:
    """The plan's appointments inside its window, or BookingError naming the first misfit."""
    patient = enrolment.patient
    if start < patient.clinic.today():
        raise services.BookingError(
            _("The plan cannot start in the past: choose today or a later day."),
            code=SchedulingCode.PAST,
        )
    last_day = window(enrolment, start)
    resources = load_resources(patient.clinic, patient, start, last_day)
    try:
        return propose(plan_steps(enrolment), resources, start, last_day)
    except NoSlot as missing:
        raise services.BookingError(
            _("No time was found for %(step)s between %(start)s and %(end)s.")
            % {"step": missing.step.label, "start": start, "end": last_day},
            code=SchedulingCode.NO_SLOT,
        ) from None


@transaction.atomic
def book_plan(*, by: User, enrolment: Enrolment, start: date) -> list[Appointment]:
    """Book the whole proposed plan, or nothing; never a second plan beside a booked one."""
    already = Attendance.objects.filter(enrolment=enrolment, status__in=OCCUPYING).count()
    if already:
        raise services.BookingError(
            _(
                "This program already has %(n)d booked appointments: reschedule or cancel them, "
                "or book single appointments."
            )
            % {"n": already},
            code=SchedulingCode.PLAN_EXISTS,
        )
    slots = propose_plan(enrolment, start)
    types = AppointmentType.objects.in_bulk({slot.step.need.type_id for slot in slots})
    rooms = enrolment.patient.clinic.rooms.in_bulk()
    clinicians = User.objects.in_bulk({slot.clinician_id for slot in slots})
    booked = [
        services.book_appointment(
            by=by,
            type=types[slot.step.need.type_id],
            room=rooms[slot.room_id],
            clinician=clinicians[slot.clinician_id],
            starts_at=slot.starts_at,
            patients=[enrolment.patient],
            enrolment=enrolment,
        )
        for slot in slots
    ]
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=enrolment.patient,
        target=enrolment,
        detail={"plan_booked": len(booked), "start": start.isoformat()},
    )
    return booked
