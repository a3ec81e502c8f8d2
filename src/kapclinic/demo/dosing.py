"""Demo ketamine care: one patient per clinic found eligible, enrolled, consented, prepared
and moved to the Experience stage, with a signed order and one completed session earlier
today, all run through the services (so the journey timeline, the register, the audit trail
and the session history are real).

Idempotent like the rest of the demo: a patient who already has a session is left alone.
"""

from datetime import timedelta
from decimal import Decimal
from typing import cast

from django.db.models import F
from django.utils import timezone

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.care.models import ConsentKind, ProgramTemplate
from kapclinic.care.services import (
    enrol,
    mark_material_read,
    mark_preparation_done,
    move_journey,
    record_consent,
)
from kapclinic.clinical.journey import Stage
from kapclinic.clinics.models import Clinic, Condition, Room
from kapclinic.dosing import monitoring, ordering, services
from kapclinic.dosing.models import Administration, DosingSession, SessionTransition, VitalSign
from kapclinic.patients.models import Patient
from kapclinic.register.models import Lot, ProductForm
from kapclinic.scheduling.models import Appointment, AppointmentType, Attendance
from kapclinic.screening.models import Decision
from kapclinic.screening.workflow import sign_determination, start_screening

# The consent texts the care migrations publish.
CONSENT_VERSION = "2026-01"
NORMAL: dict[str, int | None] = {
    "systolic": 124,
    "diastolic": 78,
    "pulse": 72,
    "spo2": 98,
    "respiratory_rate": 14,
}


def _booked_this_morning(clinic: Clinic, patient: Patient, staff: dict[Role, User]) -> Attendance:
    starts = timezone.now() - timedelta(hours=3)
    appointment = Appointment.objects.create(
        clinic=clinic,
        type=AppointmentType.objects.get(code="ketamine-session"),
        room=cast(Room, Room.objects.filter(clinic=clinic, dosing_capable=True).first()),
        clinician=staff[Role.THERAPIST],
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        booked_by=staff[Role.INTAKE],
    )
    return Attendance.objects.create(
        appointment=appointment,
        patient=patient,
        enrolment=patient.enrolments.first(),
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
    )


def _prepare(patient: Patient, staff: dict[Role, User]) -> None:
    """Walk the patient through Connect and Prepare with the services a clinic would use, so
    the journey reaches Experience with its timeline, as check-in requires."""
    nurse, physician = staff[Role.NURSE], staff[Role.PHYSICIAN]
    screening = start_screening(
        by=physician, patient=patient, indication=Condition.objects.get(code="depression")
    )
    from kapclinic.demo.seed import DEMO_PASSWORD  # seed imports this module

    sign_determination(
        by=physician, screening=screening, decision=Decision.ELIGIBLE, password=DEMO_PASSWORD
    )
    program = cast(
        ProgramTemplate, ProgramTemplate.objects.filter(requires_community_support=False).first()
    )
    enrolment = enrol(by=physician, patient=patient, program=program)
    for kind in (ConsentKind.TREATMENT, ConsentKind.RECORDING):
        record_consent(
            by=nurse,
            patient=patient,
            kind=kind,
            text_version=CONSENT_VERSION,
            signed_name=patient.display_name,
        )
    for assignment in enrolment.materials.all():
        mark_material_read(by=nurse, assignment=assignment)
    mark_preparation_done(by=nurse, enrolment=enrolment)
    for stage in (Stage.PREPARE, Stage.EXPERIENCE):
        move_journey(by=physician, enrolment_id=enrolment.pk, to=stage)
    ordering.sign_order(
        by=physician,
        patient=patient,
        route="sublingual_rdt",
        dose_mg=Decimal(100),
        expires_on=patient.clinic.today() + timedelta(days=120),
    )


def _run_session(clinic: Clinic, attendance: Attendance, nurse: User) -> None:
    """Run through the services as now, then move the session's clock back 2 h 35 min (demo
    history only: the services refuse any time before the check-in), and discharge."""
    session = services.check_in(by=nurse, attendance=attendance)
    services.record_pre_dose_facts(
        by=nurse,
        session_id=session.pk,
        fasted_as_instructed=True,
        ride_home_arranged=True,
        pregnancy_attestation="not_pregnant",
        baseline=NORMAL,
    )
    services.clear_to_dose(by=nurse, session_id=session.pk)
    lot = cast(
        Lot,
        Lot.objects.filter(
            product__form=ProductForm.RAPID_DISSOLVING_TABLET, balances__clinic=clinic
        ).first(),
    )
    services.record_dose(
        by=nurse, session_id=session.pk, given_at=timezone.now(), dose_mg=100, lot=lot
    )
    monitoring.record_vitals(
        by=nurse, session_id=session.pk, taken_at=timezone.now(), values=NORMAL
    )
    _earlier(session, timedelta(hours=2, minutes=35))
    given = Administration.objects.get(session=session).given_at
    for minutes in (40, 125):
        monitoring.record_vitals(
            by=nurse,
            session_id=session.pk,
            taken_at=given + timedelta(minutes=minutes),
            values=NORMAL,
        )
    services.discharge(
        by=nurse,
        session_id=session.pk,
        alert_and_oriented=True,
        walking_steadily=True,
        escort_present=True,
    )


def _earlier(session: DosingSession, by: timedelta) -> None:
    """Demo only: the session so far, as if it had happened `by` earlier."""
    DosingSession.objects.filter(pk=session.pk).update(created_at=F("created_at") - by)
    SessionTransition.objects.filter(session=session).update(at=F("at") - by)
    VitalSign.objects.filter(session=session).update(taken_at=F("taken_at") - by)
    Administration.objects.filter(session=session).update(given_at=F("given_at") - by)


def seed_dosing(clinic: Clinic, staff: dict[Role, User]) -> None:
    """Once per clinic: the first patient not yet enrolled (the scheduling demo runs first)."""
    if DosingSession.objects.filter(clinic=clinic).exists():
        return
    patient = Patient.objects.filter(clinic=clinic, enrolments=None).order_by("pk").first()
    if patient is None:
        return
    _prepare(patient, staff)
    _run_session(clinic, _booked_this_morning(clinic, patient, staff), staff[Role.NURSE])
