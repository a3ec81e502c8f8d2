"""Writes for integration groups: open a group, schedule a session, join, leave, attendance."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.care.selectors import current_enrolment
from kapclinic.clinical.journey import Stage
from kapclinic.clinics.models import Clinic
from kapclinic.errors import Conflict, DomainError, NotPermitted
from kapclinic.groups.access import ORGANISER_ROLES
from kapclinic.groups.errors import GroupCode
from kapclinic.groups.models import Attendance, GroupSession, IntegrationGroup, Membership
from kapclinic.patients.models import Patient


class GroupError(DomainError):
    code = GroupCode.INVALID


class GroupFull(Conflict):
    code = GroupCode.FULL


@dataclass(frozen=True)
class NewGroup:
    clinic: Clinic
    name: str
    facilitator: User
    capacity: int
    description: str = ""


def _organiser(by: User) -> None:
    if by.role not in ORGANISER_ROLES:
        raise NotPermitted(_("Only physicians, therapists and clinic admins organise groups."))


@transaction.atomic
def open_group(*, by: User, group: NewGroup) -> IntegrationGroup:
    _organiser(by)
    facilitator = group.facilitator
    if facilitator.role != Role.THERAPIST or not facilitator.clinics.filter(pk=group.clinic.pk):
        raise GroupError(_("The facilitator must be a therapist of the group's clinic."))
    if group.capacity < 1:
        raise GroupError(_("A group holds at least one person."))
    created = IntegrationGroup.objects.create(
        clinic=group.clinic,
        name=group.name,
        description=group.description,
        facilitator=facilitator,
        capacity=group.capacity,
        created_by=by,
    )
    record_event(actor=by, action=Action.CREATE, target=created)
    return created


@transaction.atomic
def schedule_session(
    *, by: User, group: IntegrationGroup, starts_at: datetime, duration_minutes: int
) -> GroupSession:
    _organiser(by)
    if starts_at < timezone.now():
        raise GroupError(_("A group session is scheduled in the future."))
    session = GroupSession.objects.create(
        group=group, starts_at=starts_at, duration_minutes=duration_minutes, scheduled_by=by
    )
    record_event(actor=by, action=Action.CREATE, target=session)
    return session


@transaction.atomic
def join_group(*, by: User, group_id: int, patient: Patient) -> Membership:
    """Enrol a patient who finished a program (Reconnect). The group row is locked first, so two
    coordinators filling the last place at once cannot both succeed."""
    group = IntegrationGroup.objects.select_for_update().get(pk=group_id)
    if not group.active or group.clinic_id != patient.clinic_id:
        raise GroupError(_("This group is not open to this patient."))
    enrolment = current_enrolment(patient)
    if enrolment is None or enrolment.stage != Stage.RECONNECT:
        raise GroupError(
            _("Only a patient who finished a program (the Reconnect stage) joins a group.")
        )
    members = Membership.objects.filter(group=group, left_at__isnull=True)
    if members.filter(patient=patient).exists():
        raise GroupError(_("The patient is already in this group."))
    if members.count() >= group.capacity:
        raise GroupFull(
            _("The group is full: %(capacity)s places, all taken.") % {"capacity": group.capacity}
        )
    membership = Membership.objects.create(
        group=group, patient=patient, enrolment=enrolment, joined_by=by
    )
    record_event(actor=by, action=Action.CREATE, patient=patient, target=membership)
    return membership


@transaction.atomic
def leave_group(*, by: User, membership: Membership) -> Membership:
    if membership.left_at is not None:
        raise GroupError(_("The patient already left this group."))
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=membership.patient,
        target=membership,
        detail={"left": True},
    )
    return membership


@transaction.atomic
def record_attendance(
    *, by: User, session: GroupSession, membership: Membership, present: bool
) -> Attendance:
    """Present or absent; a correction amends the row, the audit keeps what it said before."""
    if membership.group_id != session.group_id:
        raise GroupError(_("The patient is not a member of this group."))
    if session.starts_at > timezone.now():
        raise GroupError(_("Attendance is recorded once the session has started."))
    before = Attendance.objects.filter(session=session, membership=membership).first()
    attendance, _created = Attendance.objects.update_or_create(
        session=session,
        membership=membership,
        defaults={"present": present, "recorded_by": by, "recorded_at": timezone.now()},
    )
    detail = {"present": present, "before": before.present if before else None}
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=membership.patient,
        target=attendance,
        detail=detail,
    )
    return attendance
