"""Writes to accounts: creating staff, changing language, deactivating (which ends sessions)."""

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import LoginSession, User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.clinics.models import Clinic
from kapclinic.errors import Conflict, NotPermitted


def _manages(admin: User, user: User) -> bool:
    if admin.role != Role.CLINIC_ADMIN or admin.pk == user.pk:
        return False
    return admin.network_wide or admin.clinics.filter(pk__in=user.clinics.all()).exists()


@transaction.atomic
def create_staff_member(
    *,
    by: User,
    email: str,
    full_name: str,
    role: str,
    clinics: Iterable[Clinic],
    password: str | None,
) -> User:
    """A clinic admin adds a colleague to clinics they administer."""
    if by.role != Role.CLINIC_ADMIN:
        raise NotPermitted(_("Only a clinic admin may add staff."))
    allowed = set(by.clinics.values_list("pk", flat=True))
    if not by.network_wide and any(clinic.pk not in allowed for clinic in clinics):
        raise NotPermitted(_("You may only add staff to the clinics you administer."))
    if User.objects.filter(email__iexact=email.strip()).exists():
        raise Conflict(_("An account with this email already exists."))
    user = User.objects.create_user(email=email, password=password, full_name=full_name, role=role)
    user.clinics.set(clinics)
    # The admin vouches for the address: allauth refuses TOTP enrolment while an unverified
    # address exists, and staff have no other way to verify theirs (issue 11, item 6).
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    record_event(actor=by, action=Action.CREATE, target=user, detail={"role": role})
    return user


@transaction.atomic
def deactivate_user(*, by: User, user: User, reason: str) -> int:
    """Deactivate `user` and end every live session at once; returns how many ended."""
    if not _manages(by, user):
        raise NotPermitted(_("You may not deactivate this account."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    live = LoginSession.objects.filter(user=user, ended_at__isnull=True)
    keys = list(live.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    live.update(ended_at=timezone.now())
    record_event(
        actor=by, action=Action.UPDATE, target=user, reason=reason, detail={"deactivated": True}
    )
    return len(keys)


def set_language(*, user: User, language: str) -> None:
    """Remember the user's language for every later page."""
    user.language = language
    user.save(update_fields=["language"])
