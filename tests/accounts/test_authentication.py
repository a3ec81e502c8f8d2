"""Signing in: Argon2, lockout, MFA enrolment for staff, idle timeout, deactivation."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.accounts.services import deactivate_user
from kapclinic.audit.models import Action, AuditEvent
from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"


def sign_in(client: Client, email: str, password: str = PASSWORD, ip: str = "10.0.0.1") -> Any:
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_passwords_are_hashed_with_argon2(db: None, settings: Any) -> None:
    from kapclinic import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    user = UserFactory()
    assert user.password.startswith("argon2")


def test_signing_in_by_email_is_audited(network: dict[str, Any], client: Client) -> None:
    response = sign_in(client, network["intake"].email)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor=network["intake"]).exists()


def test_failed_sign_ins_are_audited(network: dict[str, Any], client: Client) -> None:
    sign_in(client, network["intake"].email, "wrong-password-123")
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.object_id == str(network["intake"].pk)
    assert event.client_address == "10.0.0.1"


@override_settings(AXES_FAILURE_LIMIT=5)
def test_repeated_failures_lock_the_account_from_that_address_only(network: dict[str, Any]) -> None:
    email = network["intake"].email
    attacker = Client()
    for _ in range(4):
        assert sign_in(attacker, email, "wrong-password-123", ip="203.0.113.9").status_code == 200
    locked = sign_in(attacker, email, "wrong-password-123", ip="203.0.113.9")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    # The right password from the attacker's address is refused too...
    assert sign_in(Client(), email, ip="203.0.113.9").status_code == 429
    # ...but the real user, elsewhere, still gets in.
    assert sign_in(Client(), email, ip="198.51.100.7").status_code == 302


@override_settings(DEMO=False)
def test_staff_must_enrol_mfa_before_anything_else(network: dict[str, Any], client: Client) -> None:
    nurse = network["nurse"]
    nurse.mfa_exempt = False
    nurse.save()
    sign_in(client, nurse.email)
    response = client.get(reverse("patients:search"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before MFA can be set up (ASVS 7.5.1).
    enrolment = client.get(reverse("mfa_activate_totp"), follow=True)
    assert enrolment.status_code == 200
    assert enrolment.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


@override_settings(DEMO=True)
def test_demo_accounts_may_skip_mfa_only_in_the_demo(
    network: dict[str, Any], client: Client, login: Any
) -> None:
    assert login(client, network["nurse"]).get(reverse("patients:search")).status_code == 200
    network["nurse"].mfa_exempt = False
    network["nurse"].save()
    assert client.get(reverse("patients:search")).status_code == 302


@override_settings(DEMO=False)
def test_patients_and_referrers_are_not_forced_into_staff_mfa(
    network: dict[str, Any], client: Client, login: Any
) -> None:
    assert login(client, network["referrer"]).get("/").status_code == 200


def test_an_idle_session_ends_after_the_configured_minutes(
    network: dict[str, Any], client: Client
) -> None:
    start = timezone.now()
    with freeze_time(start):
        sign_in(client, network["intake"].email)
    with freeze_time(start + timedelta(minutes=14)):
        assert client.get(reverse("patients:search")).status_code == 200
    with freeze_time(start + timedelta(minutes=28)):
        assert client.get(reverse("patients:search")).status_code == 200
    with freeze_time(start + timedelta(minutes=44)):
        response = client.get(reverse("patients:search"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_deactivation_ends_every_live_session_at_once(network: dict[str, Any]) -> None:
    nurse = network["nurse"]
    laptop, tablet = Client(), Client()
    sign_in(laptop, nurse.email)
    sign_in(tablet, nurse.email, ip="10.0.0.2")
    assert laptop.get(reverse("patients:search")).status_code == 200
    ended = deactivate_user(by=network["clinic_admin"], user=nurse, reason="left the clinic")
    assert ended == 2
    for device in (laptop, tablet):
        response = device.get(reverse("patients:search"))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not Session.objects.exists()
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(nurse.pk), reason="left the clinic"
    ).exists()


def test_the_deactivate_page_needs_a_reason(
    network: dict[str, Any], client: Client, login: Any
) -> None:
    url = reverse("accounts:staff_deactivate", kwargs={"user_id": network["nurse"].pk})
    login(client, network["clinic_admin"]).post(url, {"reason": ""})
    network["nurse"].refresh_from_db()
    assert network["nurse"].is_active
    client.post(url, {"reason": "contract ended"})
    network["nurse"].refresh_from_db()
    assert not network["nurse"].is_active


def test_a_clinic_admin_cannot_deactivate_staff_of_another_clinic(network: dict[str, Any]) -> None:
    from kapclinic.errors import NotPermitted

    stranger = UserFactory(role=Role.NURSE, clinics=[network["vancouver"]])
    with pytest.raises(NotPermitted):
        deactivate_user(by=network["clinic_admin"], user=stranger, reason="x")
    assert User.objects.get(pk=stranger.pk).is_active


@override_settings(DEBUG=False, DEMO=False)
def test_an_admin_created_staff_member_can_enrol_totp_in_production(
    network: dict[str, Any], client: Client
) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        SECRET_SESSION_KEY,
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    from kapclinic.accounts.services import create_staff_member

    nurse = create_staff_member(
        by=network["clinic_admin"],
        email="new.nurse@clinic.test",
        full_name="New Nurse",
        role=Role.NURSE,
        clinics=[network["montreal"]],
        password=PASSWORD,
    )
    # A forgotten-password request makes allauth record the address (unverified unless the
    # account says otherwise), which used to block TOTP enrolment for good.
    client.post(reverse("account_reset_password"), {"email": nurse.email})
    assert sign_in(client, nurse.email).status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Authenticator.objects.filter(user=nurse, type=Authenticator.Type.TOTP).exists()
