"""Object-level access to patient records: the one place that decides who sees whom.

Staff see the patients of their clinics (or of the whole network when so granted);
therapists only the patients whose care team lists them; referrers only the patients
they referred; a patient only their own record; anyone without a role, nobody.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kapclinic.accounts.roles import CHART_ROLES, REGISTRATION_ROLES, Role
from kapclinic.errors import NotFound
from kapclinic.patients.models import CareRole, Patient


def _on_care_team(user: Any, care_role: CareRole | None = None) -> Q:
    condition = Q(care_team__user=user, care_team__ended_at__isnull=True)
    if care_role is not None:
        condition &= Q(care_team__care_role=care_role)
    return condition


def _in_clinics(user: Any) -> Q:
    if user.network_wide:
        return Q()
    return Q(clinic__in=user.clinics.all())


def visible_patients(user: Any) -> QuerySet[Patient]:
    """Every patient record `user` may open."""
    patients = Patient.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return patients.none()
    if user.role == Role.PATIENT:
        return patients.filter(user=user)
    if user.role == Role.REFERRER:
        return patients.filter(_on_care_team(user, CareRole.REFERRER)).distinct()
    if user.role == Role.THERAPIST:
        return patients.filter(_in_clinics(user), _on_care_team(user)).distinct()
    if user.role in CHART_ROLES:
        return patients.filter(_in_clinics(user))
    return patients.none()


def access_patient(*, by: Any, patient_id: int) -> Patient:
    """The patient, if `by` may see them; NotFound otherwise (no hint that it exists)."""
    patient = visible_patients(by).select_related("clinic__jurisdiction").filter(pk=patient_id)
    found = patient.first()
    if found is None:
        raise NotFound(_("No patient record was found."))
    return found


def may_register_patients(user: Any) -> bool:
    """Creating a record is intake work (coordinators, physicians, nurses, clinic admins)."""
    return user.is_authenticated and user.role in REGISTRATION_ROLES
