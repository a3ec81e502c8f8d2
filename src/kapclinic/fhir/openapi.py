"""The OpenAPI 3.1 document of the FHIR endpoints, built from the registry (so a new mapping
appears in it), served at /fhir/R4/openapi.json and fuzzed by schemathesis in the tests."""

from typing import Any

from kapclinic.fhir.params import MAX_COUNT, MAX_OFFSET
from kapclinic.fhir.registry import RESOURCES

FHIR_JSON = "application/fhir+json"
RESOURCE = {
    "type": "object",
    "required": ["resourceType"],
    "properties": {"resourceType": {"type": "string"}},
}
OUTCOME = {"$ref": "#/components/schemas/OperationOutcome"}
PARAM_SCHEMAS: dict[str, dict[str, Any]] = {
    "_id": {"type": "string", "maxLength": 200},
    "identifier": {"type": "string", "maxLength": 200},
    "patient": {"type": "string", "maxLength": 40},
    "date": {"type": "string", "maxLength": 40},
    "status": {"type": "string", "maxLength": 100},
    "url": {"type": "string", "maxLength": 200},
    "_lastUpdated": {"type": "string", "maxLength": 40},
    "_count": {"type": "integer", "minimum": 0, "maximum": MAX_COUNT},
}


def _refusals(*codes: int) -> dict[str, Any]:
    meaning = {
        400: "A parameter or body that cannot be read",
        401: "No valid bearer token",
        403: "The token's role does not read this",
        404: "No such record, or not one the token's user may see",
        405: "Nothing can be changed or deleted over the API",
        413: "The body is too large",
        409: "The sender's identifier already names another referral with other content",
        415: "The body is not FHIR JSON",
        422: "A FHIR resource we cannot accept",
    }
    return {
        str(code): {"description": meaning[code], "content": {FHIR_JSON: {"schema": OUTCOME}}}
        for code in codes
    }


def _ok(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "content": {FHIR_JSON: {"schema": schema or RESOURCE}}}


def _param(name: str, where: str = "query", required: bool = False) -> dict[str, Any]:
    schema = PARAM_SCHEMAS.get(name, {"type": "string", "maxLength": 64})
    return {"name": name, "in": where, "required": required, "schema": schema}


def _search(name: str, params: tuple[str, ...]) -> dict[str, Any]:
    offset = {
        "name": "_offset",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
    }
    return {
        "get": {
            "operationId": f"search{name}",
            "summary": f"Search {name}",
            "parameters": [*[_param(p) for p in params], offset],
            "responses": {"200": _ok("A searchset Bundle"), **_refusals(400, 401, 403, 404)},
        }
    }


def _read(name: str) -> dict[str, Any]:
    return {
        "get": {
            "operationId": f"read{name}",
            "summary": f"Read a {name}",
            "parameters": [_param("id", "path", required=True)],
            "responses": {"200": _ok(f"The {name}"), **_refusals(400, 401, 403, 404)},
        },
        "delete": {
            "operationId": f"delete{name}",
            "summary": "Refused: nothing clinical is deleted",
            "parameters": [_param("id", "path", required=True)],
            "responses": _refusals(401, 405),
        },
    }


def _export(operation_id: str, with_id: bool = False) -> dict[str, Any]:
    prefer = {
        "name": "Prefer",
        "in": "header",
        "required": True,
        "description": "respond-async (FHIR Bulk Data: a kick-off without it is a 400)",
        "schema": {"type": "string", "enum": ["respond-async"]},
    }
    params = [prefer, _param("_type"), _param("_since")]
    if with_id:
        params.insert(0, _param("id", "path", required=True))
    return {
        "get": {
            "operationId": operation_id,
            "summary": "Start a bulk export (FHIR Bulk Data)",
            "parameters": params,
            "responses": {
                "202": {
                    "description": "Queued; poll the Content-Location URL",
                    "headers": {"Content-Location": {"schema": {"type": "string"}}},
                    "content": {FHIR_JSON: {"schema": OUTCOME}},
                },
                **_refusals(400, 401, 403, 404),
            },
        }
    }


def _exports() -> dict[str, Any]:
    job = {
        "name": "job_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
    return {
        "/fhir/R4/$export": _export("exportSystem"),
        "/fhir/R4/Patient/$export": _export("exportPatients"),
        "/fhir/R4/Patient/{id}/$export": _export("exportPatient", with_id=True),
        "/fhir/R4/$export-status/{job_id}": {
            "get": {
                "operationId": "exportStatus",
                "parameters": [job],
                "responses": {
                    "200": {
                        "description": "The manifest",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "202": {"description": "Still running"},
                    **_refusals(401, 404, 422),
                },
            },
            "delete": {
                "operationId": "exportCancel",
                "summary": "Cancel the export, or delete a finished export's files",
                "parameters": [job],
                "responses": {
                    "202": {
                        "description": "Cancelled; the status URL is then a 404",
                        "content": {FHIR_JSON: {"schema": OUTCOME}},
                    },
                    **_refusals(401, 404),
                },
            },
        },
        "/fhir/R4/$export-file/{job_id}/{type}.ndjson": {
            "get": {
                "operationId": "exportFile",
                "parameters": [job, _param("type", "path", required=True)],
                "responses": {
                    "200": {
                        "description": "NDJSON, one resource per line",
                        "content": {"application/fhir+ndjson": {"schema": {"type": "string"}}},
                    },
                    **_refusals(401, 404),
                },
            }
        },
    }


def openapi_document(server_url: str) -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/fhir/R4/metadata": {
            "get": {
                "operationId": "capabilities",
                "summary": "The CapabilityStatement (no token needed: it holds no data)",
                "security": [],
                "responses": {"200": _ok("The CapabilityStatement")},
            }
        },
        "/fhir/R4/": {
            "post": {
                "operationId": "transaction",
                "summary": "An e-referral: Patient, ServiceRequest and checklist in a transaction",
                "requestBody": {"required": True, "content": {FHIR_JSON: {"schema": RESOURCE}}},
                "responses": {
                    "200": _ok(
                        "The transaction-response Bundle (entries 201 Created, or 200 OK for "
                        "a retry with the same sender's identifier)"
                    ),
                    **_refusals(400, 401, 403, 409, 413, 415, 422),
                },
            }
        },
        **_exports(),
    }
    for name, kind in RESOURCES.items():
        paths[f"/fhir/R4/{name}"] = _search(name, kind.params)
        paths[f"/fhir/R4/{name}/{{id}}"] = _read(name)
    return {
        "openapi": "3.1.0",
        "info": {"title": "kapclinic FHIR R4 API", "version": "0.1.0"},
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "OperationOutcome": {
                    "type": "object",
                    "required": ["resourceType", "issue"],
                    "properties": {
                        "resourceType": {"const": "OperationOutcome"},
                        "issue": {"type": "array", "minItems": 1},
                    },
                }
            },
        },
    }
