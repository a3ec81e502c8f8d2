"""Reads for integration groups: the list with places left, one group's roster and attendance,
and what a patient at Reconnect may join. Rosters name patients: a roster shown is audited as
one event naming them."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_list_read
from kapclinic.groups.access import visible_groups
from kapclinic.groups.models import Attendance, GroupSession, IntegrationGroup, Membership
from kapclinic.patients.models import Patient


def groups_with_places(by: User) -> QuerySet[IntegrationGroup]:
    """The groups `by` sees, each with `members` (active memberships) counted in the query."""
    return visible_groups(by).annotate(
        members=Count("memberships", filter=Q(memberships__left_at__isnull=True))
    )


@dataclass(frozen=True)
class Mark:
    membership: Membership
    # None: not recorded yet
    present: bool | None


@dataclass(frozen=True)
class SessionRow:
    session: GroupSession
    marks: list[Mark]


@dataclass(frozen=True)
class Roster:
    group: IntegrationGroup
    members: list[Membership]
    sessions: list[SessionRow]

    @property
    def places_left(self) -> int:
        return max(self.group.capacity - len(self.members), 0)


def roster_of(*, by: User, group: IntegrationGroup) -> Roster:
    members = list(
        Membership.objects.filter(group=group, left_at__isnull=True).select_related("patient")
    )
    sessions = list(GroupSession.objects.filter(group=group))
    marks: dict[int, dict[int, bool]] = {s.pk: {} for s in sessions}
    rows = Attendance.objects.filter(session__group=group).values_list(
        "session_id", "membership_id", "present"
    )
    for session_id, membership_id, present in rows:
        marks[session_id][membership_id] = present
    if members:
        record_list_read(
            actor=by,
            action=Action.READ,
            name="group_roster",
            patient_ids=[m.patient_id for m in members],
            view="group_roster",
            group=group.pk,
        )
    table = [SessionRow(s, [Mark(m, marks[s.pk].get(m.pk)) for m in members]) for s in sessions]
    return Roster(group, members, table)


def memberships_of(patient: Patient) -> list[Membership]:
    return list(
        Membership.objects.filter(patient=patient)
        .select_related("group")
        .order_by("-joined_at", "-id")
    )
