"""FHIR R4 at /fhir/R4/. Each endpoint authenticates its bearer token itself (fhir.http.api):
the web policy sees them as public, the API denies anything without a valid token (401) and
anything the token's user may not see (403/404), exactly as the web UI's access rules say."""

from kapclinic.accounts.policy import PUBLIC, Policy, route
from kapclinic.fhir import views

app_name = "fhir"
# Authenticated per request by bearer token, not by session: see fhir.http.api.
BEARER_TOKEN = Policy(public=True, before_mfa=True)

urlpatterns = [
    route("", views.transaction, name="transaction", policy=BEARER_TOKEN),
    route("metadata", views.metadata, name="metadata", policy=PUBLIC),
    route("openapi.json", views.openapi, name="openapi", policy=PUBLIC),
    route("$export", views.export_system, name="export", policy=BEARER_TOKEN),
    route("Patient/$export", views.export_patients, name="export_patients", policy=BEARER_TOKEN),
    route(
        "Patient/<str:resource_id>/$export",
        views.export_patient,
        name="export_patient",
        policy=BEARER_TOKEN,
    ),
    route(
        "$export-status/<int:job_id>",
        views.export_status,
        name="export_status",
        policy=BEARER_TOKEN,
    ),
    route(
        "$export-file/<int:job_id>/<str:resource_type>.ndjson",
        views.export_file,
        name="export_file",
        policy=BEARER_TOKEN,
    ),
    route("<str:resource_type>", views.search_type, name="search", policy=BEARER_TOKEN),
    route("<str:resource_type>/<str:resource_id>", views.read, name="read", policy=BEARER_TOKEN),
    # Last: anything else under /fhir/R4/ is a 404 OperationOutcome, not the site's HTML page.
    route("<path:unknown>", views.unknown_path, name="unknown", policy=PUBLIC),
]
