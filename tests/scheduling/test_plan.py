"""Booking a program's plan: every appointment inside the window, in order, within hours."""

import itertools
from datetime import timedelta
from typing import Any

import pytest

from kapclinic.care.services import enrol
from kapclinic.scheduling.models import Appointment, Availability
from kapclinic.scheduling.plans import book_plan, propose_plan
from kapclinic.scheduling.services import BookingError
from tests.factories import PatientFactory, signed_eligible


@pytest.fixture
def enrolment(clinic: dict[str, Any]) -> Any:
    signed_eligible(clinic["patient_a"])
    return enrol(
        by=clinic["intake"], patient=clinic["patient_a"], program=clinic["programs"]["standard"]
    )


def test_the_standard_plan_is_booked_inside_its_window_in_order(
    clinic: dict[str, Any], enrolment: Any
) -> None:
    start = clinic["monday"]
    booked = book_plan(by=clinic["intake"], enrolment=enrolment, start=start)
    program = clinic["programs"]["standard"]
    assert len(booked) == (
        program.preparation_sessions + program.dosing_sessions + program.integration_sessions
    )
    tz = clinic["montreal"].tzinfo
    days = [a.starts_at.astimezone(tz).date() for a in booked]
    assert days == sorted(days) and len(set(days)) == len(days)
    assert start <= days[0] and days[-1] < start + timedelta(weeks=program.max_weeks)
    kinds = [a.type.kind for a in booked]
    assert kinds[:2] == ["preparation", "preparation"]
    assert kinds[2:] == ["dosing", "integration"] * 4
    dosing = [a for a in booked if a.type.kind == "dosing"]
    assert all(a.room.dosing_capable for a in dosing)
    gaps = [(b.starts_at - a.starts_at).days for a, b in itertools.pairwise(dosing)]
    assert min(gaps) >= program.days_between_dosing
    for a in booked:
        local = a.starts_at.astimezone(tz)
        assert local.hour >= 9 and a.ends_at.astimezone(tz).hour <= 17
        assert a.attendances.get().enrolment == enrolment


def test_the_plan_prefers_the_patients_own_therapist(
    clinic: dict[str, Any], enrolment: Any
) -> None:
    slots = propose_plan(enrolment, clinic["monday"])
    assert {slot.clinician_id for slot in slots} == {clinic["therapist"].pk}


def test_the_plan_works_around_existing_bookings(clinic: dict[str, Any], enrolment: Any) -> None:
    first = propose_plan(enrolment, clinic["monday"])
    book_plan(by=clinic["intake"], enrolment=enrolment, start=clinic["monday"])
    other_patient = PatientFactory(clinic=clinic["montreal"])
    signed_eligible(other_patient)
    other = enrol(
        by=clinic["intake"],
        patient=other_patient,
        program=clinic["programs"]["standard"],
    )
    second = book_plan(by=clinic["intake"], enrolment=other, start=clinic["monday"])
    assert len(second) == len(first)
    assert Appointment.objects.count() == 2 * len(first)


def test_a_plan_that_does_not_fit_is_refused_naming_the_step_and_books_nothing(
    clinic: dict[str, Any], enrolment: Any
) -> None:
    # Only Mondays: two preparation Mondays, then a session or an integration a week, so the
    # third ketamine session falls past the 6-week window.
    Availability.objects.exclude(weekday=0).delete()
    with pytest.raises(BookingError, match="No time was found for Ketamine session 3 between"):
        book_plan(by=clinic["intake"], enrolment=enrolment, start=clinic["monday"])
    assert Appointment.objects.count() == 0


def test_a_second_plan_is_refused_while_the_first_is_booked(
    clinic: dict[str, Any], enrolment: Any
) -> None:
    book_plan(by=clinic["intake"], enrolment=enrolment, start=clinic["monday"])
    with pytest.raises(BookingError, match="already has 10 booked appointments"):
        book_plan(by=clinic["intake"], enrolment=enrolment, start=clinic["monday"])
