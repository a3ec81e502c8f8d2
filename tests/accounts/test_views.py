"""The staff pages refuse over HTTP what the services refuse: other roles (403), staff of
another clinic (404), a clinic the admin does not administer (a form error)."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse

from kapclinic.accounts.models import Credential, User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action, AuditEvent
from tests.factories import UserFactory, credential_all

NEW_STAFF = {
    "full_name": "New Colleague",
    "email": "new.colleague@example.ca",
    "role": "nurse",
    "password": "a-long-first-password-1234",
}


def test_only_a_clinic_admin_adds_or_deactivates_staff(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    nurse = network["nurse"]
    deactivate = reverse("accounts:staff_deactivate", kwargs={"user_id": nurse.pk})
    for role in ("physician", "privacy_officer", "intake"):
        login(client, network[role])
        create = {**NEW_STAFF, "clinics": [network["montreal"].pk]}
        assert client.post(reverse("accounts:staff_create"), create).status_code == 403
        assert client.post(deactivate, {"reason": "left"}).status_code == 403
    assert not User.objects.filter(email=NEW_STAFF["email"]).exists()
    nurse.refresh_from_db()
    assert nurse.is_active


def test_an_admin_cannot_reach_staff_or_clinics_of_another_clinic(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    stranger = UserFactory(role=Role.NURSE, clinics=[network["vancouver"]])
    client = login(client, network["clinic_admin"])
    deactivate = reverse("accounts:staff_deactivate", kwargs={"user_id": stranger.pk})
    assert client.post(deactivate, {"reason": "left"}).status_code == 404
    credentials = reverse("accounts:credentials", kwargs={"user_id": stranger.pk})
    assert client.get(credentials).status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active

    elsewhere = {**NEW_STAFF, "clinics": [network["vancouver"].pk]}
    page = client.post(reverse("accounts:staff_create"), elsewhere)
    assert page.status_code == 200
    assert not User.objects.filter(email=NEW_STAFF["email"]).exists()


def test_an_admin_adds_a_colleague_who_is_listed_and_audited(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    client = login(client, network["clinic_admin"])
    fields = {**NEW_STAFF, "clinics": [network["montreal"].pk]}
    page = client.post(reverse("accounts:staff_create"), fields, follow=True)
    assert page.redirect_chain[-1][0] == reverse("accounts:staff")
    assert "Staff member added." in page.text and "New Colleague" in page.text
    added = User.objects.get(email=NEW_STAFF["email"])
    assert added.role == Role.NURSE and list(added.clinics.all()) == [network["montreal"]]
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(added.pk)).exists()


def test_a_colleague_without_a_name_is_a_form_error_and_nothing_is_saved(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    client = login(client, network["clinic_admin"])
    fields = {**NEW_STAFF, "full_name": "", "clinics": [network["montreal"].pk]}
    page = client.post(reverse("accounts:staff_create"), fields)
    assert page.status_code == 200
    assert "This field is required." in page.text
    assert not User.objects.filter(email=NEW_STAFF["email"]).exists()


def test_an_admin_deactivates_a_colleague_with_a_reason(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    nurse = network["nurse"]
    url = reverse("accounts:staff_deactivate", kwargs={"user_id": nurse.pk})
    client = login(client, network["clinic_admin"])
    refused = client.post(url, {"reason": ""}, follow=True)
    assert "Give a reason to deactivate an account." in refused.text
    nurse.refresh_from_db()
    assert nurse.is_active
    page = client.post(url, {"reason": "Left the clinic"}, follow=True)
    assert f"{nurse} deactivated" in page.text
    nurse.refresh_from_db()
    assert not nurse.is_active
    assert AuditEvent.objects.filter(object_id=str(nurse.pk), action=Action.UPDATE).exists()


def test_the_staff_list_says_active_or_inactive_beside_the_action(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    UserFactory(role=Role.NURSE, clinics=[network["montreal"]], is_active=False)
    admin = network["clinic_admin"]
    admin.language = "fr"
    admin.save(update_fields=["language"])
    html = login(client, admin).get(reverse("accounts:staff")).text
    assert '<span class="status">Actif</span>' in html
    assert '<span class="status">Inactif</span>' in html
    assert "Désactiver" in html


def test_only_a_clinic_admin_records_a_credential(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    url = reverse("accounts:credentials", kwargs={"user_id": network["nurse"].pk})
    for role in ("physician", "nurse", "billing"):
        response = login(client, network[role]).post(url, CREDENTIAL)
        assert response.status_code == 403
    assert not Credential.objects.exists()


CREDENTIAL = {"kind": "licence", "issuer": "OIIQ", "number": "N-1", "issued_on": "2025-01-01"}


@pytest.mark.parametrize("count", [1, 5])
def test_the_staff_list_pins_its_queries(
    count: int, network: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    UserFactory.create_batch(count, role=Role.NURSE, clinics=[network["montreal"]])
    client = login(client, network["clinic_admin"])
    with django_assert_num_queries(4):
        page = client.get(reverse("accounts:staff"))
    assert page.status_code == 200


def test_the_new_colleague_form_pins_its_queries(
    network: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    client = login(client, network["clinic_admin"])
    with django_assert_num_queries(3):
        assert client.get(reverse("accounts:staff_create")).status_code == 200


@pytest.mark.parametrize("count", [1, 5])
def test_the_credentials_page_pins_its_queries(
    count: int, network: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    nurse = network["nurse"]
    for _ in range(count):
        credential_all(nurse)
    client = login(client, network["clinic_admin"])
    with django_assert_num_queries(6):
        page = client.get(reverse("accounts:credentials", kwargs={"user_id": nurse.pk}))
    assert page.status_code == 200


@pytest.mark.parametrize("count", [1, 5])
def test_the_expiring_credentials_page_pins_its_queries(
    count: int, network: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    soon = date.today() + timedelta(days=10)
    for _ in range(count):
        credential_all(UserFactory(role=Role.NURSE, clinics=[network["montreal"]]), expires_on=soon)
    client = login(client, network["clinic_admin"])
    with django_assert_num_queries(4):
        page = client.get(reverse("accounts:expiring"))
    assert page.status_code == 200
