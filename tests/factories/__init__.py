"""factory-boy factories, one per model, shared by every test module."""

import importlib
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.clinics.models import Clinic, Condition, Jurisdiction, Room
from kapclinic.patients.models import CareRole, CareTeamMember, Patient, Sex
from kapclinic.referrals.inputs import ReferralInput
from kapclinic.referrals.models import Referral, Referrer
from kapclinic.screening.inputs import ScreeningInput
from kapclinic.screening.models import Screening

PASSWORD = "correct-horse-battery-staple"
# The rows migration 0002 seeds; a transactional test's flush removes them for later tests.
SEEDED = importlib.import_module("kapclinic.clinics.migrations.0002_jurisdictions").JURISDICTIONS


CONDITIONS = {
    row[0]: row
    for row in importlib.import_module("kapclinic.clinics.migrations.0004_conditions").CONDITIONS
}


def condition(code: str) -> Condition:
    """A catalogue condition, re-created if a transactional test's flush removed it."""
    _, name_en, name_fr, status = CONDITIONS[code]
    found, _ = Condition.objects.get_or_create(
        code=code, defaults={"name_en": name_en, "name_fr": name_fr, "status": status}
    )
    return found


def jurisdiction(province: str) -> Jurisdiction:
    found, _ = Jurisdiction.objects.get_or_create(
        province=province, defaults={"minimum_age": SEEDED[province]}
    )
    return found


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Clinic {n}")
    jurisdiction = factory.LazyFunction(lambda: jurisdiction("QC"))
    time_zone = "America/Toronto"
    address = "1 rue Test"
    city = "Montréal"
    postal_code = "H2X 1Y4"
    phone = "514-555-0000"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Room {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"User {n}")
    role = Role.INTAKE
    mfa_exempt = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def clinics(self, create: bool, extracted: list[Clinic] | None, **kwargs: object) -> None:
        if create and extracted:
            self.clinics.set(extracted)
        if create:
            self.save()


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    legal_given_name = factory.Sequence(lambda n: f"Given{n}")
    legal_family_name = factory.Sequence(lambda n: f"Family{n}")
    date_of_birth = date(1985, 6, 15)
    sex_at_birth = Sex.FEMALE


class CareTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareTeamMember

    patient = factory.SubFactory(PatientFactory)
    user = factory.SubFactory(UserFactory, role=Role.THERAPIST)
    care_role = CareRole.THERAPIST


class ReferrerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referrer

    user = factory.SubFactory(UserFactory, role=Role.REFERRER)
    full_name = factory.Sequence(lambda n: f"Dr Referrer {n}")
    profession = "gp"
    registration_number = factory.Sequence(lambda n: f"{10000 + n}")
    college = "CMQ"
    practice_address = "10 rue Saint-Denis, Montréal"
    phone = "514-555-0199"
    email = factory.LazyAttribute(lambda r: r.user.email if r.user else "fax@example.test")
    verified_at = factory.LazyFunction(timezone.now)


def referral_fields(**overrides: object) -> dict[str, object]:
    """What a referrer types into the e-referral form (service-level names)."""
    return {
        "given_name": "Léa",
        "family_name": "Fortin",
        "date_of_birth": date(1990, 4, 5),
        "province": "QC",
        "health_number": "FORL90540512",
        "phone": "514-555-0142",
        "email": "lea@example.test",
        "preferred_language": "fr",
        "condition": condition("depression"),
        "reason": "Depression resistant to two antidepressants.",
        "contraindications": [],
        "patient_agreed": True,
        **overrides,
    }


