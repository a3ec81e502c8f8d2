"""Reads of accounts for the staff pages, and the clinics a staff member works in."""

from django.db.models import Prefetch, QuerySet

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import STAFF_ROLES
from kapclinic.clinics.models import Clinic


def staff_of(*, by: User) -> QuerySet[User]:
    """Staff in the clinics `by` administers, with their clinics, in one or two queries."""
    staff = User.objects.filter(role__in=STAFF_ROLES).prefetch_related(
        Prefetch("clinics", queryset=Clinic.objects.only("name"))
    )
    if not by.network_wide:
        staff = staff.filter(clinics__in=by.clinics.all()).distinct()
    return staff.order_by("full_name")


def clinics_of(user: User) -> QuerySet[Clinic]:
    """The clinics a staff member works in (all of them for a network-wide role)."""
    clinics = Clinic.objects.select_related("jurisdiction")
    if not getattr(user, "is_authenticated", False):
        return clinics.none()
    return clinics if user.network_wide else clinics.filter(staff=user)
