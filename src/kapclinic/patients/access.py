"""Object-level access to patient records: the one place that decides who sees whom.

Staff see the patients of their clinics (or of the whole network when so granted);
therapists only the patients whose care team lists them; referrers only the patients
they referred; a patient only their own record; anyone without a role, nobody.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import CHART_ROLES, CLINICAL_ROLES, REGISTRATION_ROLES, Role
from kapclinic.errors import NotFound
from kapclinic.patients.models import CareRole, Patient


def _on_care_team(user: User, care_role: CareRole | None = None) -> Q:
    condition = Q(care_team__user=user, care_team__ended_at__isnull=True)
    if care_role is not None:
        condition &= Q(care_team__care_role=care_role)
    return condition


def _in_clinics(user: User) -> Q:
    if user.network_wide:
        return Q()
    return Q(clinic__in=user.clinics.all())


def visible_patients(user: User) -> QuerySet[Patient]:
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


def access_patient(*, by: User, patient_id: int) -> Patient:
    """The patient, if `by` may see them; NotFound otherwise (no hint that it exists)."""
    patient = visible_patients(by).select_related("clinic__jurisdiction").filter(pk=patient_id)
    found = patient.first()
    if found is None:
        raise NotFound(_("No patient record was found."))
    return found


def may_register_patients(user: User) -> bool:
    """Creating a record is intake work (coordinators, physicians, nurses, clinic admins)."""
    return user.is_authenticated and user.role in REGISTRATION_ROLES


# Field-level rules: which parts of the chart each role reads (ASVS 8.2.3). Billing needs
# who the person is and how to reach them for an invoice; a clinic admin also the emergency
# contact; only the clinical roles read clinical content (safety flags, journey, the
# clinical pages). Templates and views ask `chart_fields`, never a role.
CHART_FIELDS: dict[str, frozenset[Role]] = {
    # name, date of birth, clinic, preferred language
    "identity": CHART_ROLES,
    "health_number": CHART_ROLES,
    "phone": CHART_ROLES,
    "emergency_contact": CLINICAL_ROLES | {Role.CLINIC_ADMIN},
    "sex_and_gender": CLINICAL_ROLES,
    # the suicidality banner and the alerts box
    "safety": CLINICAL_ROLES,
    # program, stage and the journey timeline
    "journey": CLINICAL_ROLES,
    # links to journey, consents, appointments, orders, screening, questionnaires
    "clinical_pages": CLINICAL_ROLES,
}


def chart_fields(user: User) -> frozenset[str]:
    """The parts of a chart `user` may read (nothing for a role without charts)."""
    role = getattr(user, "role", None)
    return frozenset(name for name, roles in CHART_FIELDS.items() if role in roles)
