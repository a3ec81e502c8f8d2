"""A NUL byte in a denied path is still a denial event, never a 500 (issue 11, item 8)."""

from typing import Any

from django.test import Client, RequestFactory

from kapclinic.accounts.middleware import AccessPolicyMiddleware
from kapclinic.audit.models import Action, AuditEvent


def test_a_denied_path_with_a_nul_byte_is_audited(network: dict[str, Any]) -> None:
    request = RequestFactory().get("/patients/%00/")
    request.user = network["billing"]
    response = AccessPolicyMiddleware(lambda r: None).deny(request)
    assert response.status_code == 403
    event = AuditEvent.objects.get(action=Action.DENIED)
    assert event.detail["path"] == "/patients/\ufffd/"


def test_a_nul_byte_in_a_url_is_not_a_server_error(
    network: dict[str, Any], client: Client, login: Any
) -> None:
    login(client, network["billing"])
    assert client.get("/patients/%00/").status_code in (403, 404)
