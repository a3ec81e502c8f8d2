"""A client per role carrying a bearer token, and validation of every resource returned
against the fhir.resources R4B models (a third-party reading of the specification)."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from kapclinic.fhir.tokens import create_token
from tests.dosing.conftest import ready  # noqa: F401 - a patient with a dosed session to map

type ApiClient = Callable[[Any], Any]


def validated(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource, after the R4B model of its type accepted it (raises otherwise); a Bundle's
    entries are validated with it."""
    model = get_fhir_model_class(resource["resourceType"])
    model.model_validate(resource)
    return resource


class Api:
    """A test client that sends the user's bearer token and checks FHIR JSON answers."""

    def __init__(self, client: Any, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(
        self, path: str, data: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        sent = {**self.headers, **(headers or {})}
        return self.client.get(f"/fhir/R4/{path}", data or {}, headers=sent)

    def export(self, path: str, data: dict[str, Any] | None = None) -> Any:
        """A Bulk Data kick-off, with the `Prefer: respond-async` it requires."""
        return self.get(path, data, headers={"Prefer": "respond-async"})

    def send(self, method: str, path: str, body: Any = None) -> Any:
        send = getattr(self.client, method.lower())
        return send(
            f"/fhir/R4/{path}",
            json.dumps(body) if body is not None else "",
            content_type="application/fhir+json",
            headers=self.headers,
        )

    def ok(self, path: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.get(path, data)
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("application/fhir+json")
        return validated(response.json())


@pytest.fixture
def api(client: Any) -> Callable[[Any], Api]:
    def for_user(user: Any) -> Api:
        _token, plain = create_token(user=user)
        return Api(client, plain)

    return for_user


def outcome(response: Any, status: int) -> dict[str, Any]:
    """The OperationOutcome of a refusal with `status`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/fhir+json")
    body = validated(response.json())
    assert body["resourceType"] == "OperationOutcome"
    return body
