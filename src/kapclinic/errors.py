"""Domain errors: what went wrong, in a sentence a person can act on, with a stable code.

Services raise these; views turn them into form errors or 4xx pages, never a 500.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.forms import BaseForm
    from django.http import HttpRequest


class ErrorCode(StrEnum):
    """Base of each app's error codes (`kapclinic.dosing.errors.DosingCode`, ...): a member is
    its string, so a code compares, renders and serialises as the plain value."""


class CommonCode(ErrorCode):
    DOMAIN_ERROR = "domain_error"
    NOT_PERMITTED = "not_permitted"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"


class DomainError(Exception):
    """Base of every rule a service refuses to break."""

    code: ErrorCode = CommonCode.DOMAIN_ERROR

    def __init__(self, message: str, *, code: ErrorCode | None = None, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.params = params

    def __str__(self) -> str:
        return str(self.message)


class NotPermitted(DomainError):
    """The acting user may not do this (shown as 403)."""

    code: ErrorCode = CommonCode.NOT_PERMITTED


class NotFound(DomainError):
    """No such object, or not one the acting user may see (shown as 404, to avoid enumeration)."""

    code: ErrorCode = CommonCode.NOT_FOUND


class Conflict(DomainError):
    """The request clashes with the current state (shown as 409 or a form error)."""

    code: ErrorCode = CommonCode.CONFLICT


def found_or_404[**P, T](lookup: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Call an access or selector function; its NotFound becomes the HTTP 404 a view returns."""
    from django.http import Http404

    try:
        return lookup(*args, **kwargs)
    except NotFound as error:
        raise Http404(str(error)) from None


def call_service(
    request: "HttpRequest", call: Callable[[], object], /, *, form: "BaseForm | None" = None
) -> bool:
    """Call a service (`call` takes no arguments: a lambda that passes `by=request.user` and
    the form's values). Its refusal is shown: as the form's error, above its fields, when the
    page shows `form` again; otherwise as an error message on the next page. True when the
    service ran; its return value, where needed, is the caller's to keep."""
    from django.contrib import messages

    try:
        call()
    except DomainError as error:
        if form is not None:
            form.add_error(None, error.message)
        else:
            messages.error(request, error.message)
        return False
    return True


def run_service(request: "HttpRequest", service: Callable[..., object], /, **kwargs: Any) -> bool:
    """`call_service` for a service called as the signed-in user with these keyword arguments;
    a refusal becomes an error message on the next page. True when the service ran."""
    return call_service(request, lambda: service(by=request.user, **kwargs))


def id_or_none(raw: object) -> int | None:
    """A posted or linked id as a positive 64-bit integer, or None for anything else ("abc",
    "-1", a number beyond the database's range), so a lookup finds nothing instead of a 500."""
    text = str(raw).strip()
    if not text.isascii() or not text.isdecimal():
        return None
    value = int(text)
    return value if 0 < value < 2**63 else None
