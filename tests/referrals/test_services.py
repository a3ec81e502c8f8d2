"""Receiving a referral, the 24-hour clock, contact attempts and status changes."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from freezegun import freeze_time

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.patients.models import CareRole, Patient
from kapclinic.referrals.errors import ReferralError, WrongStatus
from kapclinic.referrals.models import ContactAttempt, ReferralStatusChange, Status
from kapclinic.referrals.services import change_status, record_contact_attempt, save_referral
from tests.factories import PatientFactory, condition, referral_input


def submit(referrer: Any, **overrides: Any) -> Any:
    return save_referral(
        by=referrer.user,
        referrer=referrer,
        details=referral_input(**overrides),
        attachments=[],
        submit=True,
    )


def test_a_submitted_referral_is_numbered_clocked_and_linked(
    referrer: Any, network: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with freeze_time("2026-11-23 14:00:00Z"), django_capture_on_commit_callbacks():
        referral = submit(referrer)
    assert referral.number == f"R2026-{referral.pk:06d}"
    assert referral.status == Status.RECEIVED
    assert referral.received_at == datetime(2026, 11, 23, 14, tzinfo=UTC)
    assert referral.contact_due_at == datetime(2026, 11, 24, 14, tzinfo=UTC)
    patient = referral.patient
    assert (patient.legal_family_name, patient.health_number) == ("Fortin", "FORL90540512")
    assert patient.care_team.get(user=referrer.user).care_role == CareRole.REFERRER
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(referral.pk)).exists()


def test_the_referrer_gets_an_acknowledgement_with_a_pdf_letter(
    referrer: Any, network: dict[str, Any], django_capture_on_commit_callbacks: Any, run_worker: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        referral = submit(referrer)
    run_worker()
    acknowledgement = next(m for m in mail.outbox if m.attachments)
    assert acknowledgement.to == [referrer.email]
    name, content, content_type = acknowledgement.attachments[0]
    assert (name, content_type) == (f"{referral.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")


def test_a_known_patient_is_linked_not_duplicated(referrer: Any, network: dict[str, Any]) -> None:
    known = PatientFactory(
        clinic=network["montreal"],
        health_number_province="QC",
        health_number="FORL90540512",
        date_of_birth=date(1990, 4, 5),
    )
    referral = submit(referrer, given_name="Lea")
    assert referral.patient == known and referral.proposed_patient is None
    assert Patient.objects.filter(health_number="FORL90540512").count() == 1
    assert known.care_team.filter(user=referrer.user, care_role=CareRole.REFERRER).exists()


def test_under_age_and_pregnant_referrals_are_received_with_flags(
    referrer: Any, network: dict[str, Any]
) -> None:
    eighteen = datetime.now(UTC).date().replace(year=datetime.now(UTC).year - 18) - timedelta(
        days=2
    )
    referral = submit(
        referrer,
        province="BC",
        health_number="",
        date_of_birth=eighteen,
        contraindications=["pregnant_or_nursing"],
    )
    assert referral.status == Status.RECEIVED
    assert set(referral.flags) == {"under_minimum_age", "pregnant_or_nursing"}


def test_a_condition_under_development_goes_to_the_interest_list(
    referrer: Any, network: dict[str, Any]
) -> None:
    referral = submit(referrer, condition=condition("chronic_pain"))
    assert referral.status == Status.INTEREST_LIST
    assert referral.contact_due_at is None


def test_the_clock_is_24_real_hours_across_the_fall_back_in_vancouver(
    referrer: Any, network: dict[str, Any]
) -> None:
    # 20:00 in Vancouver on Saturday 31 October 2026; clocks fall back at 02:00 on 1 November.
    received = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
    with freeze_time(received):
        referral = submit(referrer, province="BC", health_number="9698658215")
    due_local = referral.contact_due_at.astimezone(referral.clinic.tzinfo)
    assert referral.contact_due_at - referral.received_at == timedelta(hours=24)
    assert (due_local.day, due_local.hour) == (1, 19)  # 19:00 PST, 24 elapsed hours later


def test_only_a_successful_attempt_stops_the_clock(referrer: Any, network: dict[str, Any]) -> None:
    referral = submit(referrer)
    coordinator = network["intake"]
    record_contact_attempt(
        by=coordinator, referral_id=referral.pk, method="phone", outcome="no_answer"
    )
    referral.refresh_from_db()
    assert (referral.status, referral.first_contact_at) == (Status.RECEIVED, None)
    record_contact_attempt(
        by=coordinator, referral_id=referral.pk, method="phone", outcome="reached"
    )
    record_contact_attempt(
        by=coordinator, referral_id=referral.pk, method="email", outcome="reached"
    )
    referral.refresh_from_db()
    assert referral.status == Status.CONTACTED
    assert referral.contacted_in_time
    assert ContactAttempt.objects.filter(referral=referral).count() == 3
    assert (
        ReferralStatusChange.objects.filter(referral=referral, to_status=Status.CONTACTED).count()
        == 1
    )


def test_declining_needs_a_reason_and_follows_the_allowed_paths(
    referrer: Any, network: dict[str, Any]
) -> None:
    referral = submit(referrer)
    with pytest.raises(ReferralError, match=r"Give the reason for the status Declined"):
        change_status(by=network["intake"], referral_id=referral.pk, to=Status.DECLINED)
    with pytest.raises(WrongStatus, match="cannot become Accepted"):
        change_status(by=network["intake"], referral_id=referral.pk, to=Status.ACCEPTED)
    change_status(
        by=network["intake"], referral_id=referral.pk, to=Status.DECLINED, reason="moved away"
    )
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == (Status.DECLINED, "moved away")


def test_the_referrer_is_told_of_each_status_change(
    referrer: Any, network: dict[str, Any], django_capture_on_commit_callbacks: Any, run_worker: Any
) -> None:
    referral = submit(referrer)
    with django_capture_on_commit_callbacks(execute=True):
        record_contact_attempt(
            by=network["intake"], referral_id=referral.pk, method="phone", outcome="reached"
        )
    run_worker()
    assert any(referral.number in m.subject and "Contacted" in m.body for m in mail.outbox)


def test_the_submission_needs_the_patients_agreement(
    referrer: Any, network: dict[str, Any]
) -> None:
    with pytest.raises(ReferralError, match="agreed to be referred"):
        submit(referrer, patient_agreed=False)
