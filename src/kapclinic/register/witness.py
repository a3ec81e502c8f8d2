"""The witness of a waste or destruction: another health professional of the clinic, who
re-enters their own password at the moment they co-sign the joint declaration."""

from typing import Any

from django.utils.translation import gettext as _

from kapclinic.clinics.models import Clinic
from kapclinic.register.access import HANDLING_ROLES
from kapclinic.register.errors import RegisterError


def check_witness(*, by: Any, witness: Any, password: str, clinic: Clinic) -> None:
    """Refuse unless `witness` is someone else, may witness, works here and proved it is them."""
    if witness is None:
        raise RegisterError(_("A witness must co-sign."), code="witness.missing")
    if witness.pk == by.pk:
        raise RegisterError(_("The witness must be a different staff member."), code="witness.self")
    if not witness.is_active or witness.role not in HANDLING_ROLES:
        raise RegisterError(
            _("Only a physician or a nurse may witness a destruction."), code="witness.role"
        )
    if not (witness.network_wide or witness.clinics.filter(pk=clinic.pk).exists()):
        raise RegisterError(
            _("The witness does not work at %(clinic)s.") % {"clinic": clinic},
            code="witness.clinic",
        )
    if not witness.check_password(password):
        raise RegisterError(_("The witness's password is not correct."), code="witness.password")
