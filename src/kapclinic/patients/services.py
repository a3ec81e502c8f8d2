"""Writes to patient records: one transaction, the rules, and the audit event."""

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import CARE_TEAM_MANAGER_ROLES, Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.clinical.health_numbers import validate_health_number
from kapclinic.clinics.models import Clinic
from kapclinic.errors import Conflict, DomainError, NotFound, NotPermitted
from kapclinic.patients.access import access_patient, may_register_patients, visible_patients
from kapclinic.patients.errors import DuplicatePatient, PatientCode
from kapclinic.patients.inputs import PatientInput
from kapclinic.patients.models import CareRole, CareTeamMember, Patient, Sex


def name_key(given: str, family: str) -> str:
    """Names compared without case, accents or spacing: "Hélène  Côté" == "helene cote"."""
    folded = unicodedata.normalize("NFKD", f"{given} {family}".casefold())
    letters = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(letters.split())


def likely_duplicates(
    *, province: str, health_number: str, given: str, family: str, born: date
) -> tuple[list[Patient], bool]:
    """Existing records for the same person, and whether the match is certain."""
    active = Patient.objects.filter(entered_in_error=False).select_related("clinic")
    if health_number:
        same_number = list(
            active.filter(health_number_province=province, health_number=health_number)
        )
        if same_number:
            return same_number, True
    wanted = name_key(given, family)
    same_birth = active.filter(date_of_birth=born)
    matches = [p for p in same_birth if name_key(p.legal_given_name, p.legal_family_name) == wanted]
    return matches, False


@transaction.atomic
def register_patient(
    *, by: User, clinic: Clinic, details: PatientInput, confirm_not_duplicate: bool = False
) -> Patient:
    """Create a patient record, refusing one that already exists.

    The same health number is always refused; the same name and date of birth is refused
    unless the user confirms it is a different person.
    """
    if not may_register_patients(by):
        raise NotPermitted(_("Your role may not register patients."))
    province = details.health_number_province
    number = details.health_number
    if number:
        number = validate_health_number(province, number)
    existing, certain = likely_duplicates(
        province=province,
        health_number=number,
        given=details.legal_given_name,
        family=details.legal_family_name,
        born=details.date_of_birth,
    )
    visible = set(
        visible_patients(by).filter(pk__in=[p.pk for p in existing]).values_list("pk", flat=True)
    )
    offered = [p for p in existing if p.pk in visible]
    if certain:
        raise DuplicatePatient(
            _("A patient with this health number already exists."), existing=offered, certain=True
        )
    if existing and not confirm_not_duplicate:
        raise DuplicatePatient(
            _("A patient with the same name and date of birth already exists."),
            existing=offered,
            certain=False,
        )
    patient = Patient(clinic=clinic, created_at=timezone.now())
    details.write_to(patient)
    patient.health_number = number  # stored normalised
    patient.full_clean()
    patient.save()
    record_event(actor=by, action=Action.CREATE, patient=patient, target=patient)
    return patient


@dataclass(frozen=True)
class ReferralMatch:
    """What a referral is linked to: an existing or a new record (`patient`), or nothing yet
    and a record `proposed` to intake staff, who reconcile it by hand."""

    patient: Patient | None
    proposed: Patient | None = None


def match_for_referral(
    *,
    by: User | None,
    clinic: Clinic,
    trusted: bool,
    given: str,
    family: str,
    born: date,
    province: str,
    health_number: str,
    **contact: Any,
) -> ReferralMatch:
    """The record a referral belongs to, linked automatically only when that is safe.

    Linked at once: the same health number, at the referral's own clinic, with the same date
    of birth, from a trusted source (a verified referrer). Never linked automatically: a record
    of another clinic, an unverified source (an unverified referrer, an anonymous booking), a
    match on name and date of birth alone, or identifiers that conflict; the record is then
    proposed to intake staff. A record of another clinic is proposed only when its health
    number makes a new one impossible; otherwise that clinic's patients stay out of sight.
    With no candidate, a new record is made at the referral's clinic."""
    existing, certain = likely_duplicates(
        province=province, health_number=health_number, given=given, family=family, born=born
    )
    if certain:
        found = existing[0]
        safe = trusted and found.clinic_id == clinic.pk and found.date_of_birth == born
        return ReferralMatch(found) if safe else ReferralMatch(None, proposed=found)
    here = [p for p in existing if p.clinic_id == clinic.pk]
    if here:
        return ReferralMatch(None, proposed=here[0])
    return ReferralMatch(
        new_record_for_referral(
            by=by,
            clinic=clinic,
            given=given,
            family=family,
            born=born,
            province=province,
            health_number=health_number,
            **contact,
        )
    )


