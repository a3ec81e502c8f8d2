"""Ketamine sessions of one patient keep the minimum interval, at booking and in the plan
(issue 10, item 2); nothing is booked in the past, by any path (item 6)."""

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from kapclinic.care.services import enrol
from kapclinic.scheduling.models import Appointment
from kapclinic.scheduling.plans import propose_plan
from kapclinic.scheduling.services import BookingError, book_appointment, reschedule
from tests.factories import signed_eligible
from tests.scheduling.test_booking import at, book


@pytest.fixture
def enrolment(clinic: dict[str, Any]) -> Any:
    signed_eligible(clinic["patient_a"])  # enrolment needs a signed eligible determination
    return enrol(
        by=clinic["intake"], patient=clinic["patient_a"], program=clinic["programs"]["standard"]
    )


def test_a_second_ketamine_session_the_same_day_is_refused(clinic: dict[str, Any]) -> None:
    book(clinic)
    with pytest.raises(BookingError) as refused:
        book(
            clinic,
            clinician=clinic["therapist_2"],
            starts_at=at(clinic, clinic["monday"], 13),
        )
    assert "has a ketamine session at" in refused.value.message
    assert "ketamine sessions are at least 24 hours apart" in refused.value.message
    assert Appointment.objects.count() == 1


def test_the_interval_is_the_medical_directors_setting(
    clinic: dict[str, Any], settings: Any
) -> None:
    book(clinic)
    tuesday = clinic["monday"] + timedelta(days=1)
    settings.DOSING_MIN_INTERVAL_HOURS = 48
    with pytest.raises(BookingError, match="at least 48 hours apart"):
        book(clinic, starts_at=at(clinic, tuesday, 9))
    settings.DOSING_MIN_INTERVAL_HOURS = 24
    assert book(clinic, starts_at=at(clinic, tuesday, 9)).pk


def test_other_appointments_the_same_day_are_not_held_to_the_interval(
    clinic: dict[str, Any],
) -> None:
    book(clinic)
    integration = book(
        clinic,
        type=clinic["types"]["integration"],
        room=clinic["office"],
        clinician=clinic["therapist_2"],
        starts_at=at(clinic, clinic["monday"], 13),
    )
    assert integration.pk


def test_the_plan_keeps_ketamine_sessions_apart_from_one_already_booked(
    clinic: dict[str, Any], enrolment: Any
) -> None:
    first = next(
        s for s in propose_plan(enrolment, clinic["monday"]) if s.step.need.kind == "dosing"
    )
    booked_at = first.starts_at + timedelta(hours=4)
    book(clinic, starts_at=booked_at, clinician=clinic["therapist_2"])
    for slot in propose_plan(enrolment, clinic["monday"]):
        if slot.step.need.kind == "dosing":
            assert abs(slot.starts_at - booked_at) >= timedelta(hours=24)


def test_an_appointment_in_the_past_is_refused(clinic: dict[str, Any]) -> None:
    yesterday = timezone.now() - timedelta(days=1)
    with pytest.raises(BookingError, match="That time has already passed"):
        book(clinic, starts_at=yesterday)
    assert not Appointment.objects.exists()


def test_a_reschedule_into_the_past_is_refused_and_keeps_the_booking(
    clinic: dict[str, Any],
) -> None:
    appointment = book(clinic)
    with pytest.raises(BookingError, match="That time has already passed"):
        reschedule(
            by=clinic["intake"],
            appointment_id=appointment.pk,
            starts_at=timezone.now() - timedelta(hours=2),
            reason="Patient asked",
        )
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_a_plan_starting_in_the_past_is_refused(clinic: dict[str, Any], enrolment: Any) -> None:
    with pytest.raises(BookingError, match="The plan cannot start in the past"):
        propose_plan(enrolment, date.today() - timedelta(days=3))


def test_the_plan_never_proposes_a_time_already_gone_today(
    clinic: dict[str, Any], enrolment: Any
) -> None:
    today = clinic["montreal"].today()
    slots = propose_plan(enrolment, today)
    assert all(slot.starts_at >= timezone.now() for slot in slots)


def test_book_appointment_refuses_the_past_for_every_caller(clinic: dict[str, Any]) -> None:
    start = datetime.combine(date.today() - timedelta(days=7), time(10), clinic["montreal"].tzinfo)
    with pytest.raises(BookingError, match="That time has already passed"):
        book_appointment(
            by=clinic["intake"],
            type=clinic["types"]["integration"],
            room=clinic["office"],
            clinician=clinic["therapist"],
            starts_at=start,
            patients=[clinic["patient_a"]],
        )
