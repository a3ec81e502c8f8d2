"""The witness of a waste or destruction: another health professional of the clinic, who
re-enters their own password at the moment they co-sign the joint declaration.

The check and its lockout are accounts.reauth's, shared with every signature that asks for a
password: a wrong password is kept in the audit trail (services.record_waste records it once the
refused transaction has rolled back) and counts towards the witness's lockout.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from kapclinic.accounts import reauth
from kapclinic.accounts.models import User
from kapclinic.accounts.reauth import Reauth, ReauthRefused, confirm_identity, recent_failures
from kapclinic.accounts.selectors import clinics_of
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
    try:
        confirm_identity(user=witness, secret=password)
    except ReauthRefused as refused:
        if refused.why == Reauth.LOCKED:
            raise RegisterError(
                _(
                    "Too many wrong passwords for this witness: try again in %(minutes)d minutes "
                    "or ask another colleague."
                )
                % {"minutes": settings.AXES_COOLOFF_TIME * 60},
                code=RegisterCode.WITNESS_LOCKED,
            ) from None
        raise RegisterError(
            _("The witness's password is not correct."), code=RegisterCode.WITNESS_PASSWORD_WRONG
        ) from None


def record_failed_attempt(*, by: User, witness: User) -> None:
    """Kept even though the destruction itself is refused (and counted by recent_failures)."""
    reauth.record_failed_attempt(by=by, user=witness, detail={"witness": witness.email})


__all__ = ["check_witness", "recent_failures", "record_failed_attempt"]
