"""Bulk export: 202 with a status URL, the worker writes NDJSON of what the requester may see,
every patient exported audited as EXPORT, files readable only by the requester."""

import json
from typing import Any

import pytest

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.fhir.models import ExportJob
from tests.factories import PatientFactory
from tests.fhir.conftest import outcome, validated

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_worker() -> Any:
    from django_tasks_db.models import DBTaskResult

    def run() -> list[Any]:
        due = DBTaskResult.objects.ready()
        return [row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]) for row in due]

    return run


def _kick_off(reader: Any, path: str, capture: Any, **params: str) -> str:
    with capture(execute=True):
        response = reader.export(path, params)
    assert response.status_code == 202, response.content
    return response["Content-Location"]


def _manifest(reader: Any, status_url: str) -> dict[str, Any]:
    response = reader.client.get(status_url, headers=reader.headers)
    assert response.status_code == 200, response.content
    return response.json()


def _lines(reader: Any, url: str) -> list[dict[str, Any]]:
    response = reader.client.get(url, headers=reader.headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+ndjson"
    return [validated(json.loads(line)) for line in response.content.decode().splitlines()]


def test_system_export_is_async_and_holds_only_the_clinics_patients(
    network: Any, api: Any, django_capture_on_commit_callbacks: Any, run_worker: Any
) -> None:
    PatientFactory(clinic=network["montreal"])
    reader = api(network["physician"])
    status_url = _kick_off(reader, "$export", django_capture_on_commit_callbacks)
    assert reader.client.get(status_url, headers=reader.headers).status_code == 202
    assert run_worker() == ["done"]
    manifest = _manifest(reader, status_url)
    files = {item["type"]: item for item in manifest["output"]}
    patients = _lines(reader, files["Patient"]["url"])
    assert files["Patient"]["count"] == len(patients) == 2
    assert str(network["patient_b"].pk) not in {p["id"] for p in patients}  # Vancouver
    exported = AuditEvent.objects.filter(action=Action.EXPORT, actor=network["physician"])
    assert network["patient_a"].pk in set(exported.values_list("patient_id", flat=True))


def test_patient_export_holds_one_patient(
    network: Any, api: Any, django_capture_on_commit_callbacks: Any, run_worker: Any
) -> None:
    PatientFactory(clinic=network["montreal"])
    reader = api(network["nurse"])
    patient = network["patient_a"]
    status_url = _kick_off(
        reader, f"Patient/{patient.pk}/$export", django_capture_on_commit_callbacks, _type="Patient"
    )
    run_worker()
    files = _manifest(reader, status_url)["output"]
    assert [f["type"] for f in files] == ["Patient"]
    assert [p["id"] for p in _lines(reader, files[0]["url"])] == [str(patient.pk)]


def test_another_user_cannot_read_the_job(
    network: Any, api: Any, django_capture_on_commit_callbacks: Any, run_worker: Any
) -> None:
    status_url = _kick_off(api(network["physician"]), "$export", django_capture_on_commit_callbacks)
    run_worker()
    other = api(network["nurse"])
    outcome(other.client.get(status_url, headers=other.headers), 404)
    job = ExportJob.objects.get()
    file_url = f"/fhir/R4/$export-file/{job.pk}/Patient.ndjson"
    outcome(other.client.get(file_url, headers=other.headers), 404)


@pytest.mark.parametrize("path", ["$export", "Patient/$export", "Patient/{pk}/$export"])
@pytest.mark.parametrize("prefer", [None, "", "handling=lenient", "respond-sync"])
def test_a_kick_off_without_prefer_respond_async_is_a_400(
    network: Any, api: Any, path: str, prefer: str | None
) -> None:
    """FHIR Bulk Data: the kick-off request must carry `Prefer: respond-async`."""
    reader = api(network["physician"])
    headers = {} if prefer is None else {"Prefer": prefer}
    response = reader.get(path.format(pk=network["patient_a"].pk), headers=headers)
    diagnostics = outcome(response, 400)["issue"][0]["diagnostics"]
    assert "Prefer: respond-async" in diagnostics
    assert not ExportJob.objects.exists()
    french = reader.get("$export", headers={"Accept-Language": "fr"})
    assert "Prefer: respond-async" in outcome(french, 400)["issue"][0]["diagnostics"]
    assert french["Content-Language"] == "fr"


def test_respond_async_may_come_with_other_preferences(network: Any, api: Any) -> None:
    reader = api(network["physician"])
    response = reader.get("$export", headers={"Prefer": "handling=lenient, respond-async"})
    assert response.status_code == 202, response.content
    assert ExportJob.objects.count() == 1


def test_export_refusals(network: Any, api: Any) -> None:
    outcome(api(network["billing"]).export("$export", {"_type": "Observation"}), 403)
    outcome(api(network["physician"]).export("$export", {"_type": "Spaceship"}), 400)
    outcome(api(network["physician"]).export("$export", {"_since": "soon"}), 400)
    outcome(api(network["physician"]).export(f"Patient/{network['patient_b'].pk}/$export"), 404)
    outcome(api(network["no_role"]).export("$export"), 403)
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("patients", [1, 5])
def test_the_finished_export_status_pins_its_queries(
    patients: int,
    network: Any,
    api: Any,
    django_capture_on_commit_callbacks: Any,
    run_worker: Any,
    django_assert_num_queries: Any,
) -> None:
    PatientFactory.create_batch(patients, clinic=network["montreal"])
    reader = api(network["physician"])
    status_url = _kick_off(reader, "$export", django_capture_on_commit_callbacks)
    run_worker()
    _manifest(reader, status_url)  # the token's last use is written once, not on every request
    with django_assert_num_queries(3):
        _manifest(reader, status_url)


def _delete(reader: Any, url: str) -> Any:
    return reader.client.delete(url, headers=reader.headers)


def test_a_queued_export_is_cancelled_and_the_worker_writes_nothing(
    network: Any, api: Any, django_capture_on_commit_callbacks: Any, run_worker: Any
) -> None:
    reader = api(network["physician"])
    status_url = _kick_off(reader, "$export", django_capture_on_commit_callbacks)
    assert outcome(_delete(reader, status_url), 202)["issue"][0]["severity"] == "information"
    outcome(reader.client.get(status_url, headers=reader.headers), 404)
    assert run_worker() == ["nothing to do"]
    job = ExportJob.objects.get()
    assert job.status == "cancelled" and not job.files.exists()
    event = AuditEvent.objects.filter(action=Action.UPDATE, actor=network["physician"]).latest("id")
    assert event.detail == {"fhir_export": "cancelled", "was": "queued", "files_deleted": 0}
    outcome(_delete(reader, status_url), 404)  # gone


def test_a_running_export_cancelled_leaves_no_files(network: Any, api: Any) -> None:
    from kapclinic.fhir.export import Cancelled, cancel_export, export_job

    job = ExportJob.objects.create(
        requested_by=network["physician"], types=["Patient"], status="running"
    )
    cancel_export(by=network["physician"], job_id=job.pk)
    with pytest.raises(Cancelled):
        export_job(job)
    job.refresh_from_db()
    assert job.status == "cancelled" and not job.files.exists()


def test_deleting_a_finished_export_deletes_its_files_not_the_records(
    network: Any, api: Any, django_capture_on_commit_callbacks: Any, run_worker: Any
) -> None:
    from kapclinic.patients.models import Patient

    reader = api(network["nurse"])
    status_url = _kick_off(reader, "$export", django_capture_on_commit_callbacks, _type="Patient")
    run_worker()
    file_url = _manifest(reader, status_url)["output"][0]["url"]
    patients = Patient.objects.count()
    other = api(network["physician"])
    outcome(_delete(other, status_url), 404)  # not theirs
    outcome(_delete(reader, status_url), 202)
    job = ExportJob.objects.get()
    assert job.status == "cancelled" and not job.files.exists()
    assert Patient.objects.count() == patients
    outcome(reader.client.get(file_url, headers=reader.headers), 404)
    outcome(reader.client.get(status_url, headers=reader.headers), 404)
    event = AuditEvent.objects.filter(action=Action.UPDATE, actor=network["nurse"]).latest("id")
    assert event.detail["was"] == "done" and event.detail["files_deleted"] == 1


def test_nothing_else_is_deleted_over_the_api(network: Any, api: Any) -> None:
    reader = api(network["physician"])
    patient = network["patient_a"]
    outcome(_delete(reader, "/fhir/R4/$export"), 405)
    outcome(_delete(reader, f"/fhir/R4/Patient/{patient.pk}"), 405)
    outcome(_delete(reader, "/fhir/R4/Patient"), 405)
    outcome(_delete(reader, "/fhir/R4/$export-status/999999"), 404)


def _export_queries(network: Any, types: list[str]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kapclinic.fhir.export import export_job

    job = ExportJob.objects.create(requested_by=network["physician"], types=types, status="running")
    with CaptureQueriesContext(connection) as queries:
        export_job(job)
    return len(queries)


def test_the_export_reads_in_batches_whatever_the_number_of_records(
    ready: dict[str, Any], api: Any
) -> None:
    """No query per record (N+1): more patients with responses and consents, same queries."""
    from kapclinic.screening.services import record_response

    types = ["Patient", "QuestionnaireResponse", "Observation", "Consent", "CarePlan"]

    def add_patient() -> None:
        patient = PatientFactory(clinic=ready["montreal"])
        record_response(
            by=ready["nurse"],
            patient=patient,
            instrument="GAD-7",
            answers=[1] * 7,
            source="staff",
            language="en",
        )

    add_patient()
    few = _export_queries(ready, types)
    for _n in range(4):
        add_patient()
    assert _export_queries(ready, types) == few


def test_exported_resources_are_the_ones_read(
    ready: dict[str, Any], api: Any, django_capture_on_commit_callbacks: Any, run_worker: Any
) -> None:
    reader = api(ready["physician"])
    status_url = _kick_off(
        reader,
        "$export",
        django_capture_on_commit_callbacks,
        _type="Patient,Consent,QuestionnaireResponse,CarePlan",
    )
    run_worker()
    for item in _manifest(reader, status_url)["output"]:
        for resource in _lines(reader, item["url"]):
            assert reader.ok(f"{resource['resourceType']}/{resource['id']}") == resource


def test_a_system_export_holds_referrals_not_yet_matched_to_a_patient(
    network: Any, api: Any, django_capture_on_commit_callbacks: Any, run_worker: Any
) -> None:
    from tests.factories import ReferralFactory

    ReferralFactory(clinic=network["montreal"])  # a new referral: no patient on record yet
    reader = api(network["physician"])
    status_url = _kick_off(
        reader, "$export", django_capture_on_commit_callbacks, _type="ServiceRequest,Task"
    )
    assert run_worker() == ["done"]
    files = {item["type"]: item for item in _manifest(reader, status_url)["output"]}
    requests = _lines(reader, files["ServiceRequest"]["url"])
    assert len(requests) == files["ServiceRequest"]["count"] == 2


def test_an_export_that_fails_on_the_server_says_so_at_its_status_url(
    network: Any,
    api: Any,
    django_capture_on_commit_callbacks: Any,
    run_worker: Any,
    monkeypatch: Any,
) -> None:
    from kapclinic.fhir import export

    def broken(job: Any, kind: Any) -> set[int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(export, "_write_type", broken)
    reader = api(network["physician"])
    status_url = _kick_off(reader, "$export", django_capture_on_commit_callbacks)
    with pytest.raises(RuntimeError):
        run_worker()
    failed = outcome(reader.client.get(status_url, headers=reader.headers), 422)
    assert "a fault on the server" in failed["issue"][0]["diagnostics"]
    assert ExportJob.objects.get().status == "failed"
