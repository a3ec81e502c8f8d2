"""The staff pages refuse over HTTP what the services refuse: other roles (403), staff of
another clinic (404), a clinic the admin does not administer (a form error)."""

from typing import Any

from django.urls import reverse

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from tests.factories import UserFactory

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
