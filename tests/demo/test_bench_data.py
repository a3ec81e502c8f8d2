"""The benchmark's synthetic network: every patient gets its history, written by COPY in
batches; every row has its audit event sealed onto the chain, which still verifies; the
register's balance is the sum of its ledger; a second run adds to the first without a double
booking."""

from typing import Any

import pytest
from django.db.models import Sum

from kapclinic.audit.chain import verify_chain
from kapclinic.care.models import Enrolment
from kapclinic.demo import bench_data
from kapclinic.demo.seed import seed_demo
from kapclinic.dosing.models import DosingSession, VitalSign
from kapclinic.outcomes.models import Measurement
from kapclinic.patients.models import Patient
from kapclinic.referrals.models import Referral, Status
from kapclinic.register.models import Balance, LedgerEntry
from kapclinic.scheduling.models import Appointment
from kapclinic.scheduling.models import Status as AppointmentStatus
from kapclinic.screening.models import QuestionnaireResponse
from tests.audit.test_tamper import sql


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_synthetic_patient_gets_its_history_and_the_audit_chain_still_holds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed_demo()
    before = {
        model: model.objects.count()
        for model in (Patient, Referral, Appointment, DosingSession, VitalSign, Enrolment)
    }
    monkeypatch.setattr(bench_data, "BATCH", 100)
    done: list[int] = []
    bench_data.generate(100, progress=done.append)
    bench_data.generate(300, progress=done.append)
    assert done == [0, 100, 0, 100, 200, 300]
    added = {model: model.objects.count() - n for model, n in before.items()}
    assert added[Patient] == added[Referral] == added[Appointment] == 400
    booked = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, room__name__startswith="Bench"
    )
    assert added[DosingSession] == 400 - booked.count() and booked.exists()
    assert added[VitalSign] == bench_data.READINGS * added[DosingSession]
    accepted = Referral.objects.filter(number__startswith="B", status=Status.ACCEPTED).count()
    assert (
        added[Enrolment]
        == accepted
        == Measurement.objects.filter(patient__email__startswith="bench", kind="baseline").count()
    )
    bench = QuestionnaireResponse.objects.filter(patient__email__startswith="bench")
    assert bench.filter(instrument="GAD-7").count() == 400
    assert 800 < bench.count() <= 800 + accepted
    assert Patient.objects.filter(search_key="").count() == 0
    given = LedgerEntry.objects.filter(kind="administration", lot__number__startswith="BENCH")
    assert given.count() == added[DosingSession]
    for balance in Balance.objects.filter(lot__number__startswith="BENCH"):
        ledger = LedgerEntry.objects.filter(clinic=balance.clinic, lot=balance.lot)
        assert balance.quantity_mg == ledger.aggregate(total=Sum("quantity_mg"))["total"]
    verified = verify_chain()
    assert verified.ok, verified.problem
    assert verified.checked > 400 * (bench_data.READINGS + 6)


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_generated_event_edited_afterwards_is_caught_by_verify() -> None:
    bench_data.generate(20)
    sql(  # as a database superuser would, bypassing the append-only guard
        "UPDATE audit_auditevent SET object_id = '0'"
        " WHERE id = (SELECT max(id) - 7 FROM audit_auditevent)",
        [],
    )
    verified = verify_chain()
    assert not verified.ok and "edited" in verified.problem


def test_the_generator_figure_goes_to_the_results_table(tmp_path: Any, monkeypatch: Any) -> None:
    from kapclinic.demo.management.commands import bench

    monkeypatch.setattr(bench, "RESULTS", tmp_path)
    run = {"cpu_seconds": 38.3, "postgresql_cpu_seconds": 101.6, "load_average": 1.4}
    bench.write_results({"patients": 100000, "seconds": 131.8, "seeding_seconds": 3.3, **run})
    bench.write_results({"patients": 1000, "seconds": 1.2, "seeding_seconds": 4.6, **run})
    table = (tmp_path / "generate.md").read_text().splitlines()
    assert table[-2:] == [
        "| 1,000 | 1.2 | 833 | 38.3 | 101.6 | 1.4 |",
        "| 100,000 | 131.8 | 759 | 38.3 | 101.6 | 1.4 |",
    ]


def _overlaps(rows: list[tuple[Any, Any, Any]]) -> list[tuple[Any, Any, Any]]:
    """(resource, start, end) rows of one resource overlapping the one before it."""
    clashes, last_end = [], {}
    for resource, starts, ends in sorted(rows, key=lambda r: (r[0], r[1])):
        if resource in last_end and starts < last_end[resource]:
            clashes.append((resource, starts, ends))
        last_end[resource] = max(ends, last_end.get(resource, ends))
    return clashes


@pytest.mark.postgres
@pytest.mark.django_db
def test_two_runs_with_different_numbers_of_rooms_never_double_book_a_room(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A room or clinician holds one booked or attended session at a time, whatever the number
    of rooms each run adds (the database refuses overlaps among booked rows only)."""
    monkeypatch.setattr(bench_data, "PATIENTS_PER_ROOM", 10)
    bench_data.generate(20)  # 10 patients a clinic: one room each
    bench_data.generate(60)  # 30 a clinic: three rooms each
    occupying = Appointment.objects.filter(status__in=["booked", "attended"])
    assert occupying.filter(room__name__startswith="Bench").count() == 80
    assert _overlaps(list(occupying.values_list("room_id", "starts_at", "ends_at"))) == []
    assert _overlaps(list(occupying.values_list("clinician_id", "starts_at", "ends_at"))) == []


@pytest.mark.postgres
@pytest.mark.django_db
def test_each_registers_entries_are_recorded_in_time_order_like_the_service_writes_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The register service records each entry when it happens, so in a lot's ledger a later id
    is never an earlier time, and each balance after is the running sum in that order."""
    monkeypatch.setattr(bench_data, "RECEIPT_MG", 1000)  # a delivery every ten doses
    bench_data.generate(60)
    bench_data.generate(40)
    registers = LedgerEntry.objects.filter(lot__number__startswith="BENCH")
    assert registers.filter(kind="receipt").count() > 4
    for clinic_id, lot_id in set(registers.values_list("clinic_id", "lot_id")):
        entries = list(registers.filter(clinic_id=clinic_id, lot_id=lot_id).order_by("id"))
        times = [e.recorded_at for e in entries]
        assert times == sorted(times)
        running = 0
        for entry in entries:
            running += entry.quantity_mg
            assert entry.balance_after_mg == running
