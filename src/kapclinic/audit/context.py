"""Who is asking and from where, for the audit trail, without passing the request down.

RequestContextMiddleware fills it per request; commands and tasks leave the default.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    client_address: str | None = None
    request_id: str = ""


_NONE = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("kapclinic_request", default=_NONE)


def current() -> RequestContext:
    return _current.get()


def bind(context: RequestContext) -> object:
    """Make `context` current; returns a token for `unbind`."""
    return _current.set(context)


def unbind(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
