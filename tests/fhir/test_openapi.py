"""schemathesis against /fhir/R4/openapi.json with each role's token: no server error, no
endpoint that answers without its token (ignored auth), every status and body as documented.
Bounded: a few examples per operation and role."""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from kapclinic.fhir.tokens import create_token

pytestmark = pytest.mark.django_db
ROLES = [
    "intake",
    "physician",
    "nurse",
    "therapist",
    "billing",
    "clinic_admin",
    "privacy_officer",
    "referrer",
    "patient_user",
]
CHECKS = [
    not_a_server_error,
    ignored_auth,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 2
PUBLIC = {"/fhir/R4/metadata"}


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Requests through the WSGI app keep the test's database connection (and transaction),
    as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_openapi_document_is_served_and_lists_every_type(client: Any) -> None:
    from kapclinic.fhir.registry import RESOURCES

    document = client.get("/fhir/R4/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {f"/fhir/R4/{name}" for name in RESOURCES} <= set(document["paths"])


def _fuzz(operation: Any, headers: dict[str, str], found: Counter[str]) -> int:
    sent = 0

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        # The same request without its token (the CapabilityStatement is public).
        if case.path not in PUBLIC and case.call().status_code != 401:
            found[f"IgnoredAuth(no token) {case.method} {case.path}"] += 1
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as error:  # a FailureGroup of the checks that failed
            for failure in getattr(error, "exceptions", [error]):
                found[f"{type(failure).__name__} {case.method} {case.path}"] += 1

    run()
    return sent


@pytest.mark.security
@pytest.mark.parametrize("actor", ROLES)
def test_schemathesis_finds_no_server_error_and_no_ignored_auth(
    network: Any, actor: str, same_connection: None, security_figures: Any
) -> None:
    _token, plain = create_token(user=network[actor])
    headers = {"Authorization": f"Bearer {plain}"}
    schema = schemathesis.openapi.from_wsgi("/fhir/R4/openapi.json", get_wsgi_application())
    found: Counter[str] = Counter()
    sent = 0
    for result in schema.get_all_operations():
        sent += _fuzz(result.ok(), headers, found)
    server_errors = sum(n for key, n in found.items() if key.startswith("ServerError"))
    ignored = sum(n for key, n in found.items() if key.startswith("IgnoredAuth"))
    security_figures("fhir_fuzz", requests=sent, errors_5xx=server_errors, ignored_auth=ignored)
    assert sent > 0
    assert found == Counter()
