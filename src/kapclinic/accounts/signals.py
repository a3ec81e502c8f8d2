"""Sign-ins, failed sign-ins (a password or an MFA code) and sign-outs go to the audit trail;
sessions are registered."""

from typing import Any

from allauth.mfa.signals import authentication_failed
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone, translation

from kapclinic.accounts.models import LoginSession, User
from kapclinic.audit.models import Action, Outcome
from kapclinic.audit.services import record_event


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_event(actor=user, action=Action.LOGIN)
    if user.language:  # the sign-in's own message ("Successfully signed in") in their language
        translation.activate(user.language)
        if request is not None:
            request.LANGUAGE_CODE = user.language
    if request is not None and hasattr(request, "session"):
        if request.session.session_key is None:
            request.session.save()
        LoginSession.objects.update_or_create(
            session_key=request.session.session_key,
            defaults={
                "user": user,
                "client_address": request.META.get("REMOTE_ADDR") or None,
                "user_agent": request.headers.get("User-Agent", "")[:300],
                "started_at": timezone.now(),
                "ended_at": None,
            },
        )


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    if user is None:
        return
    record_event(actor=user, action=Action.LOGOUT)
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        LoginSession.objects.filter(session_key=key).update(ended_at=timezone.now())


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    identifier = str(credentials.get("email") or credentials.get("username") or "")[:254]
    known = get_user_model().objects.filter(email__iexact=identifier).first()
    record_event(
        actor=None,
        action=Action.LOGIN_FAILED,
        outcome=Outcome.FAILURE,
        target=known,
        detail={"login": identifier},
    )


@receiver(authentication_failed)
def on_mfa_failed(sender: Any, user: User, authenticator: Any, **kwargs: Any) -> None:
    """A wrong MFA code: the account and the kind of authenticator, never the code typed."""
    record_event(
        actor=None,
        action=Action.LOGIN_FAILED,
        outcome=Outcome.FAILURE,
        target=user,
        detail={
            "mfa": authenticator.type,
            "reauthentication": bool(kwargs.get("reauthentication")),
        },
    )
