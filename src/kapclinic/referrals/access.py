"""Who sees which referral: intake staff of its clinic, and the referrer who sent it.

A draft is the referrer's alone until it is submitted: the clinic sees only referrals it
received (lists, detail, counts, attachments all start from visible_referrals)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.errors import NotFound
from kapclinic.referrals.models import Referral, Status

# Staff who work the intake queue.
INTAKE_ROLES = frozenset({Role.INTAKE, Role.PHYSICIAN, Role.NURSE, Role.CLINIC_ADMIN})


def visible_referrals(user: User) -> QuerySet[Referral]:
    referrals = Referral.objects.select_related(
        "clinic__jurisdiction", "condition", "referrer", "proposed_patient__clinic"
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return referrals.none()
    if user.role == Role.REFERRER:
        return referrals.filter(referrer__user=user)
    if user.role in INTAKE_ROLES:
        received = referrals.exclude(status=Status.DRAFT)
        return received if user.network_wide else received.filter(clinic__in=user.clinics.all())
    return referrals.none()


def access_referral(*, by: User, referral_id: int) -> Referral:
    found = visible_referrals(by).filter(pk=referral_id).first()
    if found is None:
        raise NotFound(_("No referral was found."))
    return found
