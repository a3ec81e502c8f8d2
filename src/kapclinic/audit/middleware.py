"""Binds the client address and a request id for the audit events a request writes."""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from kapclinic.audit import context


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the address the trusted proxy reports when one is configured."""
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")[:64]
        request_id = incoming if incoming.isprintable() and incoming else uuid.uuid4().hex
        token = context.bind(
            context.RequestContext(client_address=client_address(request), request_id=request_id)
        )
        try:
            response = self.get_response(request)
        finally:
            context.unbind(token)
        response.headers["X-Request-ID"] = request_id
        return response
