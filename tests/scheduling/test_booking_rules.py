"""Booking a ketamine session: only for a patient signed eligible and enrolled."""

from datetime import datetime, time
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from kapclinic.care.models import Enrolment
from kapclinic.clinical.journey import Stage
from kapclinic.scheduling.models import Appointment
from kapclinic.scheduling.services import BookingError, book_appointment
from tests.factories import PatientFactory, UserFactory, signed_eligible


def ketamine(clinic: dict[str, Any], patient: Any, hour: int = 9) -> Appointment:
    return book_appointment(
        by=clinic["intake"],
        type=clinic["types"]["ketamine-session"],
        room=clinic["dosing_room"],
        clinician=clinic["therapist"],
        starts_at=datetime.combine(clinic["monday"], time(hour), clinic["montreal"].tzinfo),
        patients=[patient],
    )


def screening(clinic: dict[str, Any], patient: Any) -> Appointment:
    return book_appointment(
        by=clinic["intake"],
        type=clinic["types"]["medical-screening"],
        room=clinic["office"],
        clinician=clinic["physician"],
        starts_at=datetime.combine(clinic["monday"], time(10), clinic["montreal"].tzinfo),
        patients=[patient],
    )


def test_a_ketamine_session_is_refused_before_eligibility_and_enrolment(
    clinic: dict[str, Any],
) -> None:
    patient = PatientFactory(clinic=clinic["montreal"])
    with pytest.raises(BookingError) as refused:
        ketamine(clinic, patient)
    message = refused.value.message
    assert "A physician has not signed the eligibility determination." in message
    assert "The patient is not enrolled in a program." in message
    signed_eligible(patient)
    with pytest.raises(BookingError) as refused:
        ketamine(clinic, patient)
    assert "eligibility" not in refused.value.message
    assert "The patient is not enrolled in a program." in refused.value.message
    assert Appointment.objects.count() == 0


def test_a_newer_not_eligible_determination_or_an_ended_program_refuses_it(
    clinic: dict[str, Any],
) -> None:
    patient = clinic["patient_a"]  # signed eligible and enrolled by the fixture
    signed_eligible(patient, decision="not_eligible")
    with pytest.raises(BookingError, match=r"The latest determination is not eligible\."):
        ketamine(clinic, patient)
    other = PatientFactory(clinic=clinic["montreal"])
    signed_eligible(other)
    Enrolment.objects.create(
        patient=other,
        program=clinic["programs"]["standard"],
        enrolled_by=clinic["physician"],
        stage=Stage.DISCHARGED,
    )
    with pytest.raises(BookingError, match="program has ended"):
        ketamine(clinic, other)


def test_consent_and_preparation_are_not_asked_at_booking(clinic: dict[str, Any]) -> None:
    """They come between booking and the session; check-in (Experience) still needs them."""
    enrolment = clinic["patient_a"].enrolments.get()
    assert enrolment.stage == Stage.CONNECT and enrolment.preparation_done_at is None
    assert ketamine(clinic, clinic["patient_a"]).pk


def test_other_appointments_need_no_enrolment(clinic: dict[str, Any]) -> None:
    assert screening(clinic, PatientFactory(clinic=clinic["montreal"])).pk


def test_the_refusal_is_shown_in_french_on_the_page(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    patient = PatientFactory(clinic=clinic["montreal"])
    intake = UserFactory(role="intake", clinics=[clinic["montreal"]], language="fr")
    client = login(client, intake)
    with translation.override("fr"):
        response = client.post(
            reverse("scheduling:book", kwargs={"patient_id": patient.pk}),
            {
                "type": clinic["types"]["ketamine-session"].pk,
                "clinician": clinic["therapist"].pk,
                "room": clinic["dosing_room"].pk,
                "day": clinic["monday"].isoformat(),
                "at": "09:00",
            },
            follow=True,
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Le patient n’est inscrit à aucun programme." in page  # noqa: RUF001
    assert "Une séance de kétamine ne peut pas encore être réservée" in page
    assert Appointment.objects.count() == 0
