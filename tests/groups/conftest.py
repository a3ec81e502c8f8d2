"""Patients who finished a program (Reconnect), a therapist, a group."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kapclinic.care.models import Enrolment, JourneyTransition
from kapclinic.groups.services import NewGroup, open_group
from tests.factories import PatientFactory, seeded_programs


def at_reconnect(patient: Any, by: Any, *, days_ago: int = 1) -> Enrolment:
    """An enrolment that finished its program `days_ago` days ago (moved into Reconnect)."""
    enrolment = Enrolment.objects.create(
        patient=patient,
        program=seeded_programs()["standard"],
        enrolled_by=by,
        stage="reconnect",
        enrolled_at=timezone.now() - timedelta(days=days_ago + 70),
    )
    JourneyTransition.objects.create(
        enrolment=enrolment,
        from_stage="integrate",
        to_stage="reconnect",
        by=by,
        at=timezone.now() - timedelta(days=days_ago),
    )
    return enrolment


def finished_patients(clinic: Any, by: Any, count: int) -> list[Any]:
    patients = [PatientFactory(clinic=clinic) for _ in range(count)]
    for patient in patients:
        at_reconnect(patient, by)
    return patients


@pytest.fixture
def group(network: dict[str, Any]) -> Any:
    return open_group(
        by=network["physician"],
        group=NewGroup(
            clinic=network["montreal"],
            name="Thursday circle",
            facilitator=network["therapist"],
            capacity=2,
        ),
    )
