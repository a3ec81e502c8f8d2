"""The demo network: complete, valid, and seeded only once however often it runs."""

import pytest

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import STAFF_ROLES
from kapclinic.clinical.health_numbers import validate_health_number
from kapclinic.clinics.models import Clinic
from kapclinic.patients.models import Patient
from kapclinic.web.demo import seed_demo


@pytest.mark.django_db
def test_the_demo_seeds_every_role_at_both_clinics_and_30_patients() -> None:
    seed_demo()
    assert {c.province for c in Clinic.objects.select_related("jurisdiction")} == {"QC", "BC"}
    for clinic in Clinic.objects.all():
        roles = set(User.objects.filter(clinics=clinic).values_list("role", flat=True))
        assert roles == set(STAFF_ROLES)
    patients = list(Patient.objects.all())
    assert len(patients) == 30
    for patient in patients:
        province = patient.health_number_province
        assert validate_health_number(province, patient.health_number) == patient.health_number


@pytest.mark.django_db
def test_a_second_run_adds_nothing() -> None:
    seed_demo()
    counts = (User.objects.count(), Patient.objects.count(), Clinic.objects.count())
    seed_demo()
    assert (User.objects.count(), Patient.objects.count(), Clinic.objects.count()) == counts
