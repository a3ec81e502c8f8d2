"""The CapabilityStatement at /fhir/R4/metadata: what this server reads and searches."""

from typing import Any

from django.conf import settings

from kapclinic.fhir.registry import RESOURCES

FHIR_VERSION = "4.3.0"  # R4B: the version fhir.resources.R4B validates against
PARAM_TYPES = {
    "_id": "token",
    "_lastUpdated": "date",
    "_count": "number",
    "patient": "reference",
    "date": "date",
    "status": "token",
    "url": "uri",
}


def capability_statement(base_url: str) -> dict[str, Any]:
    resources = [
        {
            "type": kind.name,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                {"name": name, "type": PARAM_TYPES[name]}
                for name in kind.params
                if name != "_count"
            ],
        }
        for kind in RESOURCES.values()
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
                    "description": f"Site: {settings.SITE_URL}",
                },
                "resource": resources,
                # FHIR Bulk Data $export; a DELETE on its status URL cancels the job.
                "operation": [
                    {
                        "name": "export",
                        "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
                    }
                ],
            }
        ],
    }
