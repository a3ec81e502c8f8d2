"""Binds the client address and a request id for the audit events a request writes."""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from kapclinic.audit import context
from kapclinic.audit.services import seal_recent


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
        bound = context.RequestContext(
            client_address=client_address(request), request_id=request_id, deferring=True
        )
        token = context.bind(bound)
        response = None
        try:
            response = self.get_response(request)
        finally:
            context.unbind(token)
            if bound.seal.wanted and response is None:
                seal_recent()
        response.headers["X-Request-ID"] = request_id
        if bound.seal.wanted:
            # The events are committed; the chain is extended once the response has gone out,
            # so the reader never waits on the seal lock, its queries and the anchor's fsync.
            seal_after_response(response)
        return response


def seal_after_response(response: HttpResponseBase) -> None:
    """Seal once the server has sent `response`: in its close(), before Django's own.

    The server calls close() after the last byte of the body (PEP 3333; Django's ASGI
    handler and test client do the same, a streaming body when it is exhausted; a file sent
    through wsgi.file_wrapper has its close pointed at response.close after this middleware
    has returned). The seal runs before Django's close, whose request_finished signal lets
    close_old_connections close the connection the seal uses. If the seal fails, seal_recent
    logs it and the events stay committed for the next seal. request_finished itself would
    not do: it names no request (the context is unbound by then), so a receiver cannot tell
    whether this request wrote events, and it runs after close_old_connections.
    """
    close = response.close
    sealed = False

    def seal_then_close() -> None:
        nonlocal sealed
        try:
            if not sealed:
                sealed = True
                seal_recent()
        finally:
            close()

    response.close = seal_then_close  # type: ignore[method-assign]
