"""Enforces each view's declared policy, and MFA enrolment for staff.

Order of the checks: undeclared views are denied; public views pass; anonymous users go
to sign-in; staff without MFA go to enrolment; then the role must be one the view admits.
Denials are audited and show no detail of what was asked for.
"""

from collections.abc import Callable
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.template.loader import render_to_string

from kapclinic.accounts.models import User
from kapclinic.accounts.policy import policy_of
from kapclinic.audit.models import Action, Outcome
from kapclinic.audit.services import record_event


def needs_mfa_enrolment(user: User) -> bool:
    """Staff must enrol TOTP; demo accounts are exempt only while the demo setting is on."""
    if not user.is_clinic_staff:
        return False
    if settings.DEMO and user.mfa_exempt:
        return False
    return not is_mfa_enabled(user)


def forbidden(request: HttpRequest) -> HttpResponse:
    body = render_to_string("web/forbidden.html", request=request)
    return HttpResponseForbidden(body)


class AccessPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        policy = policy_of(view)
        user = request.user
        if policy is None:
            return self.deny(request)
        if policy.public:
            return None
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not policy.before_mfa and needs_mfa_enrolment(user):
            return redirect("mfa_activate_totp")
        if policy.admits(user.role, is_superuser=user.is_superuser):
            return None
        return self.deny(request)

    def deny(self, request: HttpRequest) -> HttpResponse:
        """403 with no detail of what was asked for; the attempt is audited."""
        record_event(
            actor=request.user,
            action=Action.DENIED,
            outcome=Outcome.FAILURE,
            detail={"path": request.path[:200], "method": request.method},
        )
        return forbidden(request)
