"""factory-boy factories, one per model, shared by every test module."""

import importlib
from datetime import date

import factory

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.clinics.models import Clinic, Jurisdiction, Room
from kapclinic.patients.models import CareRole, CareTeamMember, Patient, Sex

PASSWORD = "correct-horse-battery-staple"
# The rows migration 0002 seeds; a transactional test's flush removes them for later tests.
SEEDED = importlib.import_module("kapclinic.clinics.migrations.0002_jurisdictions").JURISDICTIONS


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
