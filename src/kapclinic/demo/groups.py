"""Demo integration group: one patient per clinic walked through a whole program to the
Reconnect stage (screened eligible, enrolled, consented, prepared, then Experience, Integrate
and Reconnect), and a member of the clinic's integration group, which meets next week.

Idempotent: a clinic that already has the demo group is left alone.
"""

from datetime import datetime, time, timedelta

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.care.models import ConsentKind, Enrolment, ProgramTemplate
from kapclinic.care.services import (
    enrol,
    mark_material_read,
    mark_preparation_done,
    move_journey,
    record_consent,
)
from kapclinic.clinical.journey import Stage
from kapclinic.clinics.models import Clinic
from kapclinic.demo.scheduling import sign_eligible
from kapclinic.demo.sharedcare import CONSENT_VERSION
from kapclinic.groups.models import IntegrationGroup, Membership
from kapclinic.groups.services import NewGroup, join_group, open_group, schedule_session
from kapclinic.patients.models import Patient

GROUP_NAME = "Groupe d'intégration / Integration group"


def reconnect_members(clinic: Clinic) -> list[Patient]:
    """The patients in the clinic's demo group."""
    members = Membership.objects.filter(
        group__clinic=clinic, group__name=GROUP_NAME, left_at__isnull=True
    ).select_related("patient")
    return [m.patient for m in members.order_by("pk")]


def _through_the_program(patient: Patient, staff: dict[Role, User]) -> Enrolment:
    physician, nurse = staff[Role.PHYSICIAN], staff[Role.NURSE]
    sign_eligible(patient, physician)
    enrolment = enrol(
        by=physician, patient=patient, program=ProgramTemplate.objects.get(code="standard")
    )
    record_consent(
        by=nurse,
        patient=patient,
        kind=ConsentKind.TREATMENT,
        text_version=CONSENT_VERSION,
        signed_name=patient.display_name,
    )
    for assignment in enrolment.materials.all():
        mark_material_read(by=nurse, assignment=assignment)
    mark_preparation_done(by=nurse, enrolment=enrolment)
    for stage in (Stage.PREPARE, Stage.EXPERIENCE, Stage.INTEGRATE, Stage.RECONNECT):
        move_journey(by=physician, enrolment_id=enrolment.pk, to=stage)
    return enrolment


def seed_groups(clinic: Clinic, staff: dict[Role, User]) -> None:
    if IntegrationGroup.objects.filter(clinic=clinic, name=GROUP_NAME).exists():
        return
    patient = Patient.objects.filter(clinic=clinic, enrolments=None).order_by("pk").first()
    if patient is None:
        return
    _through_the_program(patient, staff)
    admin = staff[Role.CLINIC_ADMIN]
    group = open_group(
        by=admin,
        group=NewGroup(
            clinic=clinic,
            name=GROUP_NAME,
            facilitator=staff[Role.THERAPIST],
            capacity=8,
            description="Synthetic demo group: integration after a ketamine program.",
        ),
    )
    next_week = clinic.today() + timedelta(days=7)
    starts = datetime.combine(next_week, time(18), tzinfo=clinic.tzinfo)
    schedule_session(by=admin, group=group, starts_at=starts, duration_minutes=90)
    join_group(by=staff[Role.THERAPIST], group_id=group.pk, patient=patient)
