"""FHIR endpoints: parse, call one reader or service, answer FHIR JSON."""

import json
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kapclinic.fhir import export, reading, referral_in
from kapclinic.fhir.capability import capability_statement
from kapclinic.fhir.http import (
    api,
    fhir_response,
    in_api_language,
    json_body,
    outcome_response,
    token_user,
)
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
        raise FhirError(404, _("This server has no such resource type."))
    return kind


@csrf_exempt
def metadata(request: HttpRequest) -> HttpResponse:
    """The CapabilityStatement, readable without a token: FHIR clients read it to learn how to
    connect before they hold one, and it holds no data (and is in English only)."""
    if request.method not in READ_ONLY:
        return _read_only(request)
    return fhir_response(capability_statement(base_url(request)))


@in_api_language
def _read_only(request: HttpRequest) -> HttpResponse:
    return outcome_response(405, _("The CapabilityStatement is read only."), Allow="GET, HEAD")


@csrf_exempt
@in_api_language
def unknown_path(request: HttpRequest, unknown: str) -> HttpResponse:
    """Any other path under /fhir/R4/ (`Patient/`, `Patient/1/_history`): a 404 that says what
    the API serves, as an OperationOutcome, never the web site's HTML page."""
    return outcome_response(
        404,
        _(
            "This server has no '%(path)s'. It serves [type], [type]/[id], $export and "
            "metadata for the types the CapabilityStatement lists (GET metadata)."
        )
        % {"path": unknown},
    )


def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI document: public, like the CapabilityStatement's shape (no data in it)."""
    document = openapi_document(request.build_absolute_uri("/"))
    return HttpResponse(json.dumps(document), content_type="application/json")


def _page_link(
    request: HttpRequest, criteria: QueryDict, kind: ResourceType, query: SearchQuery, offset: int
) -> str:
    params = [
        (name, value)
        for name, values in criteria.lists()
        if name not in ("_offset", "_count")
        for value in values
    ]
    params += [("_count", str(query.count)), ("_offset", str(offset))]
    return f"{base_url(request)}/{kind.name}?{urlencode(params)}"


def _bundle(
    request: HttpRequest,
    criteria: QueryDict,
    kind: ResourceType,
    query: SearchQuery,
    found: reading.Found,
) -> dict[str, Any]:
    def link(offset: int) -> str:
        return _page_link(request, criteria, kind, query, offset)

    links = [{"relation": "self", "url": link(query.offset)}]
    if query.count and query.offset + query.count < found.total:
        links.append(
            {
                "relation": "next",
                "url": link(query.offset + query.count),
            }
        )
    if query.offset:
        previous = max(0, query.offset - (query.count or query.offset))
        links.append({"relation": "previous", "url": link(previous)})
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


# Parameters of the exchange itself, never criteria: paging and the response's format.
PAGING = frozenset({"_offset", "_format"})


def _criteria(request: HttpRequest, kind: ResourceType) -> QueryDict:
    """The search's parameters. One this type does not support is a 400: ignored, it would
    widen the search (`Patient?name=...` answering every patient). With `Prefer:
    handling=lenient` (R4 search 3.1.1.3.5) it is dropped instead, and from the links too."""
    unknown = sorted(set(request.GET) - set(kind.params) - PAGING)
    if not unknown:
        return request.GET
    if "handling=lenient" not in request.headers.get("Prefer", "").replace(" ", ""):
        raise FhirError(
            400,
            _(
                "%(type)s has no search parameter %(unknown)s; it supports %(supported)s (the "
                "CapabilityStatement lists them). Send 'Prefer: handling=lenient' to have "
                "unknown parameters ignored."
            )
            % {
                "type": kind.name,
                "unknown": ", ".join(unknown),
                "supported": ", ".join(kind.params),
            },
            expression=unknown[0],
        )
    kept = request.GET.copy()
    for name in unknown:
        del kept[name]
    return kept


