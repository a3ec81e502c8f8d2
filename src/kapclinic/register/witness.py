"""The witness of a waste or destruction: another health professional of the clinic, who
re-enters their own password at the moment they co-sign the joint declaration.

A wrong password is kept in the audit trail (services.record_waste records it once the
refused transaction has rolled back), and after LOGIN_FAILURE_LIMIT wrong passwords within
LOGIN_COOLOFF_MINUTES the witness's account may not co-sign until the cool-off passes: the
same limits as the sign-in page, so the declaration is no side door for guessing a password.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.selectors import clinics_of
from kapclinic.audit.models import Action, AuditEvent, Outcome
from kapclinic.audit.services import record_event
from kapclinic.clinics.models import Clinic
from kapclinic.register.access import HANDLING_ROLES
from kapclinic.register.errors import RegisterCode, RegisterError


def check_witness(*, by: User, witness: User, password: str, clinic: Clinic) -> None:
    """Refuse unless `witness` is someone else, may witness, works here and proved it is them."""
    if witness is None:
        raise RegisterError(_("A witness must co-sign."), code=RegisterCode.WITNESS_MISSING)
    if witness.pk == by.pk:
        raise RegisterError(
            _("The witness must be a different staff member."), code=RegisterCode.WITNESS_SELF
        )
    if not witness.is_active or witness.role not in HANDLING_ROLES:
        raise RegisterError(
            _("Only a physician or a nurse may witness a destruction."),
            code=RegisterCode.WITNESS_ROLE,
        )
    if not clinics_of(witness).filter(pk=clinic.pk).exists():
        raise RegisterError(
            _("The witness does not work at %(clinic)s.") % {"clinic": clinic},
            code=RegisterCode.WITNESS_CLINIC,
        )
    checks = _checks_key(witness)
    if recent_failures(witness) >= settings.AXES_FAILURE_LIMIT or not _reserve_check(checks):
        raise RegisterError(
            _(
                "Too many wrong passwords for this witness: try again in %(minutes)d minutes "
                "or ask another colleague."
            )
            % {"minutes": settings.AXES_COOLOFF_TIME * 60},
            code=RegisterCode.WITNESS_LOCKED,
        )
    if not witness.check_password(password):
        raise RegisterError(
            _("The witness's password is not correct."), code=RegisterCode.WITNESS_PASSWORD_WRONG
        )
    cache.decr(checks)


def _checks_key(witness: User) -> str:
    """One counter per witness and cool-off window (the audit count above is the sliding one)."""
    window = int(timezone.now().timestamp() // (settings.AXES_COOLOFF_TIME * 3600))
    return f"register-witness-checks:{witness.pk}:{window}"


def _reserve_check(key: str) -> bool:
    """Take one of the witness's password checks in the shared cache (atomic, so parallel
    requests on several workers cannot all pass the audit count above before any failure is
    written). A right password gives its check back; a wrong one keeps it until the cool-off."""
    cache.add(key, 0, timeout=int(settings.AXES_COOLOFF_TIME * 3600))
    if cache.incr(key) > settings.AXES_FAILURE_LIMIT:
        cache.decr(key)
        return False
    return True


def recent_failures(witness: User) -> int:
    """Wrong witness passwords for this account within the cool-off period."""
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    return AuditEvent.objects.filter(
        action=Action.WITNESS_PASSWORD_FAILED,
        occurred_at__gte=since,
        object_type=witness._meta.label_lower,
        object_id=str(witness.pk),
    ).count()


def record_failed_attempt(*, by: User, witness: User) -> None:
    """Kept even though the destruction itself is refused (and counted by recent_failures)."""
    record_event(
        actor=by,
        action=Action.WITNESS_PASSWORD_FAILED,
        target=witness,
        outcome=Outcome.FAILURE,
        detail={"witness": witness.email},
    )
