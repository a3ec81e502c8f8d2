"""Domain errors: what went wrong, in a sentence a person can act on, with a stable code.

Services raise these; views turn them into form errors or 4xx pages, never a 500.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest


class DomainError(Exception):
    """Base of every rule a service refuses to break."""

    code: str = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.params = params

    def __str__(self) -> str:
        return str(self.message)


class NotPermitted(DomainError):
    """The acting user may not do this (shown as 403)."""

    code = "not_permitted"


class NotFound(DomainError):
    """No such object, or not one the acting user may see (shown as 404, to avoid enumeration)."""

    code = "not_found"


class Conflict(DomainError):
    """The request clashes with the current state (shown as 409 or a form error)."""

    code = "conflict"


def found_or_404[**P, T](lookup: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Call an access or selector function; its NotFound becomes the HTTP 404 a view returns."""
    from django.http import Http404

    try:
        return lookup(*args, **kwargs)
    except NotFound as error:
        raise Http404(str(error)) from None


def run_service(request: "HttpRequest", service: Callable[..., object], /, **kwargs: Any) -> bool:
    """Call a service as the signed-in user; a refusal becomes an error message on the next
    page. True when the service ran."""
    from django.contrib import messages

    try:
        service(by=request.user, **kwargs)
    except DomainError as error:
        messages.error(request, error.message)
        return False
    return True


def id_or_none(raw: object) -> int | None:
    """A posted or linked id as a positive 64-bit integer, or None for anything else ("abc",
    "-1", a number beyond the database's range), so a lookup finds nothing instead of a 500."""
    text = str(raw).strip()
    if not text.isascii() or not text.isdecimal():
        return None
    value = int(text)
    return value if 0 < value < 2**63 else None
