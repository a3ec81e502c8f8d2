"""Bulk export (`$export`, FHIR Bulk Data 2.0): the kick-off records a job and returns its
status URL; the worker writes one NDJSON file per type with what the requester may see (their
clinics, or one patient), each patient exported audited as EXPORT."""

import json
from datetime import datetime

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event, record_patient_reads
from kapclinic.errors import DomainError, NotFound, NotPermitted
from kapclinic.fhir import reading
from kapclinic.fhir.models import ExportFile, ExportJob, ExportStatus
from kapclinic.fhir.outcome import FhirError
from kapclinic.fhir.registry import RESOURCES
from kapclinic.fhir.resources.base import ResourceType
from kapclinic.patients.access import access_patient
from kapclinic.patients.models import Patient

# The types a Patient-level export covers (the patient compartment we map); the audit trail
# and the directory are never part of a patient's export.
# Definitions (a catalog type such as Questionnaire) are not records and are never exported.
EXPORTED_TYPES = tuple(name for name, kind in RESOURCES.items() if kind.catalog is None)
PATIENT_TYPES = tuple(
    name
    for name in EXPORTED_TYPES
    if name not in ("AuditEvent", "Practitioner", "Organization", "Location")
)


def _readable(by: User, names: list[str], asked: bool) -> list[str]:
    """The types `by` may read; a type asked for by name and refused is a 403."""
    readable = []
    for name in names:
        try:
            RESOURCES[name].sources[0].rows(by)
        except NotPermitted:
            if asked:
                raise
            continue
        readable.append(name)
    return readable


def _types(by: User, raw: str, patient_level: bool) -> list[str]:
    asked = [part.strip() for part in raw.split(",") if part.strip()]
    unknown = [name for name in asked if name not in EXPORTED_TYPES]
    if unknown:
        raise FhirError(
            400,
            _("%(name)s names types this server does not export: %(types)s")
            % {"name": "_type", "types": ", ".join(unknown)},
            expression="_type",
        )
    default = list(PATIENT_TYPES if patient_level else EXPORTED_TYPES)
    return _readable(by, asked or default, bool(asked))


@transaction.atomic
def request_export(
    *, by: User, patient_id: int | None, patient_level: bool, types: str, since: datetime | None
) -> ExportJob:
    """Record the request (audited) and queue it for the worker."""
    patient = access_patient(by=by, patient_id=patient_id) if patient_id is not None else None
    chosen = _types(by, types, patient_level or patient is not None)
    if not chosen:
        raise NotPermitted(_("Your role does not give access to these records."))
    job = ExportJob.objects.create(
        requested_by=by,
        patient=patient,
        types=chosen,
        since=since,
        status=ExportStatus.QUEUED,
    )
    record_event(
        actor=by,
        action=Action.EXPORT,
        patient=patient,
        target=job,
        detail={"fhir_export": "requested", "types": chosen},
    )
    transaction.on_commit(lambda: run_export.enqueue(job.pk))
    return job


def _write_type(job: ExportJob, kind: ResourceType) -> set[int]:
    """One type's NDJSON file; the keys of the patients it holds."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
    lines, patients = [], set()
    for resource, patient_id in reading.export_rows(
        by=job.requested_by, kind=kind, patient_id=job.patient_id, since=job.since
    ):
        lines.append(encode(resource))
        if patient_id is not None:
            patients.add(patient_id)
    if lines:
        ExportFile.objects.create(
            job=job, resource_type=kind.name, count=len(lines), content="\n".join(lines) + "\n"
        )
    return patients


class Cancelled(Exception):
    """The requester cancelled the job while it ran: its files are rolled back."""


def export_job(job: ExportJob) -> None:
    """Write the job's files in one transaction: a failed or cancelled export leaves none."""
    patients: set[int] = set()
    with transaction.atomic():
        for name in job.types:
            patients |= _write_type(job, RESOURCES[name])
        # Locked until the files commit, so a cancel either comes first (and wins) or waits.
        current = ExportJob.objects.select_for_update().filter(pk=job.pk).first()
        if current is None or current.status == ExportStatus.CANCELLED:
            raise Cancelled
        record_patient_reads(
            actor=job.requested_by,
            patients=[Patient(pk=pk) for pk in sorted(patients)],
            action=Action.EXPORT,
            detail={"fhir_export": job.pk},
        )
        job.status, job.finished_at = ExportStatus.DONE, timezone.now()
        job.save(update_fields=["status", "finished_at"])


@task()
def run_export(job_id: int) -> str:
    """The worker's half of `$export`; a job already finished is left as it is."""
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status != ExportStatus.QUEUED:
        return "nothing to do"
    started = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.QUEUED)
    if not started.update(status=ExportStatus.RUNNING):  # cancelled meanwhile
        return "nothing to do"
    try:
        export_job(job)
    except Cancelled:
        return "cancelled"
    except DomainError as error:  # the requester lost access meanwhile
        _failed(job, error.message)
        return "failed"
    except Exception:
        # A fault of ours: the status URL says the export failed (never "running" forever);
        # the worker's log keeps the traceback for the clinic's administrators.
        _failed(job, _("a fault on the server; the clinic's administrators can see it"))
        raise
    return "done"


def _failed(job: ExportJob, reason: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED, error=reason, finished_at=timezone.now()
    )


def job_of(*, by: User, job_id: int) -> ExportJob:
    """A job of the requester's own (another user's job, or a cancelled one, does not exist
    for them)."""
    job = (
        ExportJob.objects.filter(pk=job_id, requested_by=by)
        .exclude(status=ExportStatus.CANCELLED)
        .first()
    )
    if job is None:
        raise NotFound(_("No such export."))
    return job


@transaction.atomic
def cancel_export(*, by: User, job_id: int) -> ExportJob:
    """FHIR Bulk Data's DELETE on the status URL: a queued or running job is cancelled (the
    worker then writes nothing); a finished one has its files deleted (copies of the record,
    never the record). Either way the job is then gone for its requester (404), and audited."""
    job = job_of(by=by, job_id=job_id)
    job = ExportJob.objects.select_for_update().get(pk=job.pk)
    if job.status == ExportStatus.CANCELLED:
        raise NotFound(_("No such export."))
    was = job.status
    deleted, _by_model = job.files.all().delete()
    job.status = ExportStatus.CANCELLED
    job.finished_at = job.finished_at or timezone.now()
    job.save(update_fields=["status", "finished_at"])
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=job.patient,
        target=job,
        detail={"fhir_export": "cancelled", "was": was, "files_deleted": deleted},
    )
    return job


def export_file(*, by: User, job_id: int, resource_type: str) -> ExportFile:
    """One NDJSON file of a finished job; each download is audited."""
    job = job_of(by=by, job_id=job_id)
    found = job.files.filter(resource_type=resource_type).first()
    if found is None:
        raise NotFound(_("No such export."))
    record_event(
        actor=by,
        action=Action.EXPORT,
        patient=job.patient,
        target=job,
        detail={"fhir_export": "downloaded", "type": resource_type},
    )
    return found
