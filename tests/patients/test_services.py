"""Registering patients: the duplicate rules, the health number, and the audit event."""

from datetime import date
from typing import Any

import pytest

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.errors import NotPermitted
from kapclinic.patients.errors import DuplicatePatient
from kapclinic.patients.inputs import PatientInput
from kapclinic.patients.models import Patient
from kapclinic.patients.services import register_patient
from tests.factories import PatientFactory

# A valid BC PHN (9 + 8 digits + mod-11 check digit), shared with the validator tests.
PHN = "9698658215"


def details(**overrides: Any) -> PatientInput:
    fields: dict[str, Any] = {
        "legal_given_name": "Hélène",
        "legal_family_name": "Côté",
        "date_of_birth": date(1980, 3, 4),
        "sex_at_birth": "female",
        **overrides,
    }
    return PatientInput(**fields)


def test_registering_writes_the_record_and_an_audit_event(network: dict[str, Any]) -> None:
    intake = network["intake"]
    patient = register_patient(by=intake, clinic=network["montreal"], details=details())
    assert Patient.objects.get(pk=patient.pk).legal_family_name == "Côté"
    event = AuditEvent.objects.get(action=Action.CREATE, patient=patient)
    assert (event.actor, event.role, event.object_type) == (intake, "intake", "patients.patient")


def test_the_health_number_is_stored_normalised(network: dict[str, Any]) -> None:
    patient = register_patient(
        by=network["intake"],
        clinic=network["vancouver"],
        details=details(health_number_province="BC", health_number="9698 658 215"),
    )
    assert patient.health_number == PHN


def test_the_same_health_number_is_refused_and_the_record_offered(network: dict[str, Any]) -> None:
    existing = PatientFactory(
        clinic=network["montreal"], health_number_province="BC", health_number=PHN
    )
    with pytest.raises(DuplicatePatient) as refused:
        register_patient(
            by=network["intake"],
            clinic=network["montreal"],
            details=details(health_number_province="BC", health_number=PHN),
            confirm_not_duplicate=True,
        )
    assert refused.value.certain
    assert refused.value.existing == [existing]
    assert str(refused.value) == "A patient with this health number already exists."


def test_same_name_and_birth_date_warns_ignoring_case_and_accents(network: dict[str, Any]) -> None:
    existing = PatientFactory(
        clinic=network["montreal"],
        legal_given_name="HELENE",
        legal_family_name="cote",
        date_of_birth=date(1980, 3, 4),
    )
    with pytest.raises(DuplicatePatient) as warned:
        register_patient(by=network["intake"], clinic=network["montreal"], details=details())
    assert not warned.value.certain
    assert warned.value.existing == [existing]


def test_confirming_a_different_person_creates_the_second_record(network: dict[str, Any]) -> None:
    PatientFactory(
        clinic=network["montreal"],
        legal_given_name="Hélène",
        legal_family_name="Côté",
        date_of_birth=date(1980, 3, 4),
    )
    register_patient(
        by=network["intake"],
        clinic=network["montreal"],
        confirm_not_duplicate=True,
        details=details(),
    )
    assert Patient.objects.filter(legal_family_name="Côté").count() == 2


def test_a_duplicate_in_another_clinic_is_refused_without_showing_it(
    network: dict[str, Any],
) -> None:
    PatientFactory(clinic=network["vancouver"], health_number_province="BC", health_number=PHN)
    with pytest.raises(DuplicatePatient) as refused:
        register_patient(
            by=network["intake"],
            clinic=network["montreal"],
            details=details(health_number_province="BC", health_number=PHN),
        )
    assert refused.value.existing == []


@pytest.mark.parametrize("role", ["billing", "therapist", "privacy_officer", "no_role"])
def test_roles_outside_intake_may_not_register(role: str, network: dict[str, Any]) -> None:
    with pytest.raises(NotPermitted):
        register_patient(by=network[role], clinic=network["montreal"], details=details())
    assert not Patient.objects.filter(legal_family_name="Côté").exists()
