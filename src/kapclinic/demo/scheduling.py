"""Demo scheduling: clinicians' hours and credentials, and two patients per clinic enrolled in
the Standard program with their plan booked from next Monday (the first one has a portal login).

Idempotent: hours, credentials and enrolments are only added where missing.
"""

from datetime import date, time, timedelta

from django.conf import settings

from kapclinic.accounts.models import Credential, User
from kapclinic.accounts.roles import CLINICIAN_ROLES, Role
from kapclinic.care.models import ProgramTemplate
from kapclinic.care.services import enrol
from kapclinic.clinics.models import Clinic, Condition
from kapclinic.patients.models import Patient
from kapclinic.scheduling.models import Availability
from kapclinic.scheduling.plans import book_plan
from kapclinic.screening.models import Decision
from kapclinic.screening.selectors import latest_decision
from kapclinic.screening.workflow import sign_determination, start_screening

ENROLLED_PER_CLINIC = 2


# The body that licenses each clinician in the clinic's province: a name, the same in English
# and French (shown on receipts as the practitioner's college).
COLLEGES = {
    "QC": {Role.PHYSICIAN: "CMQ", Role.NURSE: "OIIQ", Role.THERAPIST: "OPQ"},
    "BC": {Role.PHYSICIAN: "CPSBC", Role.NURSE: "BCCNM", Role.THERAPIST: "CPBC"},
}


# Who checks a criminal record where the clinic is: the city's police service.
POLICE = {"QC": "SPVM", "BC": "VPD"}


def _issuer(clinic: Clinic, role: Role, kind: str) -> str:
    if kind == "licence":
        return COLLEGES[clinic.province][role]
    if kind == "criminal_record_check":
        return POLICE[clinic.province]
    return clinic.name  # the clinic's own code of ethics, attested there


def _hours_and_credentials(clinic: Clinic, staff: dict[Role, User], today: date) -> None:
    for role in [r for r in Role if r in CLINICIAN_ROLES]:
        user = staff[role]
        for weekday in range(5):
            Availability.objects.get_or_create(
                clinician=user, clinic=clinic, weekday=weekday, starts=time(9), ends=time(17)
            )
        for kind in settings.REQUIRED_CREDENTIALS.get(role, []):
            # The nurse's record check runs out in 45 days: it shows on the admin's list.
            soon = role == Role.NURSE and kind == "criminal_record_check"
            Credential.objects.get_or_create(
                user=user,
                kind=kind,
                defaults={
                    "issuer": _issuer(clinic, role, kind),
                    "number": "D-1001" if kind == "licence" else "",
                    "version": settings.ETHICS_CODE_VERSION,
                    "issued_on": today - timedelta(days=300),
                    "expires_on": today + timedelta(days=45 if soon else 400),
                    "recorded_by": staff[Role.CLINIC_ADMIN],
                },
            )


def sign_eligible(patient: Patient, physician: User) -> None:
    """Enrolment needs a signed eligible determination: screen and sign as a clinic would."""
    if latest_decision(patient) == Decision.ELIGIBLE:
        return
    screening = start_screening(
        by=physician, patient=patient, indication=Condition.objects.get(code="depression")
    )
    from kapclinic.demo.seed import DEMO_PASSWORD  # seed imports this module

    sign_determination(
        by=physician, screening=screening, decision=Decision.ELIGIBLE, password=DEMO_PASSWORD
    )


def seed_scheduling(key: str, clinic: Clinic, staff: dict[Role, User]) -> User | None:
    """Returns the demo patient's portal account (Montreal's first enrolled patient)."""
    today = clinic.today()
    _hours_and_credentials(clinic, staff, today)
    standard = ProgramTemplate.objects.get(code="standard")
    monday = today + timedelta(days=7 - today.weekday())
    portal_user = None
    patients = Patient.objects.filter(clinic=clinic).order_by("id")[:ENROLLED_PER_CLINIC]
    for n, patient in enumerate(patients):
        if n == 0:
            portal_user = _portal_login(key, patient)
        if patient.enrolments.exists():
            continue
        sign_eligible(patient, staff[Role.PHYSICIAN])
        enrolment = enrol(by=staff[Role.INTAKE], patient=patient, program=standard)
        book_plan(by=staff[Role.INTAKE], enrolment=enrolment, start=monday + timedelta(days=n))
    return portal_user


def _portal_login(key: str, patient: Patient) -> User:
    from kapclinic.demo.seed import DEMO_PASSWORD

    if patient.user is None:
        patient.user = User.objects.create_user(
            email=f"patient.{key}@demo.kapclinic.test",
            password=DEMO_PASSWORD,
            full_name=patient.display_name,
            role=Role.PATIENT,
            language=patient.preferred_language,
            mfa_exempt=True,
        )
        patient.save(update_fields=["user"])
    return patient.user
