"""Bearer tokens: made once and shown once, kept as a hash, expiring and revocable."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.fhir.models import ApiToken

TOKEN_PREFIX = "kct_"  # noqa: S105 - a marker, not a secret
DEFAULT_DAYS = 90
# Update last_used_at at most this often, so each request does not write a row.
TOUCH_EVERY = timedelta(minutes=5)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(*, user: User, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token for `user`; the plain token is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        token_hash=token_hash(plain),
        prefix=plain[:10],
        expires_at=timezone.now() + timedelta(days=days),
    )
    record_event(actor=None, action=Action.CREATE, target=token, detail={"for": user.email})
    return token, plain


@transaction.atomic
def revoke_token(*, token_id: int) -> ApiToken | None:
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None:
        return None
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(actor=None, action=Action.UPDATE, target=token, detail={"revoked": True})
    return token


def user_for_token(plain: str) -> User | None:
    """The active user a usable token belongs to; None for anything else."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=token_hash(plain)).first()
    now = timezone.now()
    if token is None or not token.usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
