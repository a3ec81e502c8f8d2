"""A Montreal clinic with a patient ready for a ketamine session today: enrolled and at the
Experience stage, both
consents given, a signed sublingual order, a lot of tablets in the register, and the
session's appointment booked for this morning."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from freezegun import freeze_time

from kapclinic.care.models import Consent, ConsentKind, Enrolment
from kapclinic.clinical.journey import Stage
from kapclinic.dosing import ordering, services
from kapclinic.dosing.models import DosingSession
from kapclinic.register.models import Product, ProductForm
from kapclinic.register.services import receive_stock
from kapclinic.scheduling.models import Appointment, Attendance
from tests.factories import RoomFactory, UserFactory, appointment_types, seeded_programs

BASELINE = {"systolic": 122, "diastolic": 78, "pulse": 72, "spo2": 98, "respiratory_rate": 14}


def book_session(setup: dict[str, Any], patient: Any, starts_at: Any = None) -> Attendance:
    """A booked ketamine-session attendance (rows written directly: booking is tested elsewhere)."""
    starts_at = starts_at or timezone.now() - timedelta(minutes=30)
    appointment = Appointment.objects.create(
        clinic=setup["montreal"],
        type=setup["types"]["ketamine-session"],
        room=setup["dosing_room"],
        clinician=setup["therapist"],
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        booked_by=setup["intake"],
    )
    return Attendance.objects.create(
        appointment=appointment,
        patient=patient,
        enrolment=patient.enrolments.first(),
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
    )


def consent(setup: dict[str, Any], kind: str) -> Consent:
    return Consent.objects.create(
        patient=setup["patient_a"],
        kind=kind,
        text_version="2026.1",
        signed_name="Canary Zzyzx-Patient",
        recorded_by=setup["nurse"],
    )


@pytest.fixture
def ready(network: dict[str, Any]) -> dict[str, Any]:
    setup = dict(network)
    montreal = network["montreal"]
    setup["dosing_room"] = RoomFactory(clinic=montreal, name="Calm room", dosing_capable=True)
    setup["types"] = appointment_types()
    programs = seeded_programs()
    setup["director"] = UserFactory(
        role="physician", is_medical_director=True, clinics=[montreal], full_name="Dr Director"
    )
    setup["enrolment"] = Enrolment.objects.create(
        patient=network["patient_a"],
        program=next(p for p in programs.values() if not p.requires_community_support),
        enrolled_by=network["physician"],
        # Written directly: the moves that lead to Experience are tested in tests/care.
        stage=Stage.EXPERIENCE,
    )
    setup["treatment_consent"] = consent(setup, ConsentKind.TREATMENT)
    setup["recording_consent"] = consent(setup, ConsentKind.RECORDING)
    setup["order"] = ordering.sign_order(
        by=network["physician"],
        patient=network["patient_a"],
        route="sublingual_rdt",
        dose_mg=Decimal(100),
        expires_on=date.today() + timedelta(days=90),
    )
    product = Product.objects.create(
        name="Ketamine RDT",
        form=ProductForm.RAPID_DISSOLVING_TABLET,
        strength_mg=100,
        unit="tablet",
    )
    setup["receipt"] = receive_stock(
        by=network["clinic_admin"],
        clinic=montreal,
        product=product,
        lot_number="RDT-1",
        expiry=date.today() + timedelta(days=200),
        supplier="Compounding pharmacy",
        invoice="INV-1",
        quantity_mg=1000,
    )
    setup["lot"] = setup["receipt"].lot
    setup["attendance"] = book_session(setup, network["patient_a"])
    return setup


def checked_in(ready: dict[str, Any]) -> DosingSession:
    return services.check_in(by=ready["nurse"], attendance=ready["attendance"])


def with_checks(ready: dict[str, Any], **changes: Any) -> DosingSession:
    session = checked_in(ready)
    fields = {
        "fasted_as_instructed": True,
        "ride_home_arranged": True,
        "pregnancy_attestation": "not_pregnant",
        "baseline": BASELINE,
    } | changes
    return services.record_pre_dose_facts(by=ready["nurse"], session_id=session.pk, **fields)


def cleared(ready: dict[str, Any]) -> DosingSession:
    session = with_checks(ready)
    return services.clear_to_dose(by=ready["nurse"], session_id=session.pk)


def dosed(ready: dict[str, Any], minutes_ago: int = 0) -> DosingSession:
    """Dosed `minutes_ago`: the check-in and clearing happened 20 minutes before that."""
    with freeze_time(timezone.now() - timedelta(minutes=minutes_ago + 20)):
        session = cleared(ready)
    services.record_dose(
        by=ready["nurse"],
        session_id=session.pk,
        given_at=timezone.now() - timedelta(minutes=minutes_ago),
        dose_mg=100,
        lot=ready["lot"],
    )
    session.refresh_from_db()
    return session
