"""meta.lastUpdated is the record's last change (its history, its later columns), and the
_lastUpdated search filters on that same moment."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kapclinic.care.services import withdraw_consent
from kapclinic.fhir.resources.base import instant
from kapclinic.patients.models import Patient
from kapclinic.scheduling.models import Appointment
from kapclinic.scheduling.services import cancel, record_attendance

pytestmark = pytest.mark.django_db


def _found(reader: Any, resource_type: str, resource_id: str, when: str) -> bool:
    bundle = reader.ok(resource_type, {"_id": resource_id, "_lastUpdated": when})
    return bundle["total"] == 1


def test_a_patient_amended_is_updated_at_the_amendment(network: Any, api: Any) -> None:
    patient = network["patient_a"]
    past = (timezone.now() - timedelta(days=30)).replace(microsecond=0)
    Patient.objects.filter(pk=patient.pk).update(created_at=past)
    Patient.history.filter(id=patient.pk).update(history_date=past)
    reader = api(network["physician"])
    resource_id = str(patient.pk)
    assert reader.ok(f"Patient/{resource_id}")["meta"]["lastUpdated"] == instant(past)
    assert _found(reader, "Patient", resource_id, past.date().isoformat())
    assert not _found(reader, "Patient", resource_id, f"gt{past.date().isoformat()}")

    patient.refresh_from_db()
    patient.phone = "514-555-0199"
    patient.save()  # an amendment: a new row of its history
    amended = Patient.history.filter(id=patient.pk).latest("history_date").history_date
    assert reader.ok(f"Patient/{resource_id}")["meta"]["lastUpdated"] == instant(amended)
    assert _found(reader, "Patient", resource_id, f"gt{past.date().isoformat()}")
    assert not _found(reader, "Patient", resource_id, f"lt{past.date().isoformat()}")


def test_a_withdrawn_consent_is_updated_at_the_withdrawal(ready: dict[str, Any], api: Any) -> None:
    consent = ready["recording_consent"]
    reader = api(ready["physician"])
    given = reader.ok(f"Consent/{consent.pk}")["meta"]["lastUpdated"]
    assert given == instant(consent.given_at)
    withdraw_consent(by=ready["physician"], consent=consent, reason="Changed their mind")
    withdrawn = reader.ok(f"Consent/{consent.pk}")
    assert withdrawn["status"] == "inactive"
    assert withdrawn["meta"]["lastUpdated"] == instant(consent.withdrawn_at)
    assert _found(reader, "Consent", str(consent.pk), f"ge{withdrawn['meta']['lastUpdated']}")


@pytest.mark.parametrize("change", ["attended", "no_show", "cancelled"])
def test_an_appointment_is_updated_at_its_status_change(
    ready: dict[str, Any], api: Any, change: str
) -> None:
    attendance = ready["attendance"]
    past = (timezone.now() - timedelta(days=30)).replace(microsecond=0)
    Appointment.objects.filter(pk=attendance.appointment_id).update(booked_at=past)
    reader = api(ready["physician"])
    resource_id = str(attendance.pk)
    assert reader.ok(f"Appointment/{resource_id}")["meta"]["lastUpdated"] == instant(past)
    assert not _found(reader, "Appointment", resource_id, f"gt{past.date().isoformat()}")

    if change == "cancelled":
        cancel(by=ready["intake"], appointment_id=attendance.appointment_id, reason="Sick")
    else:
        record_attendance(by=ready["nurse"], attendance_id=attendance.pk, status=change)
    attendance.refresh_from_db()
    assert attendance.updated_at is not None and attendance.updated_at > past
    changed = reader.ok(f"Appointment/{resource_id}")
    assert changed["status"] == {"attended": "fulfilled", "no_show": "noshow"}.get(change, change)
    assert changed["meta"]["lastUpdated"] == instant(attendance.updated_at)
    assert _found(reader, "Appointment", resource_id, f"gt{past.date().isoformat()}")
    assert _found(reader, "Appointment", resource_id, f"ge{changed['meta']['lastUpdated']}")
