"""Booking one appointment: each refusal names its reason; cancel, reschedule, no-show keep rows."""

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from kapclinic.accounts.models import Credential, CredentialKind
from kapclinic.audit.models import AuditEvent
from kapclinic.errors import Conflict, DomainError, NotFound
from kapclinic.scheduling.models import Appointment, Availability, Status
from kapclinic.scheduling.services import (
    BookingError,
    book_appointment,
    cancel,
    join_group,
    record_attendance,
    reschedule,
)
from tests.factories import PatientFactory
from tests.scheduling.conftest import ready_patient


def at(clinic: dict[str, Any], day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), clinic["montreal"].tzinfo)


def book(clinic: dict[str, Any], **overrides: Any) -> Appointment:
    fields = {
        "by": clinic["intake"],
        "type": clinic["types"]["ketamine-session"],
        "room": clinic["dosing_room"],
        "clinician": clinic["therapist"],
        "starts_at": at(clinic, clinic["monday"], 9),
        "patients": [clinic["patient_a"]],
    }
    return book_appointment(**(fields | overrides))


def test_a_ketamine_session_is_booked_and_audited(clinic: dict[str, Any]) -> None:
    appointment = book(clinic)
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=180)
    assert appointment.attendances.get().patient == clinic["patient_a"]
    assert AuditEvent.objects.filter(
        object_id=str(appointment.pk), patient=clinic["patient_a"], action="create"
    ).exists()


def test_a_ketamine_session_needs_a_dosing_room_a_therapist_and_working_hours(
    clinic: dict[str, Any],
) -> None:
    with pytest.raises(BookingError) as refused:
        book(
            clinic,
            room=clinic["office"],
            clinician=clinic["nurse"],
            starts_at=at(clinic, clinic["monday"], 16),
        )
    message = refused.value.message
    assert "led by a therapist" in message
    assert "Office 1 is not equipped for ketamine sessions" in message
    assert "not working at that time" in message
    assert Appointment.objects.count() == 0


def test_a_ketamine_session_needs_a_physician_or_nurse_on_site(clinic: dict[str, Any]) -> None:
    Availability.objects.filter(clinician__in=[clinic["physician"], clinic["nurse"]]).update(
        starts=time(13)
    )
    with pytest.raises(BookingError, match="No physician or nurse is on site"):
        book(clinic)
    assert book(clinic, starts_at=at(clinic, clinic["monday"], 13)).pk


def test_the_same_room_clinician_or_patient_is_never_booked_twice(clinic: dict[str, Any]) -> None:
    book(clinic)
    later = at(clinic, clinic["monday"], 11)
    with pytest.raises(BookingError, match="room is already booked"):
        book(clinic, clinician=clinic["therapist_2"], patients=[ready_patient()], starts_at=later)
    with pytest.raises(BookingError, match="clinician is already booked"):
        book(clinic, type=clinic["types"]["integration"], room=clinic["office"], starts_at=later)
    with pytest.raises(BookingError, match=r"Canary .* already booked"):
        book(
            clinic,
            type=clinic["types"]["integration"],
            room=clinic["office"],
            clinician=clinic["therapist_2"],
            starts_at=later,
        )
    # Back to back is not an overlap: the session ends at 12:00.
    assert book(clinic, starts_at=at(clinic, clinic["monday"], 12), patients=[ready_patient()])


def test_a_clinician_whose_check_expired_the_day_before_is_refused_by_name(
    clinic: dict[str, Any],
) -> None:
    monday = clinic["monday"]
    Credential.objects.filter(
        user=clinic["therapist"], kind=CredentialKind.CRIMINAL_RECORD_CHECK
    ).update(expires_on=monday - timedelta(days=1))
    with pytest.raises(DomainError) as refused:
        book(clinic)
    assert "Criminal record check missing or expired" in refused.value.message
    # Valid through its expiry date: a check expiring on the Tuesday still covers Tuesday.
    Credential.objects.filter(user=clinic["therapist"]).update(expires_on=monday + timedelta(1))
    assert book(clinic, starts_at=at(clinic, monday + timedelta(1), 9)).pk


