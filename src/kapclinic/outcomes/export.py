"""The research export: de-identified outcome scores as CSV, only of patients whose research
consent is valid, every patient included audited as an EXPORT.

No name, number (health number, record id, referral number) or exact date leaves: each patient
is a random pseudonym drawn anew for every export (two exports cannot be joined on it), and
each score is dated in days from the patient's first score in the export (their baseline).
"""

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_patient_reads
from kapclinic.care.models import Consent, ConsentKind, Enrolment
from kapclinic.clinics.models import Clinic
from kapclinic.outcomes.trajectories import FOLLOWED
from kapclinic.patients.models import Patient
from kapclinic.scheduling.models import OCCUPYING, AppointmentKind, Attendance
from kapclinic.screening.models import QuestionnaireResponse, Screening
from kapclinic.spreadsheets import csv_text

HEADER = (
    "participant",
    "program",
    "indication",
    "instrument",
    "day",
    "total",
    "band",
    "ketamine_sessions_before",
)


@dataclass(frozen=True)
class ResearchExport:
    csv: str
    patients: int
    rows: int


def consenting(clinics: QuerySet[Clinic]) -> QuerySet[Patient]:
    """Patients of these clinics with a research consent given and not withdrawn."""
    valid = Consent.objects.filter(
        patient=OuterRef("pk"), kind=ConsentKind.RESEARCH, withdrawn_at__isnull=True
    )
    return Patient.objects.filter(Exists(valid), clinic__in=clinics, entered_in_error=False)


def _pseudonyms(patient_ids: list[int]) -> dict[int, str]:
    """A fresh random code per patient for this export only."""
    codes: dict[int, str] = {}
    used: set[str] = set()
    for patient_id in patient_ids:
        code = f"P-{secrets.token_hex(4)}"
        while code in used:
            code = f"P-{secrets.token_hex(4)}"
        used.add(code)
        codes[patient_id] = code
    return codes


def _sessions(patient_ids: list[int]) -> dict[int, list[datetime]]:
    starts: dict[int, list[datetime]] = defaultdict(list)
    rows = Attendance.objects.filter(
        patient_id__in=patient_ids,
        status__in=OCCUPYING,
        appointment__type__kind=AppointmentKind.DOSING,
    ).values_list("patient_id", "starts_at")
    for patient_id, at in rows:
        starts[patient_id].append(at)
    return starts


def research_export(*, by: User, clinics: QuerySet[Clinic]) -> ResearchExport:
    """The CSV, in three queries plus the audit insert."""
    patients = consenting(clinics)
    program = Enrolment.objects.filter(patient=OuterRef("patient")).order_by("-enrolled_at", "-id")
    indication = Screening.objects.filter(patient=OuterRef("patient")).order_by(
        "-created_at", "-id"
    )
    scores = list(
        QuestionnaireResponse.objects.filter(
            patient__in=patients, instrument__in=FOLLOWED, entered_in_error=False
        )
        .annotate(
            program_code=Subquery(program.values("program__code")[:1]),
            indication_code=Subquery(indication.values("indication__code")[:1]),
        )
        .order_by("patient_id", "submitted_at", "id")
        .values_list(
            "patient_id",
            "program_code",
            "indication_code",
            "instrument",
            "submitted_at",
            "total",
            "band",
        )
    )
    ids = sorted({row[0] for row in scores})
    codes, sessions = _pseudonyms(ids), _sessions(ids)
    first: dict[int, date] = {}
    rows: list[tuple[object, ...]] = [HEADER]
    for patient_id, program_code, indication_code, instrument, at, total, band in scores:
        baseline = first.setdefault(patient_id, at.date())
        before = sum(1 for start in sessions.get(patient_id, []) if start < at)
        day = (at.date() - baseline).days
        code = codes[patient_id]
        rows.append(
            (code, program_code or "", indication_code or "", instrument, day, total, band, before)
        )
    record_patient_reads(
        actor=by,
        patients=Patient.objects.filter(pk__in=ids).only("pk"),
        action=Action.EXPORT,
        detail={"research_export": len(rows) - 1},
    )
    return ResearchExport(csv=csv_text(rows), patients=len(ids), rows=len(rows) - 1)
