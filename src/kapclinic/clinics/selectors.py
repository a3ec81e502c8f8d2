"""Reads of clinics for forms and screens."""

from django.db.models import QuerySet

from kapclinic.accounts.models import User
from kapclinic.clinics.models import Clinic


def clinics_of(user: User) -> QuerySet[Clinic]:
    """The clinics a staff member works in (all of them for a network-wide role)."""
    clinics = Clinic.objects.select_related("jurisdiction")
    if not getattr(user, "is_authenticated", False):
        return clinics.none()
    return clinics if user.network_wide else clinics.filter(staff=user)
