"""A professional registers in the referrer portal without learning who else has an account.

Registering answers the same way whatever the address (SECURITY.md A3; issue 11, item 13): "we
sent you an email". A new address gets an inactive account and a link that confirms it; an
address already in use gets nothing new, and its owner is told by email that someone tried
(with the sign-in and password-reset links). The password is hashed in both cases, so the time
taken does not tell either.

An address whose registration was never confirmed gets a fresh confirmation link instead: the
first link may be lost or expired, and password reset does not serve an inactive account, so
without it the person could never get in. The first registration's details and password stand;
the link still goes only to the address's owner.
"""

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.functional import Promise
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action, Outcome
from kapclinic.audit.services import record_event
from kapclinic.referrals.inputs import ReferrerInput
from kapclinic.referrals.models import Referrer
from kapclinic.text import render_text


@transaction.atomic
def register_referrer(
    *, details: ReferrerInput, password: str, language: str = "en"
) -> Referrer | None:
    """The new referrer (inactive until the emailed link is followed), or None when the address
    (`details.email`) is taken: the caller must answer both the same way."""
    email = details.email
    existing = User.objects.filter(email__iexact=email.strip()).first()
    if existing is not None:
        make_password(password)  # the work a new account costs, so the answer takes as long
        unconfirmed = _awaiting_confirmation(existing)
        record_event(
            actor=None,
            action=Action.CREATE,
            outcome=Outcome.FAILURE,
            target=existing,
            detail={"registration": "unconfirmed" if unconfirmed else "address_in_use"},
        )
        if unconfirmed:
            transaction.on_commit(lambda: send_confirmation(existing.pk, again=True))
        else:
            transaction.on_commit(lambda: send_address_in_use(existing.pk))
        return None
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=details.full_name,
        role=Role.REFERRER,
        language=language,
        is_active=False,
    )
    referrer = Referrer(user=user)
    details.write_to(referrer)
    referrer.save()
    record_event(actor=user, action=Action.CREATE, target=referrer)
    transaction.on_commit(lambda: send_confirmation(user.pk))
    return referrer


def _awaiting_confirmation(user: User) -> bool:
    """A referrer's registration whose emailed link was never followed."""
    return (
        user.role == Role.REFERRER
        and not user.is_active
        and user.last_login is None
        and not EmailAddress.objects.filter(user=user, verified=True).exists()
    )


def confirmation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("referrals:register_confirm", kwargs={"uidb64": uid, "token": token})


CONFIRM_SUBJECT = gettext_lazy("Confirm your kapclinic referrer registration")
IN_USE_SUBJECT = gettext_lazy("Someone tried to register with your address")


def _send(user: User, subject: Promise, template: str, context: dict[str, Any]) -> None:
    """In the account's language (the language chosen on the form, for a new one)."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = render_text(template, context)
        text = str(subject)
    EmailMessage(text, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()


def send_confirmation(user_id: int, *, again: bool = False) -> None:
    user = User.objects.get(pk=user_id)
    url = settings.SITE_URL + confirmation_path(user)
    reset = settings.SITE_URL + reverse("account_reset_password")
    context = {"url": url, "again": again, "reset": reset}
    _send(user, CONFIRM_SUBJECT, "referrals/email/register_confirm.txt", context)


def send_address_in_use(user_id: int) -> None:
    user = User.objects.get(pk=user_id)
    context = {
        "sign_in": settings.SITE_URL + reverse("account_login"),
        "reset": settings.SITE_URL + reverse("account_reset_password"),
    }
    _send(user, IN_USE_SUBJECT, "referrals/email/register_in_use.txt", context)


@transaction.atomic
def confirm_registration(*, uidb64: str, token: str) -> User | None:
    """Activate the referrer whose link this is; None when the link is wrong, used or old."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, role=Role.REFERRER, last_login__isnull=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    record_event(actor=user, action=Action.UPDATE, target=user, detail={"email_confirmed": True})
    return user
