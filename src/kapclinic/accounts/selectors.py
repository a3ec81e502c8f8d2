"""Reads of accounts for the staff pages."""

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
