"""Vital-sign ingestion: readings per second through the nurse's path against a raw INSERT.

The service path is what the dosing screen's vitals form does on a POST: VitalsForm validates
the typed values, then dosing.monitoring.record_vitals (its own transaction: the session
locked, the reading checked against the limits, stored, audited, the audit event sealed after
the commit). The floor inserts the same reading with one raw INSERT in a transaction of its
own. Both run interleaved, in blocks, on one session in monitoring made for the purpose on the
benchmark database (a bench patient, a dose from the bench lot), so both see the same machine.
Called by bench/pages.py (`kapclinic bench run`); the readings stay in that database.
"""

import os
import time
from datetime import timedelta
from typing import Any

READINGS = int(os.environ.get("BENCH_VITALS", "600"))
BLOCK = 50
FLOOR_SQL = """INSERT INTO dosing_vitalsign (session_id, baseline, taken_at, systolic, diastolic,
                   pulse, spo2, respiratory_rate, alerts, recorded_by_id, recorded_at)
               VALUES (%s, false, %s, 120, 80, 72, 98, 14, '[]', %s, now())"""


def _monitoring_session() -> tuple[Any, Any]:
    """A session of a bench patient, dosed half an hour ago from the bench lot, in monitoring."""
    from django.db import transaction
    from django.utils import timezone

    from kapclinic.accounts.models import User
    from kapclinic.dosing.models import Administration, DosingSession
    from kapclinic.patients.models import Patient
    from kapclinic.register.models import Balance, LedgerEntry
    from kapclinic.scheduling.models import Appointment, AppointmentType, Attendance

    nurse = User.objects.get(email="nurse.mtl@demo.kapclinic.test")
    now = timezone.now()
    start, end = now - timedelta(hours=1), now + timedelta(hours=2)
    # Free in the session's window, so that the run can be repeated on the same database
    # (the schedule refuses a patient, a room or a clinician booked twice at once).
    overlapping = {"starts_at__lt": end, "ends_at__gt": start}
    busy_patients = Attendance.objects.filter(**overlapping).values("patient")
    busy = Appointment.objects.filter(**overlapping)
    patient = (
        Patient.objects.filter(email__startswith="bench")
        .exclude(pk__in=busy_patients)
        .order_by("pk")
        .first()
    )
    if patient is None:
        raise RuntimeError("No bench patient: run `kapclinic bench generate` first.")
    balance = Balance.objects.filter(clinic=patient.clinic, lot__number__startswith="BENCH").first()
    if balance is None:
        raise RuntimeError("No bench lot: run `kapclinic bench generate` first.")
    with transaction.atomic():
        if balance.quantity_mg < 100:  # a delivery first, as the generator does
            balance.quantity_mg += 50_000
            balance.save(update_fields=["quantity_mg"])
            LedgerEntry.objects.create(
                clinic=patient.clinic, lot=balance.lot, kind="receipt", quantity_mg=50_000,
                balance_after_mg=balance.quantity_mg, recorded_by=nurse, reference="BENCH-INGEST",
            )  # fmt: skip
        appointment = Appointment.objects.create(
            clinic=patient.clinic,
            type=AppointmentType.objects.get(code="ketamine-session"),
            room=patient.clinic.rooms.exclude(pk__in=busy.values("room")).order_by("pk").first(),
            clinician=User.objects.filter(clinics=patient.clinic, role__in=("nurse", "physician"))
            .exclude(pk__in=busy.values("clinician"))
            .order_by("pk")
            .first(),
            starts_at=start,
            ends_at=end,
            status="attended",
            booked_by=nurse,
        )
        attendance = Attendance.objects.create(
            appointment=appointment,
            patient=patient,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            status="attended",
        )
        session = DosingSession.objects.create(
            attendance=attendance,
            patient=patient,
            clinic=patient.clinic,
            state="monitoring",
            route="sublingual_rdt",
            fasted_as_instructed=True,
            ride_home_arranged=True,
            pregnancy_attestation="not_pregnant",
            created_at=now - timedelta(hours=1),
        )
        balance.quantity_mg -= 100
        balance.save(update_fields=["quantity_mg"])
        entry = LedgerEntry.objects.create(
            clinic=patient.clinic, lot=balance.lot, kind="administration", quantity_mg=-100,
            units=1, balance_after_mg=balance.quantity_mg, recorded_by=nurse,
            session_ref=str(session.pk),
        )  # fmt: skip
        Administration.objects.create(
            session=session, given_at=now - timedelta(minutes=30), dose_mg=100, units=1,
            route="sublingual_rdt", lot=balance.lot, ledger_entry=entry, given_by=nurse,
        )  # fmt: skip
    return session, nurse


def measure(readings: int = READINGS) -> dict[str, Any]:
    """Readings per second by the service path and by the raw INSERT floor, interleaved."""
    from django.db import connection
    from django.utils import timezone

    from kapclinic.dosing.forms import VitalsForm
    from kapclinic.dosing.models import VitalSign
    from kapclinic.dosing.monitoring import record_vitals

    session, nurse = _monitoring_session()
    typed = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    post = {"systolic": "120", "diastolic": "80", "pulse": "72", "spo2": "98",
            "respiratory_rate": "14", "taken_at": typed}  # fmt: skip
    service_seconds = floor_seconds = 0.0
    done = 0
    while done < readings:
        block = min(BLOCK, readings - done)
        started = time.perf_counter()
        for _ in range(block):
            form = VitalsForm(post)
            if not form.is_valid():
                raise RuntimeError(f"the vitals form refused the reading: {form.errors}")
            record_vitals(
                by=nurse,
                session_id=session.pk,
                taken_at=form.cleaned_data["taken_at"],
                values=form.values(),
            )
        service_seconds += time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(block):
            with connection.cursor() as cursor:  # autocommit: a transaction per reading
                cursor.execute(FLOOR_SQL, [session.pk, timezone.now(), nurse.pk])
        floor_seconds += time.perf_counter() - started
        done += block
    stored = VitalSign.objects.filter(session=session).count()
    if stored != 2 * readings:
        raise RuntimeError(f"{stored} readings stored, {2 * readings} expected")
    service_rate, floor_rate = readings / service_seconds, readings / floor_seconds
    return {
        "readings": readings,
        "service_per_second": round(service_rate),
        "floor_per_second": round(floor_rate),
        "ratio": round(floor_rate / service_rate, 2),
    }
