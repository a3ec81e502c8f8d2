"""A patient of Montreal enrolled in the Standard program, with its measurement schedule
seeded (again after a transactional flush), and a way to book their ketamine sessions."""

import importlib
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from kapclinic.care.models import Enrolment
from kapclinic.care.services import enrol
from kapclinic.scheduling.models import Appointment, Attendance
from kapclinic.screening.models import QuestionnaireResponse, Source
from tests.factories import RoomFactory, appointment_types, seeded_programs, signed_eligible


def seed_schedule() -> None:
    importlib.import_module("kapclinic.outcomes.migrations.0002_seed_schedule").seed(apps, None)


@pytest.fixture
def programs(db: None) -> dict[str, Any]:
    found = seeded_programs()
    seed_schedule()
    return found


@pytest.fixture
def enrolled(network: dict[str, Any], programs: dict[str, Any]) -> Enrolment:
    patient = network["patient_a"]
    patient.email = "canary@example.test"
    patient.save()
    signed_eligible(patient)
    return enrol(by=network["intake"], patient=patient, program=programs["standard"])


def book_session(enrolment: Enrolment, starts_at: datetime, clinician: Any) -> Attendance:
    """A ketamine session for the enrolment, written directly (booking rules are not tested
    here)."""
    dosing = appointment_types()["ketamine-session"]
    room = RoomFactory(clinic=enrolment.patient.clinic, dosing_capable=True)
    ends_at = starts_at + timedelta(minutes=dosing.duration_minutes)
    appointment = Appointment.objects.create(
        clinic=room.clinic,
        type=dosing,
        room=room,
        clinician=clinician,
        starts_at=starts_at,
        ends_at=ends_at,
        booked_by=clinician,
    )
    return Attendance.objects.create(
        appointment=appointment,
        patient=enrolment.patient,
        enrolment=enrolment,
        starts_at=starts_at,
        ends_at=ends_at,
    )


def answered(patient: Any, instrument: str, total: int, at: datetime | None = None) -> Any:
    """A stored response with this total (answers spread over the items), at `at`."""
    from kapclinic.clinical.instruments import get_instrument, score

    items = get_instrument(instrument).items
    answers = []
    left = total
    for item in items:
        top = max(item.allowed_values)
        value = min(left, top) if instrument != "PHQ-9" or item.number != 9 else 0
        answers.append(value)
        left -= value
    result = score(instrument, answers)
    return QuestionnaireResponse.objects.create(
        patient=patient,
        instrument=instrument,
        answers=answers,
        total=result.total,
        band=result.band,
        flags=sorted(result.flags),
        source=Source.STAFF,
        submitted_at=at or timezone.now(),
    )
