"""Booking the medical screening moves the patient's contacted referral to Screening booked,
and the referral page links to booking it."""

from typing import Any

import pytest
from django.urls import reverse

from kapclinic.referrals.models import ReferralStatusChange, Status
from tests.factories import PatientFactory, ReferralFactory
from tests.scheduling.test_booking_rules import ketamine, screening


def test_booking_the_screening_moves_a_contacted_referral_to_screening_booked(
    clinic: dict[str, Any],
) -> None:
    patient = PatientFactory(clinic=clinic["montreal"])
    referral = ReferralFactory(clinic=clinic["montreal"], patient=patient, status=Status.CONTACTED)
    screening(clinic, patient)
    referral.refresh_from_db()
    assert referral.status == Status.SCREENING_BOOKED
    change = ReferralStatusChange.objects.get(referral=referral)
    assert (change.from_status, change.to_status, change.by) == (
        Status.CONTACTED,
        Status.SCREENING_BOOKED,
        clinic["intake"],
    )


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.ACCEPTED, Status.DECLINED])
def test_other_referrals_stay_as_they_are(clinic: dict[str, Any], status: str) -> None:
    patient = PatientFactory(clinic=clinic["montreal"])
    referral = ReferralFactory(clinic=clinic["montreal"], patient=patient, status=status)
    screening(clinic, patient)
    referral.refresh_from_db()
    assert referral.status == status


def test_another_kind_of_appointment_does_not_move_the_referral(clinic: dict[str, Any]) -> None:
    patient = clinic["patient_a"]
    referral = ReferralFactory(clinic=clinic["montreal"], patient=patient, status=Status.CONTACTED)
    ketamine(clinic, patient)
    referral.refresh_from_db()
    assert referral.status == Status.CONTACTED


def test_the_referral_page_links_to_booking_the_screening(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    patient = PatientFactory(clinic=clinic["montreal"])
    referral = ReferralFactory(clinic=clinic["montreal"], patient=patient, status=Status.CONTACTED)
    client = login(client, clinic["intake"])
    page = client.get(reverse("referrals:detail", kwargs={"referral_id": referral.pk}))
    link = reverse("scheduling:patient", kwargs={"patient_id": patient.pk})
    assert f'href="{link}?kind=medical_screening#book"' in page.content.decode()
    booking = client.get(link, {"kind": "medical_screening"}).content.decode()
    screening_type = clinic["types"]["medical-screening"]
    assert f'<option value="{screening_type.pk}" selected>' in booking
    assert "This field is required" not in booking
