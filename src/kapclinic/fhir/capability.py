"""The CapabilityStatement at /fhir/R4/metadata: what this server reads and searches."""

from typing import Any

from kapclinic.fhir.registry import RESOURCES
from kapclinic.fhir.resources.patient import HEALTH_NUMBER_SYSTEM

FHIR_VERSION = "4.3.0"  # R4B: the version fhir.resources.R4B validates against
BULK_DATA = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition"  # Bulk Data IG v2
PARAM_TYPES = {
    "_id": "token",
    "identifier": "token",
    "_lastUpdated": "date",
    "_count": "number",
    "patient": "reference",
    "date": "date",
    "status": "token",
    "url": "uri",
}


PARAM_DOCUMENTATION = {
    "identifier": (
        "The health number: system|value with the system of Patient.identifier ("
        + ", ".join(HEALTH_NUMBER_SYSTEM.values())
        + "), or the value alone for a number of any province. Spaces and dashes are "
        "ignored and letters may be in either case."
    ),
}


RETRY = (
    "A retried e-referral makes no second referral: give the ServiceRequest an identifier "
    "of your own (system and value, e.g. your order number), or its entry a conditional "
    "create (request.ifNoneExist = identifier=system|value). The same identifier from the "
    "same referrer again answers the first referral's entries with 200 OK instead of 201 "
    "Created; with other content it is a 409. Identifiers are per referrer: another "
    "referrer's identical identifier is their own referral."
)


def _search_param(name: str) -> dict[str, str]:
    found = {"name": name, "type": PARAM_TYPES[name]}
    if name in PARAM_DOCUMENTATION:
        found["documentation"] = PARAM_DOCUMENTATION[name]
    return found


def capability_statement(base_url: str) -> dict[str, Any]:
    """`base_url` is built from the request (its host), so that every address here is the one
    the client reached, never a configured site URL that may differ."""
    site = base_url.removesuffix("/fhir/R4")
    resources: list[dict[str, Any]] = [
        {
            "type": kind.name,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [_search_param(name) for name in kind.params if name != "_count"],
        }
        for kind in RESOURCES.values()
    ]
    for resource in resources:
        if resource["type"] == "ServiceRequest":
            # Created only inside the e-referral transaction, where a retry is recognised.
            resource["conditionalCreate"] = True
            resource["documentation"] = RETRY
        if resource["type"] == "Patient":
            resource["operation"] = [
                {
                    "name": "export",
                    "definition": f"{BULK_DATA}/patient-export",
                    "documentation": (
                        f"GET {base_url}/Patient/$export: every patient the token's user may "
                        f"see; GET {base_url}/Patient/{{id}}/$export: one patient."
                    ),
                }
            ]
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-01",
        "kind": "instance",
        "software": {"name": "kapclinic", "version": "0.1.0"},
        "implementation": {"description": "kapclinic FHIR R4 API", "url": base_url},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "service": [{"text": "Bearer token (kapclinic token create --user EMAIL)"}],
                    "description": (
                        "Send Authorization: Bearer <token> on every request. A token stands "
                        f"for one user of {site} and sees what that user may see there."
                    ),
                },
                "resource": resources,
                "interaction": [
                    {
                        "code": "transaction",
                        "documentation": (
                            f"Inbound e-referral: POST {base_url} a Bundle of type transaction "
                            "holding one Patient, one ServiceRequest (reasonCode: the condition) "
                            "and the contraindication checklist as a QuestionnaireResponse. "
                            "Only a referring professional's token may send it; the referral "
                            "enters the intake queue and its progress is the Task named in the "
                            "Location header. "
                        )
                        + RETRY,
                    }
                ],
                # FHIR Bulk Data $export (system level; Patient level under the Patient
                # resource); a DELETE on its status URL cancels the job.
                "operation": [
                    {
                        "name": "export",
                        "definition": f"{BULK_DATA}/export",
                        "documentation": f"GET {base_url}/$export",
                    }
                ],
            }
        ],
    }
