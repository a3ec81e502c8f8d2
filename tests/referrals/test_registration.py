"""Registering as a referrer tells nobody whether an address has an account (issue 11, item 13):
the answer is the same, and the address's owner is told by email instead."""

import re
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action, AuditEvent, Outcome

URL = "/refer/register/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def form(email: str) -> dict[str, str]:
    return {
        "full_name": "Dr Curious",
        "profession": "gp",
        "registration_number": "12345",
        "college": "CMQ",
        "practice_address": "1 rue Principale, Montréal",
        "phone": "514-555-0100",
        "email": email,
        "password": "a-long-enough-password",
    }


def register(email: str, capture: Any) -> tuple[Any, Any]:
    client = Client()
    with capture(execute=True):
        response = client.post(URL, form(email))
    return client, response


def test_an_address_in_use_gets_exactly_the_answer_a_new_one_gets(
    network: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    answers = []
    for email in ("brand.new@clinic.test", network["nurse"].email, network["referrer"].email):
        client, response = register(email, django_capture_on_commit_callbacks)
        page = client.get(response["Location"])
        answers.append(
            (
                response.status_code,
                response["Location"],
                sorted(response.cookies),
                "_auth_user_id" in client.session,
                page.status_code,
                CSRF.sub("", page.content.decode()),
            )
        )
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][:2] == (302, reverse("referrals:register_sent"))
    assert answers[0][3] is False  # nobody is signed in by registering


def test_the_owner_of_an_address_in_use_is_told_by_email(
    network: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    nurse = network["nurse"]
    register(nurse.email.upper(), django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[nurse.email]]
    assert "Someone tried to register" in mail.outbox[0].subject
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert User.objects.filter(email__iexact=nurse.email).count() == 1
    attempt = AuditEvent.objects.get(detail__registration="address_in_use")
    assert (attempt.action, attempt.outcome) == (Action.CREATE, Outcome.FAILURE)
    assert attempt.object_id == str(nurse.pk)


def test_a_new_referrer_confirms_the_address_before_signing_in(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    register("new.referrer@clinic.test", django_capture_on_commit_callbacks)
    user = User.objects.get(email="new.referrer@clinic.test")
    assert not user.is_active
    refused = Client().post(
        reverse("account_login"),
        {"login": user.email, "password": "a-long-enough-password"},
    )
    assert "_auth_user_id" not in refused.client.session
    (confirmation,) = mail.outbox
    link = re.search(r"https?://\S+(/refer/register/\S+/)", confirmation.body)
    assert link is not None
    client = Client()
    welcome = client.get(link.group(1))
    assert welcome.status_code == 302 and welcome["Location"] == reverse("referrals:portal")
    user.refresh_from_db()
    assert user.is_active and user.emailaddress_set.get().verified
    assert Client().get(link.group(1)).status_code == 410  # once only


def test_a_forged_confirmation_link_is_closed(db: None, client: Client) -> None:
    assert client.get("/refer/register/MQ/not-a-token/").status_code == 410
    assert client.get("/refer/register/%FF%FE/x/").status_code == 410


def test_registering_again_before_confirming_sends_a_new_link_that_opens_the_account(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    _, first = register("slow.reader@clinic.test", django_capture_on_commit_callbacks)
    mail.outbox.clear()  # the first link is lost
    _, second = register("Slow.Reader@clinic.test", django_capture_on_commit_callbacks)
    assert second["Location"] == first["Location"]  # the same answer as any registration
    assert User.objects.filter(email__iexact="slow.reader@clinic.test").count() == 1
    (again,) = mail.outbox
    assert again.to == ["slow.reader@clinic.test"]
    assert "not confirmed yet" in again.body and "/accounts/password/reset/" in again.body
    link = re.search(r"https?://\S+(/refer/register/\S+/)", again.body)
    assert link is not None
    assert Client().get(link.group(1))["Location"] == reverse("referrals:portal")
    assert User.objects.get(email="slow.reader@clinic.test").is_active
    attempt = AuditEvent.objects.get(detail__registration="unconfirmed")
    assert (attempt.action, attempt.outcome) == (Action.CREATE, Outcome.FAILURE)
    register("slow.reader@clinic.test", django_capture_on_commit_callbacks)
    assert "Someone tried to register" in mail.outbox[-1].subject  # confirmed: in use now
