"""FHIR endpoints: parse, call one reader or service, answer FHIR JSON."""

import json
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from kapclinic.fhir import export, reading, referral_in
from kapclinic.fhir.capability import capability_statement
from kapclinic.fhir.http import api, fhir_response, json_body, token_user
from kapclinic.fhir.models import ExportStatus
from kapclinic.fhir.openapi import openapi_document
from kapclinic.fhir.outcome import FhirError
from kapclinic.fhir.params import SearchQuery, parse_search, parse_since
from kapclinic.fhir.registry import RESOURCES
from kapclinic.fhir.resources.base import ResourceType

READ_ONLY = ("GET", "HEAD")


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir/R4")


def _kind(resource_type: str) -> ResourceType:
    kind = RESOURCES.get(resource_type)
    if kind is None:
        raise FhirError(404, "This server has no such resource type.")
    return kind


@api(*READ_ONLY)
def metadata(request: HttpRequest) -> HttpResponse:
    return fhir_response(capability_statement(base_url(request)))


def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI document: public, like the CapabilityStatement's shape (no data in it)."""
    document = openapi_document(request.build_absolute_uri("/"))
    return HttpResponse(json.dumps(document), content_type="application/json")


def _page_link(request: HttpRequest, kind: ResourceType, query: SearchQuery, offset: int) -> str:
    params = [
        (name, value)
        for name, values in request.GET.lists()
        if name not in ("_offset", "_count")
        for value in values
    ]
    params += [("_count", str(query.count)), ("_offset", str(offset))]
    return f"{base_url(request)}/{kind.name}?{urlencode(params)}"


def _bundle(
    request: HttpRequest, kind: ResourceType, query: SearchQuery, found: reading.Found
) -> dict[str, Any]:
    links = [{"relation": "self", "url": _page_link(request, kind, query, query.offset)}]
    if query.count and query.offset + query.count < found.total:
        links.append(
            {
                "relation": "next",
                "url": _page_link(request, kind, query, query.offset + query.count),
            }
        )
    if query.offset:
        previous = max(0, query.offset - (query.count or query.offset))
        links.append({"relation": "previous", "url": _page_link(request, kind, query, previous)})
    base = base_url(request)
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": found.total,
        "link": links,
        "entry": [
            {
                "fullUrl": f"{base}/{r['resourceType']}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in found.resources
        ]
        or None,
    }


@api(*READ_ONLY)
def search_type(request: HttpRequest, resource_type: str) -> HttpResponse:
    kind = _kind(resource_type)
    query = parse_search(request.GET)
    found = reading.search(
        by=token_user(request), kind=kind, query=query, detail=request.GET.urlencode()
    )
    bundle = _bundle(request, kind, query, found)
    return fhir_response({k: v for k, v in bundle.items() if v is not None})


@api(*READ_ONLY)
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    kind = _kind(resource_type)
    return fhir_response(reading.read(by=token_user(request), kind=kind, resource_id=resource_id))


@api("POST")
def transaction(request: HttpRequest) -> HttpResponse:
    """An e-referral from an EMR (the only transaction this server accepts)."""
    bundle = json_body(request)
    referral = referral_in.receive_bundle(by=token_user(request), bundle=bundle)
    answers = {
        "Patient": {"status": "200 OK", "location": f"Patient/{referral.patient_id}"}
        if referral.patient_id
        else {"status": "202 Accepted"},  # intake staff make or reconcile the record
        "ServiceRequest": {"status": "201 Created", "location": f"ServiceRequest/{referral.pk}"},
        # The checklist is kept with the referral; its progress is the Task.
        "QuestionnaireResponse": {"status": "201 Created", "location": f"Task/{referral.pk}"},
    }
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    response = {
        "resourceType": "Bundle",
        "type": "transaction-response",
        "entry": [{"response": answers[kind]} for kind in kinds],
    }
    return fhir_response(response, 200, {"Location": f"{base_url(request)}/Task/{referral.pk}"})


def _kick_off(request: HttpRequest, patient_id: int | None, patient_level: bool) -> HttpResponse:
    job = export.request_export(
        by=token_user(request),
        patient_id=patient_id,
        patient_level=patient_level,
        types=request.GET.get("_type", ""),
        since=parse_since(request.GET.get("_since", "")),
    )
    status_url = f"{base_url(request)}/$export-status/{job.pk}"
    return fhir_response(
        {
            "resourceType": "OperationOutcome",
            "issue": [
                {"severity": "information", "code": "informational", "diagnostics": "Queued"}
            ],
        },
        202,
        {"Content-Location": status_url},
    )


@api(*READ_ONLY)
def export_system(request: HttpRequest) -> HttpResponse:
    """Everything the token's user may see (their clinics), one NDJSON file per type."""
    return _kick_off(request, None, patient_level=False)


@api(*READ_ONLY)
def export_patients(request: HttpRequest) -> HttpResponse:
    """The patient compartment of every patient the token's user may see."""
    return _kick_off(request, None, patient_level=True)


@api(*READ_ONLY)
def export_patient(request: HttpRequest, resource_id: str) -> HttpResponse:
    """One patient's compartment (Bulk Data's Group-style export for a single patient)."""
    patient_id = reading.positive_id(resource_id)
    return _kick_off(request, patient_id, patient_level=True)


@api(*READ_ONLY, "DELETE")
def export_status(request: HttpRequest, job_id: int) -> HttpResponse:
    if request.method == "DELETE":  # FHIR Bulk Data: cancel the job, or delete its files
        export.cancel_export(by=token_user(request), job_id=job_id)
        return fhir_response(
            {
                "resourceType": "OperationOutcome",
                "issue": [
                    {"severity": "information", "code": "informational", "diagnostics": "Deleted"}
                ],
            },
            202,
        )
    job = export.job_of(by=token_user(request), job_id=job_id)
    if job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING):
        return HttpResponse(status=202, headers={"X-Progress": job.status, "Retry-After": "5"})
    if job.status == ExportStatus.FAILED:
        raise FhirError(422, f"The export failed: {job.error}")
    base = base_url(request)
    manifest = {
        "transactionTime": (job.finished_at or timezone.now()).isoformat(),
        "request": f"{base}/$export",
        "requiresAccessToken": True,
        "output": [
            {
                "type": f.resource_type,
                "url": f"{base}/$export-file/{job.pk}/{f.resource_type}.ndjson",
                "count": f.count,
            }
            for f in job.files.only("resource_type", "count", "job_id")
        ],
        "error": [],
    }
    return HttpResponse(
        json.dumps(manifest), content_type="application/json", headers={"Cache-Control": "no-store"}
    )


@api(*READ_ONLY)
def export_file(request: HttpRequest, job_id: int, resource_type: str) -> HttpResponse:
    found = export.export_file(by=token_user(request), job_id=job_id, resource_type=resource_type)
    return HttpResponse(
        found.content,
        content_type="application/fhir+ndjson",
        headers={"Cache-Control": "no-store"},
    )
