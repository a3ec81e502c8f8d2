"""Demo shared care: the patient of the demo ketamine session was referred by the demo
referrer (an e-referral through the referrer's portal, linked to the record, contacted and
accepted) and consented to share with them, so a physician can draft and release letters,
a progress report with its charts among them, and the referrer can read them.

Idempotent: a clinic whose session patient already has a referral from the demo referrer is
left alone.
"""

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.care.models import ConsentKind
from kapclinic.care.services import record_consent
from kapclinic.clinics.models import Clinic, Condition
from kapclinic.dosing.models import DosingSession
from kapclinic.patients.models import Patient
from kapclinic.referrals.inputs import ReferralInput
from kapclinic.referrals.models import ContactMethod, ContactOutcome, Referrer, Status
from kapclinic.referrals.services import change_status, record_contact_attempt, save_referral

CONSENT_VERSION = "2026-01"  # the consent texts the care migrations publish


def shared_care_patient(clinic: Clinic) -> Patient | None:
    """The clinic's demo patient whose referrer receives letters: the demo session's patient
    (the clinic's first session: the benchmark's synthetic ones come after it)."""
    sessions = DosingSession.objects.filter(clinic=clinic).select_related("patient")
    session = sessions.order_by("pk").first()
    return session.patient if session else None


def _refer(patient: Patient, referrer: Referrer, by: User) -> None:
    """The referrer's e-referral names the patient's health number: linked at once."""
    details = ReferralInput(
        given_name=patient.legal_given_name,
        family_name=patient.legal_family_name,
        date_of_birth=patient.date_of_birth,
        province=patient.health_number_province,
        health_number=patient.health_number,
        phone=patient.phone,
        email=patient.email,
        preferred_language=patient.preferred_language or "en",
        condition=Condition.objects.get(code="depression"),
        reason="Synthetic demo referral: depression not responding to two antidepressants.",
        patient_agreed=True,
    )
    save_referral(by=by, referrer=referrer, details=details, attachments=[], submit=True)


def seed_shared_care(clinic: Clinic, staff: dict[Role, User]) -> None:
    patient = shared_care_patient(clinic)
    referrer = Referrer.objects.filter(user=staff[Role.REFERRER]).first()
    if patient is None or referrer is None or patient.referrals.filter(referrer=referrer):
        return
    _refer(patient, referrer, staff[Role.REFERRER])
    referral = patient.referrals.get(referrer=referrer)
    intake = staff[Role.INTAKE]
    record_contact_attempt(
        by=intake,
        referral_id=referral.pk,
        method=ContactMethod.PHONE,
        outcome=ContactOutcome.REACHED,
    )
    for status in (Status.SCREENING_BOOKED, Status.ACCEPTED):
        change_status(by=intake, referral_id=referral.pk, to=status)
    record_consent(
        by=staff[Role.NURSE],
        patient=patient,
        kind=ConsentKind.SHARE_WITH_REFERRER,
        text_version=CONSENT_VERSION,
        signed_name=patient.display_name,
    )
