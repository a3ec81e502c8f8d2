"""A second program cycle: linked to the first, and behind its own screening."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kapclinic.care.cycles import book_further_treatment
from kapclinic.care.errors import CareCode
from kapclinic.care.selectors import current_enrolment
from kapclinic.care.services import CareError
from tests.factories import seeded_programs, signed_eligible
from tests.groups.conftest import at_reconnect

pytestmark = pytest.mark.django_db


def _signed(patient: Any, *, days_ago: int, decision: str = "eligible") -> None:
    determination = signed_eligible(patient, decision)
    determination.signed_at = timezone.now() - timedelta(days=days_ago)
    determination.save()


def test_a_second_cycle_is_linked_to_the_first(network: dict[str, Any]) -> None:
    patient = network["patient_a"]
    _signed(patient, days_ago=90)
    first = at_reconnect(patient, network["physician"], days_ago=10)
    _signed(patient, days_ago=2)
    second = book_further_treatment(
        by=network["physician"], enrolment_id=first.pk, program=seeded_programs()["standard"]
    )
    assert second.previous_cycle == first
    assert second.stage == "connect"
    assert first.next_cycle == second
    assert current_enrolment(patient) == second


def test_the_first_cycles_screening_does_not_clear_a_second(network: dict[str, Any]) -> None:
    patient = network["patient_a"]
    _signed(patient, days_ago=90)
    first = at_reconnect(patient, network["physician"], days_ago=10)
    with pytest.raises(CareError, match="needs its own screening") as refused:
        book_further_treatment(
            by=network["physician"], enrolment_id=first.pk, program=seeded_programs()["standard"]
        )
    assert refused.value.code == CareCode.CYCLE_SCREENING_NEEDED
    assert current_enrolment(patient) == first


def test_a_new_screening_that_refuses_stops_the_second_cycle(network: dict[str, Any]) -> None:
    patient = network["patient_a"]
    first = at_reconnect(patient, network["physician"], days_ago=10)
    _signed(patient, days_ago=1, decision="not_eligible")
    with pytest.raises(CareError, match="not eligible"):
        book_further_treatment(
            by=network["physician"], enrolment_id=first.pk, program=seeded_programs()["standard"]
        )


def test_further_treatment_waits_for_the_end_of_the_program(network: dict[str, Any]) -> None:
    patient = network["patient_a"]
    first = at_reconnect(patient, network["physician"], days_ago=10)
    first.stage = "integrate"
    first.save()
    _signed(patient, days_ago=1)
    with pytest.raises(CareError, match="Reconnect stage"):
        book_further_treatment(
            by=network["physician"], enrolment_id=first.pk, program=seeded_programs()["standard"]
        )


def test_further_treatment_is_booked_once(network: dict[str, Any]) -> None:
    patient = network["patient_a"]
    first = at_reconnect(patient, network["physician"], days_ago=10)
    _signed(patient, days_ago=1)
    program = seeded_programs()["standard"]
    book_further_treatment(by=network["physician"], enrolment_id=first.pk, program=program)
    with pytest.raises(CareError, match="already booked"):
        book_further_treatment(by=network["physician"], enrolment_id=first.pk, program=program)
