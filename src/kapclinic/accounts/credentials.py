"""Staff credentials: what each role must hold, whether it is valid on a day, what expires soon.

Which credentials a role needs, the current code of ethics version and the warning window
are settings a clinic decides (REQUIRED_CREDENTIALS, ETHICS_CODE_VERSION,
CREDENTIAL_WARNING_DAYS). A credential counts on a day when it was issued by then, has not
expired before it (valid through its expiry date) and is not marked entered in error.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kapclinic.accounts.errors import AccountCode
from kapclinic.accounts.models import Credential, CredentialKind, User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.clinics.models import Clinic, latest_today
from kapclinic.errors import DomainError


class CredentialError(DomainError):
    code = AccountCode.CREDENTIAL_INVALID


def required_kinds(role: str) -> list[CredentialKind]:
    return [CredentialKind(kind) for kind in settings.REQUIRED_CREDENTIALS.get(role, [])]


def _counts_on(credential: Credential, day: date) -> bool:
    if credential.entered_in_error or credential.issued_on > day:
        return False
    if credential.expires_on is not None and credential.expires_on < day:
        return False
    if credential.kind == CredentialKind.ETHICS_ATTESTATION:
        return credential.version == settings.ETHICS_CODE_VERSION
    return True


def missing_on(user: User, day: date, credentials: Iterable[Credential] | None = None) -> list[str]:
    """The names of the required credentials `user` lacks on `day` (missing or expired)."""
    held = list(user.credentials.all()) if credentials is None else list(credentials)
    return [
        str(kind.label)
        for kind in required_kinds(user.role)
        if not any(c.kind == kind and _counts_on(c, day) for c in held)
    ]


def check_bookable(user: User, day: date) -> None:
    """Refuse, naming each credential, when `user` may not be booked on `day`."""
    gaps = missing_on(user, day)
    if gaps:
        raise CredentialError(
            _("%(name)s cannot be booked on %(day)s: %(credentials)s missing or expired.")
            % {"name": user, "day": day.isoformat(), "credentials": ", ".join(gaps)},
            code=AccountCode.CREDENTIAL_LAPSED,
            missing=gaps,
        )


@transaction.atomic
def record_credential(
    *,
    by: User,
    user: User,
    kind: str,
    issuer: str,
    issued_on: date,
    number: str = "",
    version: str = "",
    expires_on: date | None = None,
) -> Credential:
    if kind == CredentialKind.ETHICS_ATTESTATION and not version:
        raise CredentialError(_("An ethics attestation needs the version of the code attested."))
    credential = Credential.objects.create(
        user=user,
        recorded_by=by,
        kind=kind,
        issuer=issuer,
        number=number,
        version=version,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    record_event(
        actor=by, action=Action.CREATE, target=credential, detail={"kind": credential.kind}
    )
    return credential


@transaction.atomic
def mark_in_error(*, by: User, credential: Credential, reason: str) -> Credential:
    if not reason.strip():
        raise CredentialError(_("Say why the credential was entered in error."))
    credential.entered_in_error = True
    credential.save(update_fields=["entered_in_error"])
    record_event(actor=by, action=Action.UPDATE, target=credential, reason=reason)
    return credential


def expiring(*, clinics: QuerySet[Any] | None, today: date | None = None) -> QuerySet[Credential]:
    """Valid credentials of active staff that expire within the warning window, soonest first."""
    if today is None:  # each clinic's own date; across several, the furthest on
        today = latest_today(clinics if clinics is not None else Clinic.objects.all())
    horizon = today + timedelta(days=settings.CREDENTIAL_WARNING_DAYS)
    found = Credential.objects.filter(
        entered_in_error=False,
        user__is_active=True,
        expires_on__gte=today,
        expires_on__lte=horizon,
    ).select_related("user")
    if clinics is not None:
        found = found.filter(user__clinics__in=clinics).distinct()
    return found.order_by("expires_on", "user__full_name", "id")


def licence_on(user: User, day: date) -> Credential | None:
    """The licence or registration `user` held on `day` (the latest issued), or None: what an
    insurance receipt names as the practitioner's college and registration number."""
    licences = [c for c in user.credentials.all() if c.kind == CredentialKind.LICENCE]
    valid = [c for c in licences if _counts_on(c, day)]
    return max(valid, key=lambda c: c.issued_on, default=None)
