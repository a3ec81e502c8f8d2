"""The roles people hold in the clinic network, and the groups views are declared with."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INTAKE = "intake", _("Intake coordinator")
    PHYSICIAN = "physician", _("Physician")
    NURSE = "nurse", _("Nurse")
    THERAPIST = "therapist", _("Therapist")
    BILLING = "billing", _("Billing")
    CLINIC_ADMIN = "clinic_admin", _("Clinic admin")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    PATIENT = "patient", _("Patient")
    REFERRER = "referrer", _("Referring professional")


STAFF_ROLES: frozenset[Role] = frozenset(Role) - {Role.PATIENT, Role.REFERRER}
# Staff who work with patient charts day to day.
CLINICAL_ROLES: frozenset[Role] = frozenset(
    {Role.INTAKE, Role.PHYSICIAN, Role.NURSE, Role.THERAPIST}
)
# Clinicians: they lead appointments, keep weekly hours and have a calendar of their own.
CLINICIAN_ROLES: frozenset[Role] = frozenset({Role.PHYSICIAN, Role.NURSE, Role.THERAPIST})
# Staff who may look a patient up (billing needs the demographics for invoices).
CHART_ROLES: frozenset[Role] = CLINICAL_ROLES | {Role.BILLING, Role.CLINIC_ADMIN}
# Who adds clinicians to a patient's care team and ends memberships: the staff who organise
# a patient's care (intake, the responsible physician, the clinic admin).
CARE_TEAM_MANAGER_ROLES: frozenset[Role] = frozenset(
    {Role.INTAKE, Role.PHYSICIAN, Role.CLINIC_ADMIN}
)
# Who reads the audit trail.
AUDIT_ROLES: frozenset[Role] = frozenset({Role.CLINIC_ADMIN, Role.PRIVACY_OFFICER})
# Who opens a new patient record (intake work).
REGISTRATION_ROLES: frozenset[Role] = frozenset(
    {Role.INTAKE, Role.PHYSICIAN, Role.NURSE, Role.CLINIC_ADMIN}
)
