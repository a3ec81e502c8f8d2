"""Who sees which integration group: clinical staff and clinic admins of its clinic; a therapist
only the groups they facilitate."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import CLINICAL_ROLES, Role
from kapclinic.errors import NotFound, id_or_none
from kapclinic.groups.models import IntegrationGroup

GROUP_ROLES = CLINICAL_ROLES | {Role.CLINIC_ADMIN}
# Who opens groups and schedules their sessions.
ORGANISER_ROLES = frozenset({Role.PHYSICIAN, Role.CLINIC_ADMIN, Role.THERAPIST})


def visible_groups(user: User) -> QuerySet[IntegrationGroup]:
    groups = IntegrationGroup.objects.select_related("clinic", "facilitator")
    if not user.is_authenticated or not user.is_active or user.role not in GROUP_ROLES:
        return groups.none()
    if user.role == Role.THERAPIST:
        return groups.filter(facilitator=user)
    return groups if user.network_wide else groups.filter(clinic__in=user.clinics.all())


def access_group(*, by: User, group_id: object) -> IntegrationGroup:
    pk = id_or_none(group_id)
    found = visible_groups(by).filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound(_("No integration group was found."))
    return found
