"""The API's HTTP edge: bearer authentication, FHIR JSON responses, and every refusal as an
OperationOutcome with its status (never an HTML page, never a 500 for bad input)."""

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action, Outcome
from kapclinic.audit.services import record_event
from kapclinic.errors import Conflict, DomainError, NotFound, NotPermitted
from kapclinic.fhir.outcome import FhirError, operation_outcome
from kapclinic.fhir.tokens import user_for_token

logger = logging.getLogger(__name__)
FHIR_JSON = "application/fhir+json"
API_LANGUAGES = ("en", "fr")
# What a client may ask for and get: this server writes FHIR JSON (and Bulk Data NDJSON)
# only, no XML and no Turtle.
JSON_TYPES = {
    FHIR_JSON,
    "application/json",
    "application/json+fhir",
    "json",
    "application/fhir+ndjson",
    "application/ndjson",
    "ndjson",
    "*/*",
    "application/*",
}
MAX_BODY = 5 * 1024 * 1024
type ApiView = Callable[..., HttpResponse]


def fhir_response(
    resource: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> HttpResponse:
    # default=str: a lazily translated label is written in the active language.
    body = json.dumps(resource, ensure_ascii=False, separators=(",", ":"), default=str)
    response = HttpResponse(body, status=status, content_type=f"{FHIR_JSON}; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def outcome_response(status: int, diagnostics: str, **headers: str) -> HttpResponse:
    return fhir_response(operation_outcome(status, diagnostics), status, headers)


def _bearer_user(request: HttpRequest) -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return user_for_token(token.strip())


def token_user(request: HttpRequest) -> User:
    """The user the request's bearer token stands for (api() set it, or answered 401)."""
    user = request.user
    if not isinstance(user, User):
        raise FhirError(401, _("A valid bearer token is required."))
    return user


def wants_json(request: HttpRequest) -> bool:
    """False when the client asks only for a format this server does not write, by
    `_format` (FHIR R4 http.html#mime-type) or by its Accept header."""
    wanted = request.GET.get("_format")
    if wanted is not None:
        return wanted.split(";")[0].strip().lower() in JSON_TYPES
    accept = request.headers.get("Accept", "").strip()
    if not accept:
        return True
    return any(part.split(";")[0].strip().lower() in JSON_TYPES for part in accept.split(","))


def api_language(request: HttpRequest) -> str:
    """The language the API answers in: the first of en and fr that Accept-Language asks
    for (by quality), else English. Neither the token user's nor the session's language:
    an EMR integration reads the same messages whoever its token belongs to."""
    ranked = []
    for position, part in enumerate(request.headers.get("Accept-Language", "").split(",")):
        tag, _semicolon, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _equals, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, tag.split("-")[0].lower()))
    for negative_quality, _position, language in sorted(ranked):
        if negative_quality < 0 and language in API_LANGUAGES:
            return language
    return "en"


def _refusal(request: HttpRequest, error: DomainError) -> HttpResponse:
    if isinstance(error, NotFound):
        return outcome_response(404, error.message)
    if isinstance(error, NotPermitted):
        record_event(
            actor=request.user,
            action=Action.DENIED,
            outcome=Outcome.FAILURE,
            detail={"path": request.path[:200], "method": request.method},
        )
        return outcome_response(403, error.message)
    if isinstance(error, Conflict):
        return outcome_response(409, error.message)
    return outcome_response(422, error.message)


def in_api_language(view: ApiView) -> ApiView:
    """The view answers in api_language(), and says so in Content-Language."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = api_language(request)
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    return answer


def api(*methods: str) -> Callable[[ApiView], ApiView]:
    """A FHIR endpoint: the bearer token is the only credential (a session cookie is ignored,
    so no CSRF token is needed), the methods are the listed ones (405 otherwise), and a
    domain refusal is an OperationOutcome."""

    def wrap(view: ApiView) -> ApiView:
        @csrf_exempt
        @wraps(view)
        @in_api_language
        def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = _bearer_user(request)
            request.user = user or AnonymousUser()
            if user is None:
                return outcome_response(
                    401, _("A valid bearer token is required."), **{"WWW-Authenticate": "Bearer"}
                )
            if request.method not in methods:
                return outcome_response(
                    405,
                    _("This interaction is not supported: nothing can be changed or deleted here."),
                    Allow=", ".join(methods),
                )
            if not wants_json(request):
                return outcome_response(
                    406, _("This server answers in FHIR JSON only (application/fhir+json).")
                )
            try:
                return view(request, *args, **kwargs)
            except FhirError as error:
                body = operation_outcome(
                    error.status,
                    error.diagnostics,
                    expression=error.expression,
                    problems=error.problems,
                )
                return fhir_response(body, error.status)
            except DomainError as error:
                return _refusal(request, error)

        return endpoint

    return wrap


def json_body(request: HttpRequest) -> dict[str, Any]:
    """The request's FHIR JSON resource; 415, 413 or 400 when it is not one."""
    kind = request.content_type or ""
    if kind not in (FHIR_JSON, "application/json"):
        raise FhirError(415, _("Send application/fhir+json."))
    if len(request.body) > MAX_BODY:
        raise FhirError(413, _("The request is too large."))
    try:
        parsed = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise FhirError(400, _("The body is not JSON.")) from None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("resourceType"), str):
        raise FhirError(400, _("The body is not a FHIR resource (no resourceType)."))
    return parsed