def referral_input(**overrides: Any) -> ReferralInput:
    """The same, as the e-referral form hands it to the services."""
    fields = referral_fields(**overrides)
    return ReferralInput(**{**fields, "contraindications": tuple(fields["contraindications"])})


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral already received (status received, clock running)."""

    class Meta:
        model = Referral

    clinic = factory.SubFactory(ClinicFactory)
    referrer = factory.SubFactory(ReferrerFactory)
    channel = "portal"
    status = "received"
    number = factory.Sequence(lambda n: f"R2026-{900000 + n}")
    given_name = "Canary"
    family_name = "Zzyzx-Patient"
    date_of_birth = date(1985, 6, 15)
    province = "QC"
    phone = "514-555-0100"
    condition = factory.LazyFunction(lambda: condition("depression"))
    reason = "Referral reason"
    patient_agreed = True
    received_at = factory.LazyFunction(timezone.now)
    contact_due_at = factory.LazyAttribute(lambda r: r.received_at + timedelta(hours=24))


def seeded_programs() -> dict[str, object]:
    """The program templates, consent texts and materials the care migrations seed (seeded
    again after a transactional flush), returning the programs by code."""
    from django.apps import apps

    from kapclinic.care.models import ProgramTemplate

    importlib.import_module("kapclinic.care.migrations.0002_programs").seed(apps, None)
    importlib.import_module("kapclinic.care.migrations.0004_program_descriptions").describe(
        apps, None
    )
    importlib.import_module("kapclinic.care.migrations.0006_seed_consents_and_materials").seed(
        apps, None
    )
    return {p.code: p for p in ProgramTemplate.objects.all()}


def appointment_types() -> dict[str, object]:
    """The appointment types migration 0002 seeds, by code."""
    from django.apps import apps

    from kapclinic.scheduling.models import AppointmentType

    importlib.import_module("kapclinic.scheduling.migrations.0002_appointment_types").seed(
        apps, None
    )
    return {t.code: t for t in AppointmentType.objects.all()}


def credential_all(user: User, *, expires_on: date | None = None) -> None:
    """Give `user` every credential their role requires, valid from a year ago."""
    from django.conf import settings

    from kapclinic.accounts.models import Credential

    for kind in settings.REQUIRED_CREDENTIALS.get(user.role, []):
        Credential.objects.create(
            user=user,
            kind=kind,
            issuer="Test college",
            number="12345",
            version=settings.ETHICS_CODE_VERSION,
            issued_on=date.today() - timedelta(days=365),
            expires_on=expires_on,
            recorded_by=user,
        )


def signed_eligible(patient: Patient, decision: str = "eligible") -> object:
    """A signed determination for the patient (enrolment needs an eligible one), written
    directly so no questionnaire is assigned and no referral moves."""
    from kapclinic.screening.models import Determination, Screening

    physician = UserFactory(role=Role.PHYSICIAN, clinics=[patient.clinic])
    screening = Screening.objects.create(
        patient=patient, indication=condition("depression"), created_by=physician
    )
    return Determination.objects.create(
        screening=screening, decision=decision, signed_by=physician, outcome="eligible", findings=[]
    )


def ready_to_book_dosing(patient: Patient, program: object = None) -> object:
    """Signed eligible and enrolled (at Connect), as a ketamine session's booking needs."""
    from kapclinic.care.models import Enrolment, ProgramTemplate

    signed_eligible(patient)
    program = program or ProgramTemplate.objects.filter(requires_community_support=False).first()
    return Enrolment.objects.create(
        patient=patient, program=program, enrolled_by=UserFactory(role=Role.PHYSICIAN)
    )


def screening_facts(screening: Screening, **changes: Any) -> ScreeningInput:
    """The screening's facts as they stand, with `changes`: what the form posts to amend it."""
    current = ScreeningInput(
        indication=screening.indication,
        pregnant=screening.pregnant,
        nursing=screening.nursing,
        history=tuple(screening.history),
        psychiatric_history=screening.psychiatric_history,
        medications=screening.medications,
        substance_use=screening.substance_use,
        systolic=screening.systolic,
        diastolic=screening.diastolic,
        pulse=screening.pulse,
        failed_antidepressant_trials=screening.failed_antidepressant_trials,
    )
    return replace(current, **changes)
