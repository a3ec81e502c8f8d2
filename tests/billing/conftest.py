"""A fee schedule in Montreal (QC) and Vancouver (BC), and delivered services to invoice:
appointments written directly as attended (booking and attendance are tested elsewhere)."""

import importlib
import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from kapclinic.accounts.models import Credential, CredentialKind
from kapclinic.billing.models import FeeItem, TaxTreatment
from kapclinic.clinics.models import Clinic
from kapclinic.scheduling.models import Appointment, Attendance, Status
from tests.factories import PatientFactory, RoomFactory, UserFactory, appointment_types

REGISTRATION = "PSY-04217"
# Each delivered service an hour before the previous one: one therapist never overlaps.
_slots = itertools.count()


def sales_taxes() -> None:
    """The taxes migration 0002 seeds (again after a transactional test's flush)."""
    importlib.import_module("kapclinic.billing.migrations.0002_sales_taxes").seed(apps, None)


def fee_schedule(clinic: Clinic, types: dict[str, Any]) -> dict[str, FeeItem]:
    rows = [
        ("PREP", "preparation", "Preparation psychotherapy", "Psychothérapie de préparation",
         "180.00", True, TaxTreatment.EXEMPT),
        ("KAP", "ketamine-session", "Ketamine-assisted session", "Séance assistée par kétamine",
         "650.00", False, TaxTreatment.TAXABLE),
        ("INT", "integration", "Integration psychotherapy", "Psychothérapie d'intégration",
         "180.00", True, TaxTreatment.EXEMPT),
    ]  # fmt: skip
    return {
        code: FeeItem.objects.create(
            clinic=clinic,
            code=code,
            appointment_type=types[type_code],
            description_en=en,
            description_fr=fr,
            price=Decimal(price),
            claimable=claimable,
            tax_treatment=treatment,
        )
        for code, type_code, en, fr, price, claimable, treatment in rows
    }


def deliver(
    setup: dict[str, Any],
    *,
    type_code: str = "preparation",
    patient: Any = None,
    clinic: Any = None,
    days_ago: int = 2,
    status: str = Status.ATTENDED,
) -> Attendance:
    clinic = clinic or setup["montreal"]
    patient = patient or setup["patient_a"]
    starts = timezone.now() - timedelta(days=days_ago, minutes=61 * next(_slots))
    appointment = Appointment.objects.create(
        clinic=clinic,
        type=setup["types"][type_code],
        room=RoomFactory(clinic=clinic),
        clinician=setup["therapist"],
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        booked_by=setup["intake"],
        status=Status.CANCELLED if status == Status.CANCELLED else Status.BOOKED,
    )
    return Attendance.objects.create(
        appointment=appointment,
        patient=patient,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        status=status,
    )


def licence(user: Any, number: str = REGISTRATION) -> Credential:
    return Credential.objects.create(
        user=user,
        kind=CredentialKind.LICENCE,
        issuer="Ordre des psychologues du Québec",
        number=number,
        issued_on=date.today() - timedelta(days=400),
        recorded_by=user,
    )


@pytest.fixture
def billing(network: dict[str, Any]) -> dict[str, Any]:
    setup = dict(network)
    sales_taxes()
    setup["types"] = appointment_types()
    setup["therapist"].clinics.add(network["vancouver"])
    licence(setup["therapist"])
    setup["fees"] = fee_schedule(network["montreal"], setup["types"])
    setup["fees_bc"] = fee_schedule(network["vancouver"], setup["types"])
    setup["patient_bc"] = PatientFactory(clinic=network["vancouver"], email="bc@example.test")
    setup["patient_a"].email = "canary@example.test"
    setup["patient_a"].save()
    setup["billing_bc"] = UserFactory(role="billing", clinics=[network["vancouver"]])
    return setup
