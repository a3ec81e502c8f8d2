"""Who is asking and from where, for the audit trail, without passing the request down.

RequestContextMiddleware fills it per request; commands and tasks leave the default.
"""

from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class SealWanted:
    wanted: bool = False


@dataclass(frozen=True)
class RequestContext:
    client_address: str | None = None
    request_id: str = ""
    # Within a request (deferring), an event committed marks the seal as wanted: the middleware
    # seals once, after the response is sent. Commands and tasks seal at each commit.
    deferring: bool = False
    seal: SealWanted = field(default_factory=SealWanted)


_NONE = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("kapclinic_request", default=_NONE)


def current() -> RequestContext:
    return _current.get()


def bind(context: RequestContext) -> object:
    """Make `context` current; returns a token for `unbind`."""
    return _current.set(context)


def unbind(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def defer_seal() -> bool:
    """Within a request, note that the chain needs sealing and return True (the middleware
    seals after the response); outside one (commands, tasks), return False: seal now."""
    ctx = _current.get()
    if not ctx.deferring:
        return False
    ctx.seal.wanted = True
    return True