@api(*READ_ONLY)
def search_type(request: HttpRequest, resource_type: str) -> HttpResponse:
    kind = _kind(resource_type)
    criteria = _criteria(request, kind)
    query = parse_search(criteria)
    found = reading.search(
        by=token_user(request), kind=kind, query=query, detail=criteria.urlencode()
    )
    bundle = _bundle(request, criteria, kind, query, found)
    return fhir_response({k: v for k, v in bundle.items() if v is not None})


@api(*READ_ONLY)
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    kind = _kind(resource_type)
    return fhir_response(reading.read(by=token_user(request), kind=kind, resource_id=resource_id))


@api("POST")
def transaction(request: HttpRequest) -> HttpResponse:
    """An e-referral from an EMR (the only transaction this server accepts). A repeat of one
    already received (the same sender's identifier: a retry after a timeout) answers the
    first one's entries, 200 OK where the first said 201 Created (FHIR conditional create)."""
    bundle = json_body(request)
    user = token_user(request)
    received = referral_in.receive_bundle(by=user, bundle=bundle)
    referral = received.referral
    created = "200 OK" if received.repeat else "201 Created"
    task = reading.read(by=user, kind=RESOURCES["Task"], resource_id=str(referral.pk))
    answers = {
        "Patient": {"status": "200 OK", "location": f"Patient/{referral.patient_id}"}
        if referral.patient_id
        else {
            # No record is linked blindly: intake staff match or create it, and it then
            # becomes the ServiceRequest's subject.
            "status": "202 Accepted",
            "outcome": _information(_("Intake staff will match or create the patient record.")),
        },
        # The Task (the referral's progress through intake) is given as this entry's
        # outcome, so that the response keeps one entry per request entry, in order.
        "ServiceRequest": {
            "status": created,
            "location": f"ServiceRequest/{referral.pk}",
            "outcome": task,
        },
        # The checklist is kept with the referral: it is read back through the ServiceRequest.
        "QuestionnaireResponse": {
            "status": created,
            "location": f"ServiceRequest/{referral.pk}",
            "outcome": _information(
                _("The checklist is kept with the referral %(reference)s.")
                % {"reference": f"ServiceRequest/{referral.pk}"}
            ),
        },
    }
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    response = {
        "resourceType": "Bundle",
        "type": "transaction-response",
        "entry": [{"response": answers[kind]} for kind in kinds],
    }
    return fhir_response(response, 200, {"Location": f"{base_url(request)}/Task/{referral.pk}"})


def _information(text: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "information", "code": "informational", "diagnostics": text}],
    }


def _asks_async(request: HttpRequest) -> bool:
    """The request carries `Prefer: respond-async` (among other preferences, perhaps)."""
    preferences = request.headers.get("Prefer", "").replace(";", ",").split(",")
    return any(part.strip().lower() == "respond-async" for part in preferences)


def _kick_off(request: HttpRequest, patient_id: int | None, patient_level: bool) -> HttpResponse:
    # FHIR Bulk Data 2.0, kick-off request: the Prefer header "Specifies whether the response
    # is immediate or asynchronous. Setting this to respond-async is required."
    if not _asks_async(request):
        raise FhirError(
            400,
            _(
                "A bulk export runs asynchronously: send the header 'Prefer: respond-async' "
                "(FHIR Bulk Data kick-off request)."
            ),
        )
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
                {
                    "severity": "information",
                    "code": "informational",
                    "diagnostics": _("Queued"),
                }
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
                    {
                        "severity": "information",
                        "code": "informational",
                        "diagnostics": _("Deleted"),
                    }
                ],
            },
            202,
        )
    job = export.job_of(by=token_user(request), job_id=job_id)
    if job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING):
        return HttpResponse(status=202, headers={"X-Progress": job.status, "Retry-After": "5"})
    if job.status == ExportStatus.FAILED:
        raise FhirError(422, _("The export failed: %(reason)s") % {"reason": job.error})
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
