"""A Montreal clinic ready to book: two rooms (one for ketamine sessions), weekday hours
9:00-17:00 for the therapists, the physician and the nurse, and every credential valid."""

from datetime import date, time, timedelta
from typing import Any

import pytest

from kapclinic.scheduling.models import Availability
from tests.factories import (
    PatientFactory,
    RoomFactory,
    appointment_types,
    credential_all,
    ready_to_book_dosing,
    seeded_programs,
)


def next_monday(today: date | None = None) -> date:
    today = today or date.today()
    return today + timedelta(days=7 - today.weekday())


def ready_patient(**fields: Any) -> Any:
    """A new patient a ketamine session can be booked for (signed eligible, enrolled)."""
    patient = PatientFactory(**fields)
    ready_to_book_dosing(patient)
    return patient


@pytest.fixture
def clinic(network: dict[str, Any]) -> dict[str, Any]:
    montreal = network["montreal"]
    setup = dict(network)
    setup["office"] = RoomFactory(clinic=montreal, name="Office 1")
    setup["dosing_room"] = RoomFactory(clinic=montreal, name="Calm room", dosing_capable=True)
    setup["types"] = appointment_types()
    setup["programs"] = seeded_programs()
    for key in ("therapist", "therapist_2", "physician", "nurse"):
        credential_all(network[key])
        for weekday in range(5):
            Availability.objects.create(
                clinician=network[key],
                clinic=montreal,
                weekday=weekday,
                starts=time(9),
                ends=time(17),
            )
    # Ketamine sessions are booked in these tests: both patients are signed eligible, enrolled.
    for key in ("patient_a", "patient_b"):
        ready_to_book_dosing(network[key], setup["programs"]["standard"])
    setup["monday"] = next_monday()
    return setup