def test_a_missing_or_outdated_ethics_attestation_blocks_booking(clinic: dict[str, Any]) -> None:
    Credential.objects.filter(kind=CredentialKind.ETHICS_ATTESTATION).update(version="2019")
    with pytest.raises(DomainError, match="Code of ethics attestation"):
        book(clinic)
    Credential.objects.filter(kind=CredentialKind.TRAUMA_TRAINING).update(entered_in_error=True)
    with pytest.raises(DomainError, match="Trauma-therapy training"):
        book(clinic)


def test_a_group_takes_people_up_to_its_capacity(clinic: dict[str, Any]) -> None:
    group_type = clinic["types"]["integration-group"]
    group_type.capacity = 2
    group_type.save()
    group = book(clinic, type=group_type, room=clinic["office"], patients=[])
    join_group(by=clinic["intake"], appointment_id=group.pk, patient=clinic["patient_a"])
    with pytest.raises(BookingError, match="already in the group"):
        join_group(by=clinic["intake"], appointment_id=group.pk, patient=clinic["patient_a"])
    here = clinic["montreal"]
    join_group(by=clinic["intake"], appointment_id=group.pk, patient=PatientFactory(clinic=here))
    with pytest.raises(BookingError, match="full"):
        join_group(
            by=clinic["intake"], appointment_id=group.pk, patient=PatientFactory(clinic=here)
        )
    assert group.attendances.count() == 2


def test_a_group_of_another_clinic_is_not_found(clinic: dict[str, Any]) -> None:
    """A patient joins only a group of their own clinic, whatever id is posted."""
    group = book(clinic, type=clinic["types"]["integration-group"], room=clinic["office"])
    with pytest.raises(NotFound):
        join_group(by=clinic["intake"], appointment_id=group.pk, patient=clinic["patient_b"])
    assert not group.attendances.filter(patient=clinic["patient_b"]).exists()


def test_cancel_and_reschedule_keep_the_old_appointment_with_its_reason(
    clinic: dict[str, Any],
) -> None:
    first = book(clinic)
    with pytest.raises(BookingError, match="reason"):
        cancel(by=clinic["intake"], appointment_id=first.pk, reason=" ")
    moved = reschedule(
        by=clinic["intake"],
        appointment_id=first.pk,
        starts_at=at(clinic, clinic["monday"] + timedelta(days=2), 10),
        reason="Patient asked for Wednesday",
    )
    first.refresh_from_db()
    assert (first.status, first.reason) == (Status.CANCELLED, "Patient asked for Wednesday")
    assert first.attendances.get().status == Status.CANCELLED
    assert (
        moved.rescheduled_from == first and moved.attendances.get().patient == clinic["patient_a"]
    )
    # The freed slot can be booked again.
    assert book(clinic, patients=[ready_patient()]).pk
    with pytest.raises(Conflict):
        cancel(by=clinic["intake"], appointment_id=first.pk, reason="again")


def test_a_no_show_is_recorded_once(clinic: dict[str, Any]) -> None:
    attendance = book(clinic).attendances.get()
    record_attendance(by=clinic["nurse"], attendance_id=attendance.pk, status=Status.NO_SHOW)
    attendance.refresh_from_db()
    assert attendance.status == Status.NO_SHOW
    with pytest.raises(Conflict, match="already recorded"):
        record_attendance(by=clinic["nurse"], attendance_id=attendance.pk, status=Status.ATTENDED)


def test_a_patient_who_came_is_still_busy_for_the_rest_of_the_session(
    clinic: dict[str, Any],
) -> None:
    came = book(clinic).attendances.get()
    record_attendance(by=clinic["nurse"], attendance_id=came.pk, status=Status.ATTENDED)
    at_eleven = {
        "type": clinic["types"]["integration"],
        "room": clinic["office"],
        "clinician": clinic["therapist_2"],
        "starts_at": at(clinic, clinic["monday"], 11),
    }
    with pytest.raises(BookingError, match=r"Canary .* already booked"):
        book(clinic, **at_eleven)
    # The room and the therapist were never the obstacle: a new patient fits at eleven.
    assert book(clinic, **at_eleven, patients=[ready_patient()])