def new_record_for_referral(
    *,
    by: User | None,
    clinic: Clinic,
    given: str,
    family: str,
    born: date,
    province: str,
    health_number: str,
    **contact: Any,
) -> Patient:
    """A new record made from what the referral says (intake completes it later)."""
    if (
        health_number
        and Patient.objects.filter(
            health_number_province=province, health_number=health_number, entered_in_error=False
        ).exists()
    ):
        raise DuplicatePatient(
            _("A record with this health number already exists: link the referral to it."),
            existing=[],
            certain=True,
        )
    patient = Patient(
        clinic=clinic,
        legal_given_name=given,
        legal_family_name=family,
        date_of_birth=born,
        sex_at_birth=Sex.UNKNOWN,
        health_number_province=province if health_number else "",
        health_number=health_number,
        **contact,
    )
    patient.full_clean()
    patient.save()
    record_event(actor=by, action=Action.CREATE, patient=patient, target=patient)
    return patient


def add_to_care_team(
    *,
    patient: Patient,
    user: User,
    care_role: str,
    by: User | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> CareTeamMember:
    """Add `user` to the care team unless already on it (the active assignment is unique);
    a new membership is audited."""
    member, created = CareTeamMember.objects.get_or_create(
        patient=patient, user=user, ended_at=None, defaults={"care_role": care_role}
    )
    if created:
        record_event(
            actor=by,
            action=Action.CREATE,
            patient=patient,
            target=member,
            reason=reason,
            detail={"member": user.pk, "care_role": care_role, **(detail or {})},
        )
    return member


# The care role a clinician holds on the team of a patient they are booked to see.
CLINICIAN_CARE_ROLES: dict[str, CareRole] = {
    Role.PHYSICIAN: CareRole.PHYSICIAN,
    Role.NURSE: CareRole.NURSE,
    Role.THERAPIST: CareRole.THERAPIST,
}


def join_care_team_for_booking(
    *, by: User, patient: Patient, clinician: User, booking: Any
) -> None:
    """A clinician booked onto a patient's appointment joins that patient's care team."""
    care_role = CLINICIAN_CARE_ROLES.get(getattr(clinician, "role", ""))
    if care_role is None:
        return
    add_to_care_team(
        by=by,
        patient=patient,
        user=clinician,
        care_role=care_role,
        detail={"booked": booking._meta.label_lower, "booking": booking.pk},
    )


def clinicians_of(patient: Patient) -> Any:
    """Active clinicians of the patient's clinic: who may join the care team."""
    return User.objects.filter(
        is_active=True, role__in=CLINICIAN_CARE_ROLES, clinics=patient.clinic
    ).order_by("full_name", "pk")


def _managed_patient(by: User, patient_id: int, reason: str) -> Patient:
    if getattr(by, "role", None) not in CARE_TEAM_MANAGER_ROLES:
        raise NotPermitted(_("Your role may not change care teams."))
    patient = access_patient(by=by, patient_id=patient_id)
    if not reason.strip():
        raise DomainError(_("Give the reason."), code=PatientCode.CARE_TEAM_REASON_MISSING)
    return patient


@transaction.atomic
def add_care_team_member(*, by: User, patient_id: int, user_id: int, reason: str) -> CareTeamMember:
    """Add a clinician of the patient's clinic to the care team, with the reason, audited."""
    patient = _managed_patient(by, patient_id, reason)
    clinician = clinicians_of(patient).filter(pk=user_id).first()
    if clinician is None:
        raise DomainError(
            _("Only an active clinician of this patient's clinic can join the care team."),
            code=PatientCode.CARE_TEAM_NOT_A_CLINICIAN_HERE,
        )
    if CareTeamMember.objects.filter(patient=patient, user=clinician, ended_at=None).exists():
        raise Conflict(_("%(name)s is already on the care team.") % {"name": clinician})
    return add_to_care_team(
        by=by,
        patient=patient,
        user=clinician,
        care_role=CLINICIAN_CARE_ROLES[clinician.role],
        reason=reason,
    )


@transaction.atomic
def end_care_team_membership(
    *, by: User, patient_id: int, member_id: int, reason: str
) -> CareTeamMember:
    """End a membership from now on, with the reason; the row stays as history."""
    patient = _managed_patient(by, patient_id, reason)
    member = (
        CareTeamMember.objects.select_for_update()
        .filter(pk=member_id, patient=patient, ended_at__isnull=True)
        .first()
    )
    if member is None:
        raise NotFound(_("No current membership of this care team was found."))
    member.ended_at = timezone.now()
    member.save(update_fields=["ended_at"])
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=patient,
        target=member,
        reason=reason,
        detail={"member": member.user_id, "ended": True},
    )
    return member
