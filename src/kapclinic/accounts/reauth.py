"""Re-authentication at the moment of a signature: the person re-enters their own password (or,
for a signer whose account has TOTP, a current authenticator code).

One mechanism for every signature that needs it (a register witness, a screening decision): a
wrong secret is kept in the audit trail by the caller (`record_failed_attempt`, once the refused
transaction has rolled back), and after AXES_FAILURE_LIMIT wrong secrets within the cool-off the
account may not sign until the cool-off passes: the same limits as the sign-in page, so a
signature is no side door for guessing a password.
"""

from datetime import timedelta
from enum import StrEnum

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action, AuditEvent, Outcome
from kapclinic.audit.services import record_event


class Reauth(StrEnum):
    """Why a re-entered secret did not prove who signs."""

    LOCKED = "locked"
    WRONG = "wrong"


class ReauthRefused(Exception):
    def __init__(self, why: Reauth) -> None:
        super().__init__(why.value)
        self.why = why


def confirm_identity(*, user: User, secret: str, totp: bool = False) -> None:
    """Raise ReauthRefused unless `secret` is the user's password (or, with `totp`, a current
    code of their authenticator), and the user is not locked out by recent wrong secrets."""
    checks = _checks_key(user)
    if recent_failures(user) >= settings.AXES_FAILURE_LIMIT or not _reserve_check(checks):
        raise ReauthRefused(Reauth.LOCKED)
    if not (user.check_password(secret) or (totp and _totp_matches(user, secret))):
        raise ReauthRefused(Reauth.WRONG)
    cache.decr(checks)


def _totp_matches(user: User, code: str) -> bool:
    code = code.strip()
    if not (code.isdigit() and len(code) == 6):
        return False
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return authenticator is not None and bool(authenticator.wrap().validate_code(code))


def _checks_key(user: User) -> str:
    """One counter per account and cool-off window (the audit count is the sliding one)."""
    window = int(timezone.now().timestamp() // (settings.AXES_COOLOFF_TIME * 3600))
    return f"reauth-checks:{user.pk}:{window}"


def _reserve_check(key: str) -> bool:
    """Take one of the account's checks in the shared cache (atomic, so parallel requests on
    several workers cannot all pass the audit count before any failure is written). A right
    secret gives its check back; a wrong one keeps it until the cool-off."""
    cache.add(key, 0, timeout=int(settings.AXES_COOLOFF_TIME * 3600))
    if cache.incr(key) > settings.AXES_FAILURE_LIMIT:
        cache.decr(key)
        return False
    return True


def recent_failures(user: User) -> int:
    """Wrong re-entered secrets for this account within the cool-off period."""
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    return AuditEvent.objects.filter(
        action=Action.WITNESS_PASSWORD_FAILED,
        occurred_at__gte=since,
        object_type=user._meta.label_lower,
        object_id=str(user.pk),
    ).count()


def record_failed_attempt(*, by: User, user: User, detail: dict[str, str]) -> None:
    """Kept even though the signature itself is refused (and counted by recent_failures);
    `detail` says what was being signed."""
    record_event(
        actor=by,
        action=Action.WITNESS_PASSWORD_FAILED,
        target=user,
        outcome=Outcome.FAILURE,
        detail=detail,
    )
