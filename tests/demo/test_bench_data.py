"""The benchmark's synthetic network: every patient gets its history, in a fixed number of
inserts per batch (the generator's speed comes from bulk inserts, not one row at a time);
a second run adds to the first without a double booking."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kapclinic.demo import bench_data
from kapclinic.demo.seed import seed_demo
from kapclinic.dosing.models import DosingSession, VitalSign
from kapclinic.patients.models import Patient
from kapclinic.referrals.models import Referral
from kapclinic.scheduling.models import Appointment, Status
from kapclinic.screening.models import QuestionnaireResponse


@pytest.mark.django_db
def test_every_synthetic_patient_gets_a_referral_a_session_with_vitals_and_questionnaires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed_demo()
    before = {
        model: model.objects.count()
        for model in (Patient, Referral, Appointment, DosingSession, VitalSign)
    }
    monkeypatch.setattr(bench_data, "BATCH", 100)
    done: list[int] = []
    with CaptureQueriesContext(connection) as small:
        bench_data.generate(100, progress=done.append)
    with CaptureQueriesContext(connection) as large:
        bench_data.generate(300, progress=done.append)
    assert done == [0, 100, 0, 100, 200, 300]
    added = {model: model.objects.count() - n for model, n in before.items()}
    assert added[Patient] == added[Referral] == added[Appointment] == 400
    booked = Appointment.objects.filter(status=Status.BOOKED, room__name__startswith="Bench")
    assert added[DosingSession] == 400 - booked.count() and booked.exists()
    assert added[VitalSign] == bench_data.READINGS * added[DosingSession]
    assert QuestionnaireResponse.objects.filter(patient__email__startswith="bench").count() == 800
    assert Patient.objects.filter(search_key="").count() == 0
    # Inserts per table and batch, not per row (SQLite splits a batch by its parameter limit).
    if connection.vendor == "postgresql":
        inserts = [
            sum(q["sql"].startswith("INSERT") for q in run.captured_queries)
            for run in (small, large)
        ]
        assert inserts[1] <= 3 * inserts[0] + 10, inserts
