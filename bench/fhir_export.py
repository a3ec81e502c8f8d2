"""Benchmark the FHIR bulk export: resources written per second, against the floor of reading
the same rows raw and dumping them as JSON, measured in the same run on the same data.

Run with `make bench` (SQLite) or with KAPCLINIC_DATABASE_URL pointing at PostgreSQL.
Writes bench/results/fhir_export.json; the figures are for the closing note, not a test.
Uses a scratch database that it creates and drops (Django's test runner).
"""

import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import django

PATIENTS = int(os.environ.get("BENCH_FHIR_PATIENTS", "2000"))
# Each patient: two PHQ-9 responses (each also an Observation of its total) and one consent.
RESPONSES_PER_PATIENT = 2
TYPES = ["Patient", "QuestionnaireResponse", "Observation", "Consent"]
RESULTS = Path(__file__).resolve().parent / "results"


def _seed() -> object:
    """One clinic, a physician of it, and the synthetic patients with their records."""
    from django.utils import timezone

    from kapclinic.accounts.models import User
    from kapclinic.care.models import Consent, ConsentKind
    from kapclinic.clinics.models import Clinic, Jurisdiction
    from kapclinic.patients.models import Patient
    from kapclinic.screening.models import QuestionnaireResponse, Source

    clinic = Clinic.objects.create(
        name="Bench clinic",
        jurisdiction=Jurisdiction.objects.get(province="QC"),
        time_zone="America/Montreal",
        address="1 rue du Banc",
        city="Montréal",
        postal_code="H2X 1Y1",
        phone="514-555-0000",
    )
    physician = User.objects.create_user(
        "bench.physician@example.test", full_name="Bench Physician", role="physician"
    )
    physician.clinics.add(clinic)
    patients = Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            legal_given_name=f"Given{n}",
            legal_family_name=f"Family{n}",
            date_of_birth=date(1960, 1, 1) + timedelta(days=n % 15000),
            sex_at_birth="female" if n % 2 else "male",
            phone="514-555-0101",
            search_key=f"given{n} family{n}",
        )
        for n in range(PATIENTS)
    )
    now = timezone.now()
    QuestionnaireResponse.objects.bulk_create(
        QuestionnaireResponse(
            patient=patient,
            instrument="PHQ-9",
            answers=[1, 2, 1, 0, 1, 2, 1, 0, 0],
            total=8,
            band="mild",
            source=Source.STAFF,
            entered_by=physician,
            submitted_at=now - timedelta(days=k * 14),
        )
        for patient in patients
        for k in range(RESPONSES_PER_PATIENT)
    )
    Consent.objects.bulk_create(
        Consent(
            patient=patient,
            kind=ConsentKind.TREATMENT,
            text_version="2026.1",
            signed_name=patient.display_name,
            recorded_by=physician,
        )
        for patient in patients
    )
    return physician


def _floor() -> tuple[int, float]:
    """The same rows as the export reads (QuestionnaireResponse twice: as itself and as the
    Observation of its total), read raw and dumped as JSON lines: the rate to compare with."""
    from kapclinic.care.models import Consent
    from kapclinic.patients.models import Patient
    from kapclinic.screening.models import QuestionnaireResponse

    started = time.perf_counter()
    rows = 0
    for model in (Patient, QuestionnaireResponse, QuestionnaireResponse, Consent):
        lines = [
            json.dumps(row, ensure_ascii=False, separators=(",", ":"), default=str)
            for row in model.objects.order_by("pk").values().iterator(chunk_size=1000)
        ]
        rows += len(lines)
        "\n".join(lines)
    return rows, time.perf_counter() - started


def _export(physician: object) -> tuple[int, float]:
    from kapclinic.fhir.export import export_job
    from kapclinic.fhir.models import ExportFile, ExportJob, ExportStatus

    job = ExportJob.objects.create(requested_by=physician, types=TYPES, status=ExportStatus.RUNNING)
    started = time.perf_counter()
    export_job(job)
    elapsed = time.perf_counter() - started
    return sum(ExportFile.objects.filter(job=job).values_list("count", flat=True)), elapsed


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kapclinic.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    database = settings.DATABASES["default"]
    database["TEST"]["NAME"] = f"bench_fhir_{Path(str(database['NAME'])).stem}"
    old = setup_databases(verbosity=0, interactive=False)
    try:
        physician = _seed()
        floor_rows, floor_seconds = _floor()
        resources, export_seconds = _export(physician)
        floor_again, floor_seconds_again = _floor()  # after, too: a warm cache for both
    finally:
        teardown_databases(old, verbosity=0)
    floor_rate = max(floor_rows / floor_seconds, floor_again / floor_seconds_again)
    export_rate = resources / export_seconds
    figures = {
        "database": connection.vendor,
        "patients": PATIENTS,
        "types": TYPES,
        "resources_exported": resources,
        "export_seconds": round(export_seconds, 3),
        "export_resources_per_second": round(export_rate),
        "floor_rows": floor_rows,
        "floor_rows_per_second": round(floor_rate),
        "export_share_of_floor": round(export_rate / floor_rate, 3),
        "note": "export includes access filtering, FHIR mapping, NDJSON storage and one EXPORT "
        "audit event per patient; the floor is Model.objects.values() + json.dumps",
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "fhir_export.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    sys.stdout.write(json.dumps(figures) + "\n")


if __name__ == "__main__":
    main()
